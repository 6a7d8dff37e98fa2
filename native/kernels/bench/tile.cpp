// In-cache multi-query kernel: Q=16 queries x 512 vectors (batch distances through runScan, and the bare tile),
// best of 2000 rounds, in L2-flops (3 per element) per second. Build: see README.
#include <chrono>
#include <cstdio>
#include <vector>
#include <string>
#include "../src/dispatch.h"
#include "../src/scan.h"
using Clock = std::chrono::steady_clock;
int main(int argc, char** argv) {
  size_t dim = argc > 1 ? std::stoul(argv[1]) : 128, n = 512, Q = 16;
  std::vector<float> base(n * dim), qs(Q * dim), out(Q * n);
  for (size_t i = 0; i < base.size(); i++) base[i] = (i % 97) * 0.01f;
  for (size_t i = 0; i < qs.size(); i++) qs[i] = (i % 89) * 0.01f;
  for (const char* name : {"avx512", "avx2", "scalar"}) {
    std::string err;
    const vex::KernelTable* t = vex::tableFor(name, &err);
    vex::ScanJob job; job.table = t; job.metric = vex::kL2; job.queries = qs.data(); job.queryCount = Q;
    job.base = base.data(); job.count = n; job.dim = dim; job.distances = out.data();
    double best = 1e9;
    for (int r = 0; r < 2000; r++) { auto s = Clock::now(); vex::runScan(job, 1); best = std::min(best, std::chrono::duration<double>(Clock::now() - s).count()); }
    double flops = 3.0 * dim * n * Q;
    // raw tile only
    const float* q4[4] = {qs.data(), qs.data() + dim, qs.data() + 2 * dim, qs.data() + 3 * dim}; size_t w = t->tileWidth;
    float o[16]; double bestTile = 1e9;
    for (int r = 0; r < 2000; r++) { auto s = Clock::now(); for (size_t j = 0; j + w <= n; j += w) { const float* xs[4] = {&base[j*dim], &base[(j+1)*dim], &base[(j+2)*dim], &base[(j+3)*dim]}; t->l2Tile(q4, xs, dim, o); } bestTile = std::min(bestTile, std::chrono::duration<double>(Clock::now() - s).count()); }
    double tileFlops = 3.0 * dim * n * 4;
    std::printf("%s d%zu: scan %.1f GFLOP/s, tile-only %.1f GFLOP/s (sink %f)\n", name, dim, flops / best / 1e9, tileFlops / bestTile / 1e9, o[0]);
  }
}
