// Kernel table shared by every backend. Each backend file compiles its SIMD code with
// per-function target attributes, so one binary carries all of them and dispatch picks
// one at load from the CPU's features (no -march flag anywhere).
#pragma once
#include <cstddef>
#include <cstdint>

namespace vex {

enum Metric : int { kL2 = 0, kDot = 1, kCosine = 2, kManhattan = 3, kHamming = 4 };

// A 4-query x 2-vector register tile: out[q * 2 + v] = op(queries[q], x_v).
using TileFn = void (*)(const float* const* queries, const float* x0, const float* x1, size_t dim, float* out);

struct KernelTable {
  const char* name;
  float (*l2)(const float* a, const float* b, size_t dim);         // sum (a-b)^2
  float (*dot)(const float* a, const float* b, size_t dim);        // sum a*b (raw, not a distance)
  void (*dotNorms)(const float* a, const float* b, size_t dim, float* abAaBb);  // one pass for cosine
  float (*manhattan)(const float* a, const float* b, size_t dim);  // sum |a-b|
  uint64_t (*hamming)(const uint8_t* a, const uint8_t* b, size_t bytes);
  TileFn l2Tile;
  TileFn dotTile;
  // Roofline probes: FMA chains on registers (returns flops done) and a streaming sum (returns the sum).
  double (*fmaProbe)(uint64_t iterations, float* sink);
  float (*loadProbe)(const float* data, size_t count);
};

const KernelTable* scalarTable();
const KernelTable* avx2Table();    // nullptr when not compiled for x86
const KernelTable* avx512Table();  // nullptr when not compiled for x86
const KernelTable* neonTable();    // nullptr when not compiled for aarch64
// AVX-512 hamming with VPOPCNTDQ, used by the avx512 table when the CPU has it.
uint64_t (*avx512PopcntHamming())(const uint8_t*, const uint8_t*, size_t);

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
