#include "scan.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace vex {
namespace {

struct Entry {
  float distance;
  uint32_t index;
};

// Total order for results: numbers ascending, NaN after all numbers, ties by index.
inline bool before(const Entry& a, const Entry& b) {
  bool aNan = a.distance != a.distance, bNan = b.distance != b.distance;
  if (aNan != bNan) return bNan;
  if (!aNan && a.distance != b.distance) return a.distance < b.distance;
  return a.index < b.index;
}

// Max-heap on `before`: the front is the worst kept result, replaced when a better one arrives.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { heap_.reserve(k); }
  void push(float distance, uint32_t index) {
    Entry entry{distance, index};
    if (heap_.size() < k_) {
      heap_.push_back(entry);
      std::push_heap(heap_.begin(), heap_.end(), before);
    } else if (before(entry, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), before);
      heap_.back() = entry;
      std::push_heap(heap_.begin(), heap_.end(), before);
    }
  }
  const std::vector<Entry>& entries() const { return heap_; }

 private:
  size_t k_;
  std::vector<Entry> heap_;
};

inline bool allowed(const uint8_t* allow, size_t i) { return allow == nullptr || ((allow[i >> 3] >> (i & 7)) & 1u); }

inline size_t queryBytes(Metric metric) { return metric == kHamming ? 1 : sizeof(float); }

inline const void* queryRow(const ScanJob& job, size_t q) {
  return static_cast<const uint8_t*>(job.queries) + q * job.dim * queryBytes(job.metric);
}

inline const void* baseRow(const ScanJob& job, size_t i) {
  return static_cast<const uint8_t*>(job.base) + i * job.dim * storageBytes(job.metric, job.storage);
}

// Vectors per cache block: small enough that a block stays in L2 while every query passes over it.
constexpr size_t kBlockBytes = 128 * 1024;

struct Emitter {
  const ScanJob* job;
  std::vector<TopK>* heaps;
  void operator()(size_t q, size_t i, float d) const {
    if (job->distances != nullptr) {
      job->distances[q * job->count + i] = d;
    } else {
      (*heaps)[q].push(d, static_cast<uint32_t>(i));
    }
  }
};

template <int M, int S>
inline float distanceOf(const KernelTable* t, const void* a, const void* b, size_t dim, float scale) {
  const float* q = static_cast<const float*>(a);
  if (M == kHamming) {
    return static_cast<float>(t->hamming(static_cast<const uint8_t*>(a), static_cast<const uint8_t*>(b), dim));
  }
  if (S == kF16) {
    const uint16_t* x = static_cast<const uint16_t*>(b);
    if (M == kL2) return t->l2F16(q, x, dim);
    if (M == kDot) return -t->dotF16(q, x, dim);
    float parts[3];
    t->dotNormsF16(q, x, dim, parts);
    return cosineFromParts(parts[0], parts[1], parts[2]);
  }
  if (S == kI8) {
    const int8_t* x = static_cast<const int8_t*>(b);
    if (M == kL2) return t->l2I8(q, x, dim, scale);
    if (M == kDot) return -(scale * t->dotI8(q, x, dim));
    float parts[3];
    t->dotNormsI8(q, x, dim, parts);  // the scale cancels in the cosine
    return cosineFromParts(parts[0], parts[1], parts[2]);
  }
  const float* x = static_cast<const float*>(b);
  if (M == kL2) return t->l2(q, x, dim);
  if (M == kDot) return -t->dot(q, x, dim);
  if (M == kManhattan) return t->manhattan(q, x, dim);
  float parts[3];
  t->dotNorms(q, x, dim, parts);
  return cosineFromParts(parts[0], parts[1], parts[2]);
}

// One query over [begin, end): the streaming path (single queries, non-tiled metrics and storages,
// remainders). Metric and storage are template arguments so the loop holds one indirect call, no switch.
template <int M, int S>
void scanPlain(const ScanJob& job, size_t q, size_t begin, size_t end, TopK* heap) {
  const KernelTable* t = job.table;
  const size_t stride = job.dim * storageBytes(static_cast<Metric>(M), static_cast<Storage>(S));
  const void* query = queryRow(job, q);
  const uint8_t* base = static_cast<const uint8_t*>(job.base);
  const float scale = job.scale;
  if (job.distances != nullptr) {
    float* out = job.distances + q * job.count;
    for (size_t i = begin; i < end; i++) out[i] = distanceOf<M, S>(t, query, base + i * stride, job.dim, scale);
    return;
  }
  for (size_t i = begin; i < end; i++) {
    if (!allowed(job.allow, i)) continue;
    heap->push(distanceOf<M, S>(t, query, base + i * stride, job.dim, scale), static_cast<uint32_t>(i));
  }
}

