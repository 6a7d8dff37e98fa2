#include "roofline.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif


namespace vex {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

size_t cacheSize(int name, size_t fallback) {
#if defined(_SC_LEVEL1_DCACHE_SIZE)
  long value = sysconf(name);
  if (value > 0) return static_cast<size_t>(value);
#else
  (void)name;
#endif
  return fallback;
}

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};

std::unique_ptr<float, FreeDeleter> allocateFloats(size_t count) {
  void* memory = nullptr;
  if (posix_memalign(&memory, 4096, count * sizeof(float)) != 0) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Huge pages: mapping 1 GiB in 4 KiB faults takes seconds on a busy machine, and costs TLB misses.
  madvise(memory, count * sizeof(float), MADV_HUGEPAGE);
#endif
  float* data = static_cast<float*>(memory);
  std::memset(data, 0x3c, count * sizeof(float));  // every float 0.0115: no denormals, pages really mapped
  return std::unique_ptr<float, FreeDeleter>(data);
}

// Every probe takes the best of many short rounds (~1 ms): on a shared machine the scheduler takes the core
// away for milliseconds at a time, and the best short round is the one that had the core to itself.
constexpr double kRoundSeconds = 0.001;

double peakFma(const KernelTable* t, float* sink, double budgetSeconds) {
  uint64_t iterations = 1 << 10;
  for (;;) {
    auto start = Clock::now();
    t->fmaProbe(iterations, sink);
    if (secondsSince(start) > kRoundSeconds || iterations > (1ull << 40)) break;
    iterations *= 2;
  }
  double best = 0;
  auto deadline = Clock::now() + std::chrono::duration<double>(budgetSeconds);
  for (int round = 0; round < 1000 && Clock::now() < deadline; round++) {
    auto start = Clock::now();
    double flops = t->fmaProbe(iterations, sink);
    best = std::max(best, flops / secondsSince(start) / 1e9);
  }
  return best;
}

// Streaming sums over `count` floats: whole passes for cache-sized buffers, 16 MiB chunks for the RAM one.
double loadRate(const KernelTable* t, const float* data, size_t count, double budgetSeconds, float* sink) {
  const size_t chunk = std::min<size_t>(count, (16u << 20) / sizeof(float));
  size_t repeats = 1;
  for (;;) {
    auto start = Clock::now();
    for (size_t r = 0; r < repeats; r++) *sink += t->loadProbe(data, chunk);
    if (secondsSince(start) > kRoundSeconds || chunk < count || repeats > (1u << 30)) break;
    repeats *= 2;
  }
  double best = 0;
  auto deadline = Clock::now() + std::chrono::duration<double>(budgetSeconds);
  size_t offset = 0;
  for (int round = 0; round < 5000 && Clock::now() < deadline; round++) {
    const float* at = data + offset;
    auto start = Clock::now();
    for (size_t r = 0; r < repeats; r++) *sink += t->loadProbe(at, chunk);
    best = std::max(best, static_cast<double>(chunk * sizeof(float) * repeats) / secondsSince(start) / 1e9);
    offset = offset + 2 * chunk <= count ? offset + chunk : 0;  // walk the RAM buffer so no chunk is still cached
  }
  return best;
}

}  // namespace

Roofline measureRoofline(const KernelTable* t, size_t ramBytes) {
  Roofline result;
  float sink = 0;
  result.fmaGflops = peakFma(t, &sink, 0.15);
  const size_t l1 = cacheSize(_SC_LEVEL1_DCACHE_SIZE, 32 * 1024);
  const size_t l2 = cacheSize(_SC_LEVEL2_CACHE_SIZE, 256 * 1024);
  result.l1CacheBytes = cacheSize(_SC_LEVEL1_DCACHE_SIZE, 0);
  result.l2CacheBytes = cacheSize(_SC_LEVEL2_CACHE_SIZE, 0);
  result.llcBytes = cacheSize(_SC_LEVEL3_CACHE_SIZE, 0);
  result.l1Bytes = l1 / 2;                            // half of L1 leaves room for the stack and the code
  result.l2Bytes = l1 + (l2 - std::min(l2, l1)) / 2;  // past L1, well inside L2
  if (ramBytes == 0) {
    ramBytes = std::min<size_t>(std::max<size_t>(result.llcBytes * 4, 256u << 20), 1u << 30);
  }
  result.ramBytes = ramBytes / 4096 * 4096;
  {
    auto buffer = allocateFloats(result.l2Bytes / sizeof(float));
    result.l1LoadGbps = loadRate(t, buffer.get(), result.l1Bytes / sizeof(float), 0.1, &sink);
    result.l2LoadGbps = loadRate(t, buffer.get(), result.l2Bytes / sizeof(float), 0.1, &sink);
  }
  {
    // The fill mapped every page and left only the buffer's tail in cache; chunks are read from the start.
    auto buffer = allocateFloats(result.ramBytes / sizeof(float));
    result.ramReadGbps = loadRate(t, buffer.get(), result.ramBytes / sizeof(float), 0.25, &sink);
  }
  // Keeps the sums alive so the compiler cannot drop the loads.
  volatile float keep = sink;
  (void)keep;
  return result;
}

}  // namespace vex
