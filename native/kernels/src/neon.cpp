// NEON kernels for arm64, where Advanced SIMD is part of the baseline ISA.
#include "backends.h"

#if defined(__aarch64__)
#include <arm_neon.h>

namespace vex {
namespace {

float l2Neon(const float* a, const float* b, size_t n) {
  float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0), s2 = vdupq_n_f32(0), s3 = vdupq_n_f32(0);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    float32x4_t d0 = vsubq_f32(vld1q_f32(a + i), vld1q_f32(b + i));
    float32x4_t d1 = vsubq_f32(vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
    float32x4_t d2 = vsubq_f32(vld1q_f32(a + i + 8), vld1q_f32(b + i + 8));
    float32x4_t d3 = vsubq_f32(vld1q_f32(a + i + 12), vld1q_f32(b + i + 12));
    s0 = vfmaq_f32(s0, d0, d0);
    s1 = vfmaq_f32(s1, d1, d1);
    s2 = vfmaq_f32(s2, d2, d2);
    s3 = vfmaq_f32(s3, d3, d3);
  }
  for (; i + 4 <= n; i += 4) {
    float32x4_t d = vsubq_f32(vld1q_f32(a + i), vld1q_f32(b + i));
    s0 = vfmaq_f32(s0, d, d);
  }
  float tail = 0;
  for (; i < n; i++) {
    float d = a[i] - b[i];
    tail += d * d;
  }
  return vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3))) + tail;
}

float dotNeon(const float* a, const float* b, size_t n) {
  float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0), s2 = vdupq_n_f32(0), s3 = vdupq_n_f32(0);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
    s1 = vfmaq_f32(s1, vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
    s2 = vfmaq_f32(s2, vld1q_f32(a + i + 8), vld1q_f32(b + i + 8));
    s3 = vfmaq_f32(s3, vld1q_f32(a + i + 12), vld1q_f32(b + i + 12));
  }
  for (; i + 4 <= n; i += 4) s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
  float tail = 0;
  for (; i < n; i++) tail += a[i] * b[i];
  return vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3))) + tail;
}

void dotNormsNeon(const float* a, const float* b, size_t n, float* out) {
  float32x4_t ab = vdupq_n_f32(0), aa = vdupq_n_f32(0), bb = vdupq_n_f32(0);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float32x4_t x = vld1q_f32(a + i), y = vld1q_f32(b + i);
    ab = vfmaq_f32(ab, x, y);
    aa = vfmaq_f32(aa, x, x);
    bb = vfmaq_f32(bb, y, y);
  }
  float tab = 0, taa = 0, tbb = 0;
  for (; i < n; i++) {
    tab += a[i] * b[i];
    taa += a[i] * a[i];
    tbb += b[i] * b[i];
  }
  out[0] = vaddvq_f32(ab) + tab;
  out[1] = vaddvq_f32(aa) + taa;
  out[2] = vaddvq_f32(bb) + tbb;
}

float manhattanNeon(const float* a, const float* b, size_t n) {
  float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 = vaddq_f32(s0, vabdq_f32(vld1q_f32(a + i), vld1q_f32(b + i)));
    s1 = vaddq_f32(s1, vabdq_f32(vld1q_f32(a + i + 4), vld1q_f32(b + i + 4)));
  }
  for (; i + 4 <= n; i += 4) s0 = vaddq_f32(s0, vabdq_f32(vld1q_f32(a + i), vld1q_f32(b + i)));
  float tail = 0;
  for (; i < n; i++) tail += __builtin_fabsf(a[i] - b[i]);
  return vaddvq_f32(vaddq_f32(s0, s1)) + tail;
}

uint64_t hammingNeon(const uint8_t* a, const uint8_t* b, size_t n) {
  uint64_t bits = 0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    uint8x16_t x = veorq_u8(vld1q_u8(a + i), vld1q_u8(b + i));
    bits += vaddlvq_u8(vcntq_u8(x));
  }
  for (; i < n; i++) bits += static_cast<uint64_t>(__builtin_popcount(static_cast<unsigned>(a[i] ^ b[i])));
  return bits;
}

// Eight stored values widened to two float32x4 halves.
struct F16Loader {
  using T = uint16_t;
  static float32x4x2_t load(const uint16_t* p) {
    float32x4x2_t v;
    v.val[0] = vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p)));
    v.val[1] = vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p + 4)));
    return v;
  }
  static float one(uint16_t v) { return halfToFloat(v); }
};
struct I8Loader {
  using T = int8_t;
  static float32x4x2_t load(const int8_t* p) {
    int16x8_t wide = vmovl_s8(vld1_s8(p));
    float32x4x2_t v;
    v.val[0] = vcvtq_f32_s32(vmovl_s16(vget_low_s16(wide)));
    v.val[1] = vcvtq_f32_s32(vmovl_s16(vget_high_s16(wide)));
    return v;
  }
  static float one(int8_t v) { return static_cast<float>(v); }
};

template <class L>
float l2Conv(const float* q, const typename L::T* x, size_t n, float scale) {
  float32x4_t a0 = vdupq_n_f32(0), a1 = vdupq_n_f32(0);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    float32x4x2_t v = L::load(x + i);
    float32x4_t d0 = vsubq_f32(vld1q_f32(q + i), vmulq_n_f32(v.val[0], scale));
    float32x4_t d1 = vsubq_f32(vld1q_f32(q + i + 4), vmulq_n_f32(v.val[1], scale));
    a0 = vfmaq_f32(a0, d0, d0);
    a1 = vfmaq_f32(a1, d1, d1);
  }
  float tail = 0;
  for (; i < n; i++) {
    float d = q[i] - scale * L::one(x[i]);
    tail += d * d;
  }
  return vaddvq_f32(vaddq_f32(a0, a1)) + tail;
}