template <int S>
void scanPlainStorage(const ScanJob& job, size_t q, size_t begin, size_t end, TopK* heap) {
  switch (job.metric) {
    case kL2:
      return scanPlain<kL2, S>(job, q, begin, end, heap);
    case kDot:
      return scanPlain<kDot, S>(job, q, begin, end, heap);
    case kCosine:
      return scanPlain<kCosine, S>(job, q, begin, end, heap);
    case kManhattan:
      return scanPlain<kManhattan, kF32>(job, q, begin, end, heap);
    case kHamming:
      return scanPlain<kHamming, kF32>(job, q, begin, end, heap);
  }
}

void scanPlainAny(const ScanJob& job, size_t q, size_t begin, size_t end, TopK* heap) {
  switch (job.storage) {
    case kF32:
      return scanPlainStorage<kF32>(job, q, begin, end, heap);
    case kF16:
      return scanPlainStorage<kF16>(job, q, begin, end, heap);
    case kI8:
      return scanPlainStorage<kI8>(job, q, begin, end, heap);
  }
}

void scanRange(const ScanJob& job, size_t begin, size_t end, std::vector<TopK>* heaps) {
  const KernelTable* t = job.table;
  const Metric metric = job.metric;
  const size_t dim = job.dim;
  Emitter emit{&job, heaps};
  const size_t blockVectors =
      std::max<size_t>(2, kBlockBytes / std::max<size_t>(1, dim * storageBytes(metric, job.storage)));
  const bool tiled =
      job.queryCount >= 4 && job.storage == kF32 && (metric == kL2 || metric == kDot || metric == kCosine);
  const size_t tiledQueries = tiled ? job.queryCount / 4 * 4 : 0;
  std::vector<float> queryNorms;
  if (metric == kCosine && tiled) {
    queryNorms.resize(job.queryCount);
    for (size_t q = 0; q < job.queryCount; q++) {
      const float* qv = static_cast<const float*>(queryRow(job, q));
      queryNorms[q] = t->dot(qv, qv, dim);
    }
  }
  std::vector<uint32_t> ids;
  std::vector<float> baseNorms;
  ids.reserve(blockVectors);
  for (size_t blockBegin = begin; blockBegin < end; blockBegin += blockVectors) {
    const size_t blockEnd = std::min(end, blockBegin + blockVectors);
    for (size_t q = tiledQueries; q < job.queryCount; q++) {
      scanPlainAny(job, q, blockBegin, blockEnd, heaps != nullptr && !heaps->empty() ? &(*heaps)[q] : nullptr);
    }
    if (!tiled) continue;
    ids.clear();
    for (size_t i = blockBegin; i < blockEnd; i++) {
      if (allowed(job.allow, i)) ids.push_back(static_cast<uint32_t>(i));
    }
    {
      const TileFn tile = metric == kL2 ? t->l2Tile : t->dotTile;
      if (metric == kCosine) {
        baseNorms.resize(ids.size());
        for (size_t j = 0; j < ids.size(); j++) {
          const float* x = static_cast<const float*>(baseRow(job, ids[j]));
          baseNorms[j] = t->dot(x, x, dim);
        }
      }
      auto finish = [&](size_t q, size_t j, float raw) {
        if (metric == kL2) return raw;
        if (metric == kDot) return -raw;
        return cosineFromParts(raw, queryNorms[q], baseNorms[j]);
      };
      const size_t width = static_cast<size_t>(t->tileWidth);
      for (size_t q0 = 0; q0 < tiledQueries; q0 += 4) {
        const float* qs[4];
        for (int r = 0; r < 4; r++) qs[r] = static_cast<const float*>(queryRow(job, q0 + r));
        size_t j = 0;
        float out[16];
        const float* xs[4];
        for (; j + width <= ids.size(); j += width) {
          for (size_t v = 0; v < width; v++) xs[v] = static_cast<const float*>(baseRow(job, ids[j + v]));
          tile(qs, xs, dim, out);
          if (job.distances != nullptr && metric == kL2) {  // the common batch: plain stores, no per-value branches
            for (size_t r = 0; r < 4; r++) {
              float* rowOut = job.distances + (q0 + r) * job.count;
              for (size_t v = 0; v < width; v++) rowOut[ids[j + v]] = out[r * width + v];
            }
            continue;
          }
          for (size_t r = 0; r < 4; r++) {
            for (size_t v = 0; v < width; v++) emit(q0 + r, ids[j + v], finish(q0 + r, j + v, out[r * width + v]));
          }
        }
        for (; j < ids.size(); j++) {
          for (int r = 0; r < 4; r++) {
            emit(q0 + r, ids[j], pairDistance(t, metric, kF32, 1.0f, qs[r], baseRow(job, ids[j]), dim));
          }
        }
      }
    }
  }
}

