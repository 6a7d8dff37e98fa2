// AVX2 + FMA kernels. Every function carries its own target attribute, so this file is
// compiled for baseline x86-64 and these paths run only after dispatch saw avx2 and fma.
#include "backends.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define VEX_AVX2 __attribute__((target("avx2,fma,popcnt,f16c")))

namespace vex {
namespace {

// Lane mask for the last n % 8 elements (maskload reads nothing past the end).
VEX_AVX2 inline __m256i tailMask(size_t rest) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(rest)), lanes);
}

VEX_AVX2 inline float reduce(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// Eight horizontal sums at once (out[j] = sum of the lanes of v[j]): a transpose-add tree that costs
// about a third of eight separate reductions, which matters in the 4x2 tiles at small dims.
VEX_AVX2 inline void reduce8(const __m256* v, float* out) {
  __m256 h01 = _mm256_hadd_ps(v[0], v[1]);
  __m256 h23 = _mm256_hadd_ps(v[2], v[3]);
  __m256 h45 = _mm256_hadd_ps(v[4], v[5]);
  __m256 h67 = _mm256_hadd_ps(v[6], v[7]);
  __m256 h0123 = _mm256_hadd_ps(h01, h23);
  __m256 h4567 = _mm256_hadd_ps(h45, h67);
  __m256 low = _mm256_permute2f128_ps(h0123, h4567, 0x20);
  __m256 high = _mm256_permute2f128_ps(h0123, h4567, 0x31);
  _mm256_storeu_ps(out, _mm256_add_ps(low, high));
}

VEX_AVX2 float l2Avx2(const float* a, const float* b, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    __m256 d2 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16));
    __m256 d3 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    s1 = _mm256_fmadd_ps(d1, d1, s1);
    s2 = _mm256_fmadd_ps(d2, d2, s2);
    s3 = _mm256_fmadd_ps(d3, d3, s3);
  }
  for (; i + 8 <= n; i += 8) {
    __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_fmadd_ps(d, d, s0);
  }
  if (i < n) {
    __m256i m = tailMask(n - i);
    __m256 d = _mm256_sub_ps(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m));
    s1 = _mm256_fmadd_ps(d, d, s1);
  }
  return reduce(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}

VEX_AVX2 float dotAvx2(const float* a, const float* b, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  if (i < n) {
    __m256i m = tailMask(n - i);
    s1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m), s1);
  }
  return reduce(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}

VEX_AVX2 void dotNormsAvx2(const float* a, const float* b, size_t n, float* out) {
  __m256 ab0 = _mm256_setzero_ps(), ab1 = _mm256_setzero_ps(), aa0 = _mm256_setzero_ps();
  __m256 aa1 = _mm256_setzero_ps(), bb0 = _mm256_setzero_ps(), bb1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 x0 = _mm256_loadu_ps(a + i), y0 = _mm256_loadu_ps(b + i);
    __m256 x1 = _mm256_loadu_ps(a + i + 8), y1 = _mm256_loadu_ps(b + i + 8);
    ab0 = _mm256_fmadd_ps(x0, y0, ab0);
    aa0 = _mm256_fmadd_ps(x0, x0, aa0);
    bb0 = _mm256_fmadd_ps(y0, y0, bb0);
    ab1 = _mm256_fmadd_ps(x1, y1, ab1);
    aa1 = _mm256_fmadd_ps(x1, x1, aa1);
    bb1 = _mm256_fmadd_ps(y1, y1, bb1);
  }
  for (; i < n; i += 8) {
    __m256i m = tailMask(n - i);
    __m256 x = _mm256_maskload_ps(a + i, m), y = _mm256_maskload_ps(b + i, m);
    ab0 = _mm256_fmadd_ps(x, y, ab0);
    aa0 = _mm256_fmadd_ps(x, x, aa0);
    bb0 = _mm256_fmadd_ps(y, y, bb0);
  }
  out[0] = reduce(_mm256_add_ps(ab0, ab1));
  out[1] = reduce(_mm256_add_ps(aa0, aa1));
  out[2] = reduce(_mm256_add_ps(bb0, bb1));
}

VEX_AVX2 float manhattanAvx2(const float* a, const float* b, size_t n) {
  const __m256 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_add_ps(s0, _mm256_and_ps(absMask, _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i))));
    s1 = _mm256_add_ps(
        s1, _mm256_and_ps(absMask, _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8))));
    s2 = _mm256_add_ps(
        s2, _mm256_and_ps(absMask, _mm256_sub_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16))));
    s3 = _mm256_add_ps(
        s3, _mm256_and_ps(absMask, _mm256_sub_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24))));
  }
  for (; i < n; i += 8) {
    __m256i m = tailMask(n - i);
    s0 = _mm256_add_ps(s0, _mm256_and_ps(absMask, _mm256_sub_ps(_mm256_maskload_ps(a + i, m),
                                                                 _mm256_maskload_ps(b + i, m))));
  }
  return reduce(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}

