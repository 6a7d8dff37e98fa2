// Scan vs RAM probe, both as the best 16 MiB chunk while walking a 1 GiB buffer.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <string>
#include <vector>
#include <sys/mman.h>
#include "../src/dispatch.h"
#include "../src/scan.h"
#include "../src/roofline.h"
using Clock = std::chrono::steady_clock;
int main() {
  const size_t bytes = 1u << 30, chunkBytes = 16u << 20;
  void* mem = nullptr; posix_memalign(&mem, 4096, bytes); madvise(mem, bytes, MADV_HUGEPAGE); std::memset(mem, 0x3c, bytes);
  float* data = static_cast<float*>(mem);
  for (size_t dim : {128, 768}) {
    std::vector<float> q(dim, 0.5f);
    const size_t perChunk = chunkBytes / (dim * 4);
    std::vector<float> out(perChunk);
    for (const char* name : {"avx512", "avx2", "scalar"}) {
      std::string err; const vex::KernelTable* t = vex::tableFor(name, &err);
      double best = 0; size_t off = 0; auto end = Clock::now() + std::chrono::milliseconds(400);
      while (Clock::now() < end) {
        vex::ScanJob job; job.table = t; job.metric = vex::kL2; job.queries = q.data(); job.queryCount = 1;
        job.base = data + off; job.count = perChunk; job.dim = dim; job.distances = out.data();
        auto s = Clock::now(); vex::runScan(job, 1);
        best = std::max(best, chunkBytes / std::chrono::duration<double>(Clock::now() - s).count() / 1e9);
        off += perChunk * dim; if ((off + perChunk * dim) * 4 > bytes) off = 0;
      }
      float sink = 0; double probe = 0; off = 0; end = Clock::now() + std::chrono::milliseconds(400);
      while (Clock::now() < end) {
        auto s = Clock::now(); sink += t->loadProbe(data + off, chunkBytes / 4);
        probe = std::max(probe, chunkBytes / std::chrono::duration<double>(Clock::now() - s).count() / 1e9);
        off += chunkBytes / 4; if ((off * 4 + chunkBytes) > bytes) off = 0;
      }
      std::printf("d%zu %s: one-to-N l2 scan %.1f GB/s (%.1f M dist/s), load probe %.1f GB/s, ratio %.0f%% %g\n", dim, name, best, best * 1e9 / (dim * 4) / 1e6, probe, 100 * best / probe, (double)out[0] + sink * 0);
    }
  }
}
