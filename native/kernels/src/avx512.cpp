// AVX-512 kernels (avx512f; hamming also has a VPOPCNTDQ variant). Per-function target
// attributes keep this code out of every path that dispatch did not select.
#include "backends.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// GCC 12 flags the deliberately undefined halves inside its own reduce intrinsics.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#define VEX_AVX512 __attribute__((target("avx512f,avx2,fma,popcnt")))
#define VEX_AVX512_POPCNT __attribute__((target("avx512f,avx512bw,avx512vpopcntdq,avx2,fma,popcnt")))

namespace vex {
namespace {

VEX_AVX512 inline __mmask16 tailMask(size_t rest) {
  return static_cast<__mmask16>((1u << static_cast<unsigned>(rest)) - 1u);
}

// Eight horizontal sums at once (out[j] = sum of the lanes of v[j]): a transpose-add tree that costs
// about a third of eight separate reductions, which matters in the 4x2 tiles at small dims.
VEX_AVX512 inline void reduce8(const __m256* v, float* out) {
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

VEX_AVX512 inline void reduce8(const __m512* v, float* out) {
  __m256 halves[8];
  for (int j = 0; j < 8; j++) {
    halves[j] = _mm256_add_ps(_mm512_castps512_ps256(v[j]),
                              _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v[j]), 1)));
  }
  reduce8(halves, out);
}

VEX_AVX512 float l2Avx512(const float* a, const float* b, size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
    __m512 d2 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32));
    __m512 d3 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48));
    s0 = _mm512_fmadd_ps(d0, d0, s0);
    s1 = _mm512_fmadd_ps(d1, d1, s1);
    s2 = _mm512_fmadd_ps(d2, d2, s2);
    s3 = _mm512_fmadd_ps(d3, d3, s3);
  }
  for (; i + 16 <= n; i += 16) {
    __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    s0 = _mm512_fmadd_ps(d, d, s0);
  }
  if (i < n) {
    __mmask16 m = tailMask(n - i);
    __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    s1 = _mm512_fmadd_ps(d, d, s1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

VEX_AVX512 float dotAvx512(const float* a, const float* b, size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), s2);
    s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), s3);
  }
  for (; i + 16 <= n; i += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
  if (i < n) {
    __mmask16 m = tailMask(n - i);
    s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

VEX_AVX512 void dotNormsAvx512(const float* a, const float* b, size_t n, float* out) {
  __m512 ab0 = _mm512_setzero_ps(), ab1 = _mm512_setzero_ps(), aa0 = _mm512_setzero_ps();
  __m512 aa1 = _mm512_setzero_ps(), bb0 = _mm512_setzero_ps(), bb1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m512 x0 = _mm512_loadu_ps(a + i), y0 = _mm512_loadu_ps(b + i);
    __m512 x1 = _mm512_loadu_ps(a + i + 16), y1 = _mm512_loadu_ps(b + i + 16);
    ab0 = _mm512_fmadd_ps(x0, y0, ab0);
    aa0 = _mm512_fmadd_ps(x0, x0, aa0);
    bb0 = _mm512_fmadd_ps(y0, y0, bb0);
    ab1 = _mm512_fmadd_ps(x1, y1, ab1);
    aa1 = _mm512_fmadd_ps(x1, x1, aa1);
    bb1 = _mm512_fmadd_ps(y1, y1, bb1);
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? static_cast<__mmask16>(0xffff) : tailMask(n - i);
    __m512 x = _mm512_maskz_loadu_ps(m, a + i), y = _mm512_maskz_loadu_ps(m, b + i);
    ab0 = _mm512_fmadd_ps(x, y, ab0);
    aa0 = _mm512_fmadd_ps(x, x, aa0);
    bb0 = _mm512_fmadd_ps(y, y, bb0);
  }
  out[0] = _mm512_reduce_add_ps(_mm512_add_ps(ab0, ab1));
  out[1] = _mm512_reduce_add_ps(_mm512_add_ps(aa0, aa1));
  out[2] = _mm512_reduce_add_ps(_mm512_add_ps(bb0, bb1));
}

VEX_AVX512 float manhattanAvx512(const float* a, const float* b, size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    s0 = _mm512_add_ps(s0, _mm512_abs_ps(_mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i))));
    s1 = _mm512_add_ps(s1, _mm512_abs_ps(_mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16))));
    s2 = _mm512_add_ps(s2, _mm512_abs_ps(_mm512_sub_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32))));
    s3 = _mm512_add_ps(s3, _mm512_abs_ps(_mm512_sub_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48))));
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? static_cast<__mmask16>(0xffff) : tailMask(n - i);
    s0 = _mm512_add_ps(
        s0, _mm512_abs_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i))));
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

