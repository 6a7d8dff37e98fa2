// Kernel table shared by every backend. Each backend file compiles its SIMD code with
// per-function target attributes, so one binary carries all of them and dispatch picks
// one at load from the CPU's features (no -march flag anywhere).
#pragma once
#include <cstddef>
#include <cstdint>

namespace vex {

enum Metric : int { kL2 = 0, kDot = 1, kCosine = 2, kManhattan = 3, kHamming = 4 };

// How stored vectors are held. Queries are always float32. f16 is IEEE half precision (raw bits);
// i8 is symmetric scalar quantisation: the value is scale * x. Only l2, dot and cosine take f16/i8.
enum Storage : int { kF32 = 0, kF16 = 1, kI8 = 2 };

// A register tile of 4 queries x `tileWidth` vectors: out[q * tileWidth + v] = op(queries[q], xs[v]).
using TileFn = void (*)(const float* const* queries, const float* const* xs, size_t dim, float* out);

struct KernelTable {
  const char* name;
  float (*l2)(const float* a, const float* b, size_t dim);         // sum (a-b)^2
  float (*dot)(const float* a, const float* b, size_t dim);        // sum a*b (raw, not a distance)
  void (*dotNorms)(const float* a, const float* b, size_t dim, float* abAaBb);  // one pass for cosine
  float (*manhattan)(const float* a, const float* b, size_t dim);  // sum |a-b|
  uint64_t (*hamming)(const uint8_t* a, const uint8_t* b, size_t bytes);
  // Float32 query against f16 / i8 storage. l2I8 applies the scale; dotI8 and dotNormsI8 return unscaled sums
  // (dot is scaled by the caller; cosine does not depend on the scale).
  float (*l2F16)(const float* q, const uint16_t* x, size_t dim);
  float (*dotF16)(const float* q, const uint16_t* x, size_t dim);
  void (*dotNormsF16)(const float* q, const uint16_t* x, size_t dim, float* abAaBb);
  float (*l2I8)(const float* q, const int8_t* x, size_t dim, float scale);
  float (*dotI8)(const float* q, const int8_t* x, size_t dim);
  void (*dotNormsI8)(const float* q, const int8_t* x, size_t dim, float* abAaBb);
  TileFn l2Tile;
  TileFn dotTile;
  // Roofline probes: FMA chains on registers (returns flops done) and a streaming sum (returns the sum).
  double (*fmaProbe)(uint64_t iterations, float* sink);
  float (*loadProbe)(const float* data, size_t count);
  // Vectors per tile: 4 where 32 vector registers hold 16 accumulators (AVX-512), else 2.
  int tileWidth;
};

const KernelTable* scalarTable();
const KernelTable* avx2Table();    // nullptr when not compiled for x86
const KernelTable* avx512Table();  // nullptr when not compiled for x86
const KernelTable* neonTable();    // nullptr when not compiled for aarch64
// AVX-512 hamming with VPOPCNTDQ, used by the avx512 table when the CPU has it.
uint64_t (*avx512PopcntHamming())(const uint8_t*, const uint8_t*, size_t);

// IEEE half to float, exactly (scalar kernels, tails and tests).
inline float halfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1fu;
  uint32_t mantissa = h & 0x3ffu;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // Inf or NaN
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {
    // Subnormal half: normalise into a float.
    int shift = 0;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      shift++;
    }
    bits = sign | (static_cast<uint32_t>(113 - shift) << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float value;
  __builtin_memcpy(&value, &bits, sizeof value);
  return value;
}

// Cosine distance from its parts, computed in double so |a|^2 |b|^2 cannot overflow.
// Zero vectors: both zero -> 0 (identical); exactly one zero -> 1 (no direction to compare).
// NaN in any part -> NaN. Otherwise 1 - cos, clamped to [0, 2] against rounding.
inline float cosineFromParts(float ab, float aa, float bb) {
  if (ab != ab || aa != aa || bb != bb) return ab + aa + bb;  // NaN propagates
  if (aa == 0.0f && bb == 0.0f) return 0.0f;
  if (aa == 0.0f || bb == 0.0f) return 1.0f;
  double denominator = __builtin_sqrt(static_cast<double>(aa)) * __builtin_sqrt(static_cast<double>(bb));
  double distance = 1.0 - static_cast<double>(ab) / denominator;
  if (distance != distance) return static_cast<float>(distance);  // inf/inf
  if (distance < 0.0) distance = 0.0;
  if (distance > 2.0) distance = 2.0;
  return static_cast<float>(distance);
}

}  // namespace vex
