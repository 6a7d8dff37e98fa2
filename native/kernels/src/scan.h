// Scans: Q queries against N contiguous vectors, writing all distances or keeping a top-k.
#pragma once
#include <cstddef>
#include <cstdint>

#include "backends.h"

namespace vex {

struct ScanJob {
  const KernelTable* table = nullptr;
  Metric metric = kL2;
  const void* queries = nullptr;  // queryCount * dim elements (float, or bytes for hamming)
  size_t queryCount = 0;
  const void* base = nullptr;     // count * dim elements, held as `storage` says
  Storage storage = kF32;         // f16 and i8 only with l2, dot and cosine
  float scale = 1.0f;             // i8: a stored value means scale * x
  size_t count = 0;
  size_t dim = 0;                 // elements per vector; bytes for hamming
  const uint8_t* allow = nullptr; // optional: vector i is eligible when bit (i & 7) of allow[i >> 3] is set
  float* distances = nullptr;     // distances mode: queryCount * count, row-major by query
  size_t k = 0;                   // top-k mode (distances == nullptr): queryCount * k slots each
  uint32_t* topIndices = nullptr;
  float* topDistances = nullptr;
};

// Final distance of one pair, as every entry point defines it:
// l2 = sum (a-b)^2, dot = -sum a*b, cosine = cosineFromParts, manhattan = sum |a-b|, hamming = differing bits.
// `a` is float32 (bytes for hamming); `b` is held as `storage` says.
float pairDistance(const KernelTable* table, Metric metric, Storage storage, float scale, const void* a, const void* b,
                   size_t dim);

// Bytes per element of a stored vector, and whether the (metric, storage) pair has kernels.
size_t storageBytes(Metric metric, Storage storage);
bool storageSupported(Metric metric, Storage storage);

// Runs the scan split over `threads` threads (1 = the calling thread only). Returns the number of
// results per query in top-k mode: min(k, eligible vectors); 0 in distances mode. Results are sorted
// ascending by distance, NaN after every number, ties by lower index. May throw std::bad_alloc.
size_t runScan(const ScanJob& job, unsigned threads);

}  // namespace vex