VEX_AVX512 uint64_t hammingPopcnt(const uint8_t* a, const uint8_t* b, size_t n) {
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

VEX_AVX512_POPCNT uint64_t hammingVpopcnt(const uint8_t* a, const uint8_t* b, size_t n) {
  __m512i s = _mm512_setzero_si512();
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    __m512i x = _mm512_xor_si512(_mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i));
    s = _mm512_add_epi64(s, _mm512_popcnt_epi64(x));
  }
  if (i < n) {
    __mmask64 m = (~0ull) >> (64 - (n - i));
    __m512i x = _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, a + i), _mm512_maskz_loadu_epi8(m, b + i));
    s = _mm512_add_epi64(s, _mm512_popcnt_epi64(x));
  }
  return static_cast<uint64_t>(_mm512_reduce_add_epi64(s));
}

// Sixteen stored values widened to float32; tails go through a zero-padded copy (no read past the end).
struct F16Loader {
  using T = uint16_t;
  VEX_AVX512 static __m512 load(const uint16_t* p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
};
struct I8Loader {
  using T = int8_t;
  VEX_AVX512 static __m512 load(const int8_t* p) {
    return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
  }
};

template <class L>
VEX_AVX512 __m512 loadTail(const typename L::T* p, size_t rest) {
  typename L::T buffer[16] = {};
  __builtin_memcpy(buffer, p, rest * sizeof(typename L::T));
  return L::load(buffer);
}

template <class L>
VEX_AVX512 float l2Conv(const float* q, const typename L::T* x, size_t n, float scale) {
  const __m512 s = _mm512_set1_ps(scale);
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(q + i), _mm512_mul_ps(L::load(x + i), s));
    __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(q + i + 16), _mm512_mul_ps(L::load(x + i + 16), s));
    a0 = _mm512_fmadd_ps(d0, d0, a0);
    a1 = _mm512_fmadd_ps(d1, d1, a1);
  }
  for (; i < n; i += 16) {
    bool full = n - i >= 16;
    __m512 xv = full ? L::load(x + i) : loadTail<L>(x + i, n - i);
    __m512 qv = _mm512_maskz_loadu_ps(full ? static_cast<__mmask16>(0xffff) : tailMask(n - i), q + i);
    __m512 d = _mm512_sub_ps(qv, _mm512_mul_ps(xv, s));
    a0 = _mm512_fmadd_ps(d, d, a0);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
}

template <class L>
VEX_AVX512 float dotConv(const float* q, const typename L::T* x, size_t n) {
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    a0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), L::load(x + i), a0);
    a1 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 16), L::load(x + i + 16), a1);
  }
  for (; i < n; i += 16) {
    bool full = n - i >= 16;
    __m512 xv = full ? L::load(x + i) : loadTail<L>(x + i, n - i);
    __m512 qv = _mm512_maskz_loadu_ps(full ? static_cast<__mmask16>(0xffff) : tailMask(n - i), q + i);
    a0 = _mm512_fmadd_ps(qv, xv, a0);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
}

template <class L>
VEX_AVX512 void dotNormsConv(const float* q, const typename L::T* x, size_t n, float* out) {
  __m512 ab = _mm512_setzero_ps(), aa = _mm512_setzero_ps(), bb = _mm512_setzero_ps();
  for (size_t i = 0; i < n; i += 16) {
    bool full = n - i >= 16;
    __m512 xv = full ? L::load(x + i) : loadTail<L>(x + i, n - i);
    __m512 qv = _mm512_maskz_loadu_ps(full ? static_cast<__mmask16>(0xffff) : tailMask(n - i), q + i);
    ab = _mm512_fmadd_ps(qv, xv, ab);
    aa = _mm512_fmadd_ps(qv, qv, aa);
    bb = _mm512_fmadd_ps(xv, xv, bb);
  }
  out[0] = _mm512_reduce_add_ps(ab);
  out[1] = _mm512_reduce_add_ps(aa);
  out[2] = _mm512_reduce_add_ps(bb);
}

VEX_AVX512 float l2F16Avx512(const float* q, const uint16_t* x, size_t n) { return l2Conv<F16Loader>(q, x, n, 1.0f); }

// 4 queries x 4 vectors: sixteen accumulators stay in the 32 zmm registers, and each loaded lane feeds four
// FMAs (8 loads per 16 FMAs), which keeps the loop within the load ports. The masked tail is peeled off.
#define VEX_TILE_ROW(STEP, R, W) \
  STEP(a[R * 4 + 0], W, v0);     \
  STEP(a[R * 4 + 1], W, v1);     \
  STEP(a[R * 4 + 2], W, v2);     \
  STEP(a[R * 4 + 3], W, v3);
