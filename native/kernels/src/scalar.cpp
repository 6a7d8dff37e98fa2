// Portable scalar kernels: the reference backend and the one used when SIMD is off.
// Four independent accumulators give the compiler instruction-level parallelism
// without reassociating floating point (no -ffast-math).
#include "backends.h"

namespace vex {
namespace {

float l2Scalar(const float* a, const float* b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < n; i++) {
    float d = a[i] - b[i];
    s0 += d * d;
  }
  return (s0 + s1) + (s2 + s3);
}

float dotScalar(const float* a, const float* b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

void dotNormsScalar(const float* a, const float* b, size_t n, float* out) {
  float ab0 = 0, ab1 = 0, aa0 = 0, aa1 = 0, bb0 = 0, bb1 = 0;
  size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    ab0 += a[i] * b[i];
    ab1 += a[i + 1] * b[i + 1];
    aa0 += a[i] * a[i];
    aa1 += a[i + 1] * a[i + 1];
    bb0 += b[i] * b[i];
    bb1 += b[i + 1] * b[i + 1];
  }
  for (; i < n; i++) {
    ab0 += a[i] * b[i];
    aa0 += a[i] * a[i];
    bb0 += b[i] * b[i];
  }
  out[0] = ab0 + ab1;
  out[1] = aa0 + aa1;
  out[2] = bb0 + bb1;
}

float manhattanScalar(const float* a, const float* b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += __builtin_fabsf(a[i] - b[i]);
    s1 += __builtin_fabsf(a[i + 1] - b[i + 1]);
    s2 += __builtin_fabsf(a[i + 2] - b[i + 2]);
    s3 += __builtin_fabsf(a[i + 3] - b[i + 3]);
  }
  for (; i < n; i++) s0 += __builtin_fabsf(a[i] - b[i]);
  return (s0 + s1) + (s2 + s3);
}

uint64_t hammingScalar(const uint8_t* a, const uint8_t* b, size_t n) {
  uint64_t bits = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    __builtin_memcpy(&x, a + i, 8);
    __builtin_memcpy(&y, b + i, 8);
    bits += static_cast<uint64_t>(__builtin_popcountll(x ^ y));
  }
  for (; i < n; i++) bits += static_cast<uint64_t>(__builtin_popcount(static_cast<unsigned>(a[i] ^ b[i])));
  return bits;
}

inline float widen(uint16_t h, float) { return halfToFloat(h); }
inline float widen(int8_t v, float scale) { return scale * static_cast<float>(v); }

template <typename T>
float l2Conv(const float* q, const T* x, size_t n, float scale) {
  float s0 = 0, s1 = 0;
  size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    float d0 = q[i] - widen(x[i], scale), d1 = q[i + 1] - widen(x[i + 1], scale);
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  for (; i < n; i++) {
    float d = q[i] - widen(x[i], scale);
    s0 += d * d;
  }
  return s0 + s1;
}

template <typename T>
float dotConv(const float* q, const T* x, size_t n) {
  float s0 = 0, s1 = 0;
  size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    s0 += q[i] * widen(x[i], 1.0f);
    s1 += q[i + 1] * widen(x[i + 1], 1.0f);
  }
  for (; i < n; i++) s0 += q[i] * widen(x[i], 1.0f);
  return s0 + s1;
}

template <typename T>
void dotNormsConv(const float* q, const T* x, size_t n, float* out) {
  float ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < n; i++) {
    float y = widen(x[i], 1.0f);
    ab += q[i] * y;
    aa += q[i] * q[i];
    bb += y * y;
  }
  out[0] = ab;
  out[1] = aa;
  out[2] = bb;
}

float l2F16Scalar(const float* q, const uint16_t* x, size_t n) { return l2Conv(q, x, n, 1.0f); }

void l2TileScalar(const float* const* q, const float* const* xs, size_t n, float* out) {
  const float *x0 = xs[0], *x1 = xs[1];
  for (int j = 0; j < 4; j++) {
    out[j * 2] = l2Scalar(q[j], x0, n);
    out[j * 2 + 1] = l2Scalar(q[j], x1, n);
  }
}

void dotTileScalar(const float* const* q, const float* const* xs, size_t n, float* out) {
  const float *x0 = xs[0], *x1 = xs[1];
  for (int j = 0; j < 4; j++) {
    out[j * 2] = dotScalar(q[j], x0, n);
    out[j * 2 + 1] = dotScalar(q[j], x1, n);
  }
}

double fmaProbeScalar(uint64_t iterations, float* sink) {
  // 32 independent multiply-add chains (the compiler may pack them into baseline SIMD registers): enough
  // independent work that throughput, not the add latency, bounds the rate.
  float acc[32];
  for (int j = 0; j < 32; j++) acc[j] = static_cast<float>(j + 1);
  const float m = 0.999999f, c = 1e-7f;
  for (uint64_t it = 0; it < iterations; it++) {
    for (int j = 0; j < 32; j++) acc[j] = acc[j] * m + c;
  }
  float total = 0;
  for (int j = 0; j < 32; j++) total += acc[j];
  *sink += total;
  return static_cast<double>(iterations) * 32.0 * 2.0;
}

float loadProbeScalar(const float* data, size_t count) {
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    for (int j = 0; j < 8; j++) s[j] += data[i + j];
  }
  for (; i < count; i++) s[0] += data[i];
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

const KernelTable kScalar = {
    "scalar",
    l2Scalar,
    dotScalar,
    dotNormsScalar,
    manhattanScalar,
    hammingScalar,
    l2F16Scalar,
    dotConv<uint16_t>,
    dotNormsConv<uint16_t>,
    l2Conv<int8_t>,
    dotConv<int8_t>,
    dotNormsConv<int8_t>,
    l2TileScalar,
    dotTileScalar,
    fmaProbeScalar,
    loadProbeScalar,
    2,
};

}  // namespace

const KernelTable* scalarTable() { return &kScalar; }

}  // namespace vex