VEX_AVX2 uint64_t hammingPopcnt(const uint8_t* a, const uint8_t* b, size_t n) {
  uint64_t c0 = 0, c1 = 0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    uint64_t x0, y0, x1, y1;
    __builtin_memcpy(&x0, a + i, 8);
    __builtin_memcpy(&y0, b + i, 8);
    __builtin_memcpy(&x1, a + i + 8, 8);
    __builtin_memcpy(&y1, b + i + 8, 8);
    c0 += static_cast<uint64_t>(_mm_popcnt_u64(x0 ^ y0));
    c1 += static_cast<uint64_t>(_mm_popcnt_u64(x1 ^ y1));
  }
  for (; i < n; i++) c0 += static_cast<uint64_t>(_mm_popcnt_u32(static_cast<unsigned>(a[i] ^ b[i])));
  return c0 + c1;
}

// Eight stored values widened to float32; tails go through a zero-padded copy (no read past the end).
struct F16Loader {
  using T = uint16_t;
  VEX_AVX2 static __m256 load(const uint16_t* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
};
struct I8Loader {
  using T = int8_t;
  VEX_AVX2 static __m256 load(const int8_t* p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
  }
};

template <class L>
VEX_AVX2 __m256 loadTail(const typename L::T* p, size_t rest) {
  typename L::T buffer[16] = {};
  __builtin_memcpy(buffer, p, rest * sizeof(typename L::T));
  return L::load(buffer);
}

template <class L>
VEX_AVX2 float l2Conv(const float* q, const typename L::T* x, size_t n, float scale) {
  const __m256 s = _mm256_set1_ps(scale);
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(q + i), _mm256_mul_ps(L::load(x + i), s));
    __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(q + i + 8), _mm256_mul_ps(L::load(x + i + 8), s));
    a0 = _mm256_fmadd_ps(d0, d0, a0);
    a1 = _mm256_fmadd_ps(d1, d1, a1);
  }
  for (; i < n; i += 8) {
    __m256i m = tailMask(n - i);
    __m256 xv = n - i >= 8 ? L::load(x + i) : loadTail<L>(x + i, n - i);
    __m256 d = _mm256_sub_ps(_mm256_maskload_ps(q + i, m), _mm256_mul_ps(xv, s));
    a0 = _mm256_fmadd_ps(d, d, a0);
  }
  return reduce(_mm256_add_ps(a0, a1));
}

template <class L>
VEX_AVX2 float dotConv(const float* q, const typename L::T* x, size_t n) {
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), L::load(x + i), a0);
    a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), L::load(x + i + 8), a1);
  }
  for (; i < n; i += 8) {
    __m256 xv = n - i >= 8 ? L::load(x + i) : loadTail<L>(x + i, n - i);
    a0 = _mm256_fmadd_ps(_mm256_maskload_ps(q + i, tailMask(n - i)), xv, a0);
  }
  return reduce(_mm256_add_ps(a0, a1));
}

template <class L>
VEX_AVX2 void dotNormsConv(const float* q, const typename L::T* x, size_t n, float* out) {
  __m256 ab = _mm256_setzero_ps(), aa = _mm256_setzero_ps(), bb = _mm256_setzero_ps();
  for (size_t i = 0; i < n; i += 8) {
    __m256 qv = _mm256_maskload_ps(q + i, tailMask(n - i));
    __m256 xv = n - i >= 8 ? L::load(x + i) : loadTail<L>(x + i, n - i);
    ab = _mm256_fmadd_ps(qv, xv, ab);
    aa = _mm256_fmadd_ps(qv, qv, aa);
    bb = _mm256_fmadd_ps(xv, xv, bb);
  }
  out[0] = reduce(ab);
  out[1] = reduce(aa);
  out[2] = reduce(bb);
}

VEX_AVX2 float l2F16Avx2(const float* q, const uint16_t* x, size_t n) { return l2Conv<F16Loader>(q, x, n, 1.0f); }