#define VEX_TILE_STEP(STEP, LOAD)                                                              \
  {                                                                                            \
    __m512 v0 = LOAD(x0 + i), v1 = LOAD(x1 + i), v2 = LOAD(x2 + i), v3 = LOAD(x3 + i);         \
    __m512 w = LOAD(q0 + i);                                                                   \
    VEX_TILE_ROW(STEP, 0, w)                                                                   \
    w = LOAD(q1 + i);                                                                          \
    VEX_TILE_ROW(STEP, 1, w)                                                                   \
    w = LOAD(q2 + i);                                                                          \
    VEX_TILE_ROW(STEP, 2, w)                                                                   \
    w = LOAD(q3 + i);                                                                          \
    VEX_TILE_ROW(STEP, 3, w)                                                                   \
  }
#define VEX_LOAD_FULL(P) _mm512_loadu_ps(P)
#define VEX_LOAD_MASKED(P) _mm512_maskz_loadu_ps(m, P)
#define VEX_TILE_BODY(STEP)                                                   \
  const float *q0 = q[0], *q1 = q[1], *q2 = q[2], *q3 = q[3];                \
  const float *x0 = xs[0], *x1 = xs[1], *x2 = xs[2], *x3 = xs[3];            \
  __m512 a[16];                                                               \
  for (int j = 0; j < 16; j++) a[j] = _mm512_setzero_ps();                    \
  size_t i = 0;                                                               \
  for (; i + 16 <= n; i += 16) VEX_TILE_STEP(STEP, VEX_LOAD_FULL)             \
  if (i < n) {                                                                \
    const __mmask16 m = tailMask(n - i);                                      \
    VEX_TILE_STEP(STEP, VEX_LOAD_MASKED)                                      \
  }                                                                           \
  reduce8(a, out);                                                            \
  reduce8(a + 8, out + 8);

#define VEX_L2_STEP(ACC, A, B)        \
  {                                   \
    __m512 d = _mm512_sub_ps(A, B);   \
    ACC = _mm512_fmadd_ps(d, d, ACC); \
  }
#define VEX_DOT_STEP(ACC, A, B) ACC = _mm512_fmadd_ps(A, B, ACC);

VEX_AVX512 void l2TileAvx512(const float* const* q, const float* const* xs, size_t n, float* out) {
  VEX_TILE_BODY(VEX_L2_STEP)
}

VEX_AVX512 void dotTileAvx512(const float* const* q, const float* const* xs, size_t n, float* out) {
  VEX_TILE_BODY(VEX_DOT_STEP)
}

VEX_AVX512 double fmaProbeAvx512(uint64_t iterations, float* sink) {
  __m512 acc[12];
  for (int j = 0; j < 12; j++) acc[j] = _mm512_set1_ps(static_cast<float>(j + 1));
  const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
  for (uint64_t it = 0; it < iterations; it++) {
    for (int j = 0; j < 12; j++) acc[j] = _mm512_fmadd_ps(acc[j], m, c);
  }
  __m512 total = acc[0];
  for (int j = 1; j < 12; j++) total = _mm512_add_ps(total, acc[j]);
  *sink += _mm512_reduce_add_ps(total);
  return static_cast<double>(iterations) * 12.0 * 16.0 * 2.0;
}

VEX_AVX512 float loadProbeAvx512(const float* data, size_t count) {
  __m512 s[8];
  for (int j = 0; j < 8; j++) s[j] = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 128 <= count; i += 128) {
    for (int j = 0; j < 8; j++) s[j] = _mm512_add_ps(s[j], _mm512_loadu_ps(data + i + j * 16));
  }
  float rest = 0;
  for (; i < count; i++) rest += data[i];
  __m512 total = s[0];
  for (int j = 1; j < 8; j++) total = _mm512_add_ps(total, s[j]);
  return _mm512_reduce_add_ps(total) + rest;
}

const KernelTable kAvx512 = {
    "avx512",
    l2Avx512,
    dotAvx512,
    dotNormsAvx512,
    manhattanAvx512,
    hammingPopcnt,
    l2F16Avx512,
    dotConv<F16Loader>,
    dotNormsConv<F16Loader>,
    l2Conv<I8Loader>,
    dotConv<I8Loader>,
    dotNormsConv<I8Loader>,
    l2TileAvx512,
    dotTileAvx512,
    fmaProbeAvx512,
    loadProbeAvx512,
    4,
};

}  // namespace

const KernelTable* avx512Table() { return &kAvx512; }
uint64_t (*avx512PopcntHamming())(const uint8_t*, const uint8_t*, size_t) { return hammingVpopcnt; }

}  // namespace vex

#else

namespace vex {
const KernelTable* avx512Table() { return nullptr; }
uint64_t (*avx512PopcntHamming())(const uint8_t*, const uint8_t*, size_t) { return nullptr; }
}  // namespace vex

#endif