size_t eligibleCount(const ScanJob& job) {
  if (job.allow == nullptr) return job.count;
  size_t total = 0;
  for (size_t i = 0; i < job.count; i++) total += allowed(job.allow, i) ? 1 : 0;
  return total;
}

}  // namespace

size_t storageBytes(Metric metric, Storage storage) {
  if (metric == kHamming) return 1;
  return storage == kF32 ? sizeof(float) : storage == kF16 ? sizeof(uint16_t) : sizeof(int8_t);
}

bool storageSupported(Metric metric, Storage storage) {
  return storage == kF32 || metric == kL2 || metric == kDot || metric == kCosine;
}

float pairDistance(const KernelTable* t, Metric metric, Storage storage, float scale, const void* a, const void* b,
                   size_t dim) {
  if (storage == kF32) {  // the pairwise hot path: no job, one switch
    switch (metric) {
      case kL2:
        return distanceOf<kL2, kF32>(t, a, b, dim, scale);
      case kDot:
        return distanceOf<kDot, kF32>(t, a, b, dim, scale);
      case kCosine:
        return distanceOf<kCosine, kF32>(t, a, b, dim, scale);
      case kManhattan:
        return distanceOf<kManhattan, kF32>(t, a, b, dim, scale);
      case kHamming:
        return distanceOf<kHamming, kF32>(t, a, b, dim, scale);
    }
  }
  ScanJob job;
  job.table = t;
  job.metric = metric;
  job.storage = storage;
  job.scale = scale;
  job.queries = a;
  job.queryCount = 1;
  job.base = b;
  job.count = 1;
  job.dim = dim;
  float distance = 0.0f;
  job.distances = &distance;
  scanPlainAny(job, 0, 0, 1, nullptr);
  return distance;
}

size_t runScan(const ScanJob& job, unsigned threads) {
  const bool topK = job.distances == nullptr;
  if (job.queryCount == 0 || job.count == 0) return 0;
  // Fewer than ~4096 vectors per thread costs more in thread start-up than it saves.
  const size_t maxUseful = std::max<size_t>(1, job.count / 4096);
  const size_t parts = std::max<size_t>(1, std::min<size_t>(threads, maxUseful));
  std::vector<std::vector<TopK>> heaps(parts);
  if (topK) {
    for (auto& h : heaps) h.assign(job.queryCount, TopK(job.k));
  }
  auto rangeOf = [&](size_t p) {
    return std::pair<size_t, size_t>{job.count * p / parts, job.count * (p + 1) / parts};
  };
  // Every part records its own failure; nothing may leave a std::thread (that would abort).
  std::vector<std::exception_ptr> failures(parts);
  auto runPart = [&](size_t p) {
    try {
      auto range = rangeOf(p);
      scanRange(job, range.first, range.second, &heaps[p]);
    } catch (...) {
      failures[p] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  std::vector<size_t> inlineParts;
  for (size_t p = 1; p < parts; p++) {
    try {
      workers.emplace_back(runPart, p);
    } catch (...) {
      inlineParts.push_back(p);  // no thread to be had: do that part here
    }
  }
  runPart(0);
  for (size_t p : inlineParts) runPart(p);
  for (auto& w : workers) w.join();
  for (auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  if (!topK) return 0;
  const size_t results = std::min(job.k, eligibleCount(job));
  std::vector<Entry> merged;
  for (size_t q = 0; q < job.queryCount; q++) {
    merged.clear();
    for (auto& h : heaps) merged.insert(merged.end(), h[q].entries().begin(), h[q].entries().end());
    std::sort(merged.begin(), merged.end(), before);
    for (size_t r = 0; r < results; r++) {
      job.topIndices[q * job.k + r] = merged[r].index;
      job.topDistances[q * job.k + r] = merged[r].distance;
    }
  }
  return results;
}

}  // namespace vex