template <class L>
float dotConv(const float* q, const typename L::T* x, size_t n) {
  float32x4_t a0 = vdupq_n_f32(0), a1 = vdupq_n_f32(0);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    float32x4x2_t v = L::load(x + i);
    a0 = vfmaq_f32(a0, vld1q_f32(q + i), v.val[0]);
    a1 = vfmaq_f32(a1, vld1q_f32(q + i + 4), v.val[1]);
  }
  float tail = 0;
  for (; i < n; i++) tail += q[i] * L::one(x[i]);
  return vaddvq_f32(vaddq_f32(a0, a1)) + tail;
}

template <class L>
void dotNormsConv(const float* q, const typename L::T* x, size_t n, float* out) {
  float32x4_t ab = vdupq_n_f32(0), aa = vdupq_n_f32(0), bb = vdupq_n_f32(0);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    float32x4x2_t v = L::load(x + i);
    for (int h = 0; h < 2; h++) {
      float32x4_t qv = vld1q_f32(q + i + h * 4);
      ab = vfmaq_f32(ab, qv, v.val[h]);
      aa = vfmaq_f32(aa, qv, qv);
      bb = vfmaq_f32(bb, v.val[h], v.val[h]);
    }
  }
  float tab = 0, taa = 0, tbb = 0;
  for (; i < n; i++) {
    float y = L::one(x[i]);
    tab += q[i] * y;
    taa += q[i] * q[i];
    tbb += y * y;
  }
  out[0] = vaddvq_f32(ab) + tab;
  out[1] = vaddvq_f32(aa) + taa;
  out[2] = vaddvq_f32(bb) + tbb;
}

float l2F16Neon(const float* q, const uint16_t* x, size_t n) { return l2Conv<F16Loader>(q, x, n, 1.0f); }

template <bool kL2>
void tileNeon(const float* const* q, const float* const* xs, size_t n, float* out) {
  const float *x0 = xs[0], *x1 = xs[1];
  float32x4_t acc[8];
  for (int j = 0; j < 8; j++) acc[j] = vdupq_n_f32(0);
  float tail[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float32x4_t v0 = vld1q_f32(x0 + i), v1 = vld1q_f32(x1 + i);
    for (int j = 0; j < 4; j++) {
      float32x4_t qv = vld1q_f32(q[j] + i);
      if (kL2) {
        float32x4_t d0 = vsubq_f32(qv, v0), d1 = vsubq_f32(qv, v1);
        acc[j * 2] = vfmaq_f32(acc[j * 2], d0, d0);
        acc[j * 2 + 1] = vfmaq_f32(acc[j * 2 + 1], d1, d1);
      } else {
        acc[j * 2] = vfmaq_f32(acc[j * 2], qv, v0);
        acc[j * 2 + 1] = vfmaq_f32(acc[j * 2 + 1], qv, v1);
      }
    }
  }
  for (; i < n; i++) {
    for (int j = 0; j < 4; j++) {
      if (kL2) {
        float d0 = q[j][i] - x0[i], d1 = q[j][i] - x1[i];
        tail[j * 2] += d0 * d0;
        tail[j * 2 + 1] += d1 * d1;
      } else {
        tail[j * 2] += q[j][i] * x0[i];
        tail[j * 2 + 1] += q[j][i] * x1[i];
      }
    }
  }
  for (int j = 0; j < 8; j++) out[j] = vaddvq_f32(acc[j]) + tail[j];
}

double fmaProbeNeon(uint64_t iterations, float* sink) {
  float32x4_t acc[16];
  for (int j = 0; j < 16; j++) acc[j] = vdupq_n_f32(static_cast<float>(j + 1));
  const float32x4_t m = vdupq_n_f32(0.999999f), c = vdupq_n_f32(1e-7f);
  for (uint64_t it = 0; it < iterations; it++) {
    for (int j = 0; j < 16; j++) acc[j] = vfmaq_f32(c, acc[j], m);
  }
  float32x4_t total = acc[0];
  for (int j = 1; j < 16; j++) total = vaddq_f32(total, acc[j]);
  *sink += vaddvq_f32(total);
  return static_cast<double>(iterations) * 16.0 * 4.0 * 2.0;
}

float loadProbeNeon(const float* data, size_t count) {
  float32x4_t s[8];
  for (int j = 0; j < 8; j++) s[j] = vdupq_n_f32(0);
  size_t i = 0;
  for (; i + 32 <= count; i += 32) {
    for (int j = 0; j < 8; j++) s[j] = vaddq_f32(s[j], vld1q_f32(data + i + j * 4));
  }
  float rest = 0;
  for (; i < count; i++) rest += data[i];
  float32x4_t total = s[0];
  for (int j = 1; j < 8; j++) total = vaddq_f32(total, s[j]);
  return vaddvq_f32(total) + rest;
}

const KernelTable kNeon = {
    "neon",
    l2Neon,
    dotNeon,
    dotNormsNeon,
    manhattanNeon,
    hammingNeon,
    l2F16Neon,
    dotConv<F16Loader>,
    dotNormsConv<F16Loader>,
    l2Conv<I8Loader>,
    dotConv<I8Loader>,
    dotNormsConv<I8Loader>,
    tileNeon<true>,
    tileNeon<false>,
    fmaProbeNeon,
    loadProbeNeon,
    2,
};

}  // namespace

const KernelTable* neonTable() { return &kNeon; }

}  // namespace vex

#else

namespace vex {
const KernelTable* neonTable() { return nullptr; }
}  // namespace vex

#endif