// 4 queries x 2 vectors: each loaded lane of x feeds four FMAs, halving loads per FMA. Named accumulators
// (not an array) keep all eight in registers; the masked tail is peeled off the main loop.
#define VEX_TILE_STEP8(STEP, LOAD)                \
  {                                               \
    __m256 v0 = LOAD(x0 + i), v1 = LOAD(x1 + i);  \
    __m256 w = LOAD(q0 + i);                      \
    STEP(a0, w, v0);                              \
    STEP(a1, w, v1);                              \
    w = LOAD(q1 + i);                             \
    STEP(a2, w, v0);                              \
    STEP(a3, w, v1);                              \
    w = LOAD(q2 + i);                             \
    STEP(a4, w, v0);                              \
    STEP(a5, w, v1);                              \
    w = LOAD(q3 + i);                             \
    STEP(a6, w, v0);                              \
    STEP(a7, w, v1);                              \
  }
#define VEX_LOAD_FULL(P) _mm256_loadu_ps(P)
#define VEX_LOAD_MASKED(P) _mm256_maskload_ps(P, m)
#define VEX_TILE_BODY(STEP)                                                                         \
  const float *q0 = q[0], *q1 = q[1], *q2 = q[2], *q3 = q[3];                                      \
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0; \
  size_t i = 0;                                                                                     \
  for (; i + 8 <= n; i += 8) VEX_TILE_STEP8(STEP, VEX_LOAD_FULL)                                    \
  if (i < n) {                                                                                      \
    const __m256i m = tailMask(n - i);                                                              \
    VEX_TILE_STEP8(STEP, VEX_LOAD_MASKED)                                                           \
  }                                                                                                 \
  const __m256 acc[8] = {a0, a1, a2, a3, a4, a5, a6, a7};                                           \
  reduce8(acc, out);

#define VEX_L2_STEP(ACC, A, B)       \
  {                                  \
    __m256 d = _mm256_sub_ps(A, B);  \
    ACC = _mm256_fmadd_ps(d, d, ACC); \
  }
#define VEX_DOT_STEP(ACC, A, B) ACC = _mm256_fmadd_ps(A, B, ACC);

VEX_AVX2 void l2TileAvx2(const float* const* q, const float* const* xs, size_t n, float* out) {
  const float *x0 = xs[0], *x1 = xs[1];
  VEX_TILE_BODY(VEX_L2_STEP)
}

VEX_AVX2 void dotTileAvx2(const float* const* q, const float* const* xs, size_t n, float* out) {
  const float *x0 = xs[0], *x1 = xs[1];
  VEX_TILE_BODY(VEX_DOT_STEP)
}

VEX_AVX2 double fmaProbeAvx2(uint64_t iterations, float* sink) {
  // 10 independent chains cover FMA latency (4-5 cycles) times two FMA ports.
  __m256 acc[10];
  for (int j = 0; j < 10; j++) acc[j] = _mm256_set1_ps(static_cast<float>(j + 1));
  const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  for (uint64_t it = 0; it < iterations; it++) {
    for (int j = 0; j < 10; j++) acc[j] = _mm256_fmadd_ps(acc[j], m, c);
  }
  __m256 total = acc[0];
  for (int j = 1; j < 10; j++) total = _mm256_add_ps(total, acc[j]);
  *sink += reduce(total);
  return static_cast<double>(iterations) * 10.0 * 8.0 * 2.0;
}

VEX_AVX2 float loadProbeAvx2(const float* data, size_t count) {
  __m256 s[8];
  for (int j = 0; j < 8; j++) s[j] = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 64 <= count; i += 64) {
    for (int j = 0; j < 8; j++) s[j] = _mm256_add_ps(s[j], _mm256_loadu_ps(data + i + j * 8));
  }
  float rest = 0;
  for (; i < count; i++) rest += data[i];
  __m256 total = s[0];
  for (int j = 1; j < 8; j++) total = _mm256_add_ps(total, s[j]);
  return reduce(total) + rest;
}

const KernelTable kAvx2 = {
    "avx2",
    l2Avx2,
    dotAvx2,
    dotNormsAvx2,
    manhattanAvx2,
    hammingPopcnt,
    l2F16Avx2,
    dotConv<F16Loader>,
    dotNormsConv<F16Loader>,
    l2Conv<I8Loader>,
    dotConv<I8Loader>,
    dotNormsConv<I8Loader>,
    l2TileAvx2,
    dotTileAvx2,
    fmaProbeAvx2,
    loadProbeAvx2,
    2,
};

}  // namespace

const KernelTable* avx2Table() { return &kAvx2; }

}  // namespace vex

#else

namespace vex {
const KernelTable* avx2Table() { return nullptr; }
}  // namespace vex

#endif
