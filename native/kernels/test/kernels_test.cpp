// Standalone check of the kernels without Node, so the same binary logic can run under qemu
// (x86-64 without AVX-512, and arm64 for NEON). Usage: kernels_test [--expect b1,b2,...]
// --expect asserts the exact list of backends dispatch finds on this (possibly emulated) CPU.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../src/dispatch.h"
#include "../src/scan.h"

namespace {

int passed = 0, failed = 0;

void expect(bool ok, const std::string& what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    std::printf("FAIL %s\n", what.c_str());
  }
}

uint32_t state = 12345;
float nextFloat() {
  state = state * 1664525u + 1013904223u;
  return static_cast<float>(state >> 8) / 16777216.0f * 2.0f - 1.0f;
}

const double u = std::ldexp(1.0, -24);
const size_t dims[] = {1, 3, 7, 8, 15, 16, 17, 31, 127, 128, 383, 768, 1536};

// Float64 reference and its bound (the same as test/vector/kernelReference.ts).
void reference(vex::Metric m, const float* a, const float* b, size_t n, double* value, double* limit) {
  double sum = 0, mag = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < n; i++) {
    double x = a[i], y = b[i];
    if (m == vex::kL2) sum += (x - y) * (x - y);
    if (m == vex::kManhattan) sum += std::fabs(x - y);
    if (m == vex::kDot || m == vex::kCosine) {
      sum += x * y;
      mag += std::fabs(x * y);
      aa += x * x;
      bb += y * y;
    }
  }
  if (m == vex::kL2 || m == vex::kManhattan) {
    *value = sum;
    *limit = 2.0 * (n + 4) * u * sum;
  } else if (m == vex::kDot) {
    *value = -sum;
    *limit = 2.0 * (n + 4) * u * mag;
  } else {
    *value = (aa == 0 && bb == 0) ? 0 : (aa == 0 || bb == 0) ? 1 : std::fmin(2, std::fmax(0, 1 - sum / std::sqrt(aa * bb)));
    *limit = 2.0 * (2 * n + 8) * u;
  }
}

float pd(const vex::KernelTable* t, vex::Metric m, const void* a, const void* b, size_t n) {
  return vex::pairDistance(t, m, vex::kF32, 1.0f, a, b, n);
}

// f16 and i8 storage against the reference on the widened values (widening is exact; i8 scale adds one rounding).
void checkStorage(const std::string& name, const vex::KernelTable* t, size_t n) {
  std::vector<float> q(n), wideHalf(n), wideInt(n);
  std::vector<uint16_t> half(n + 1);
  std::vector<int8_t> small(n + 1);
  const float scale = 0.0123f;
  for (size_t i = 0; i < n; i++) {
    q[i] = nextFloat();
    uint32_t r = static_cast<uint32_t>((nextFloat() + 1) * 1e6f);
    half[i + 1] = static_cast<uint16_t>(((r & 1u) << 15) | ((10u + (r >> 1) % 8u) << 10) | ((r >> 4) & 0x3ffu));
    wideHalf[i] = vex::halfToFloat(half[i + 1]);
    small[i + 1] = static_cast<int8_t>(static_cast<int>(nextFloat() * 127));
    wideInt[i] = scale * static_cast<float>(small[i + 1]);
  }
  for (vex::Metric m : {vex::kL2, vex::kDot, vex::kCosine}) {
    double value, limit;
    reference(m, q.data(), wideHalf.data(), n, &value, &limit);
    float got = vex::pairDistance(t, m, vex::kF16, 1.0f, q.data(), half.data() + 1, n);
    expect(std::fabs(got - value) <= limit, name + " f16 metric " + std::to_string(m) + " d=" + std::to_string(n));
    reference(m, q.data(), wideInt.data(), n, &value, &limit);
    got = vex::pairDistance(t, m, vex::kI8, scale, q.data(), small.data() + 1, n);
    expect(std::fabs(got - value) <= limit * 1.5, name + " i8 metric " + std::to_string(m) + " d=" + std::to_string(n));
  }
}

void checkBackend(const std::string& name) {
  std::string error;
  const vex::KernelTable* t = vex::tableFor(name, &error);
  expect(t != nullptr, name + ": table " + error);
  if (t == nullptr) return;
  const vex::Metric floats[] = {vex::kL2, vex::kDot, vex::kCosine, vex::kManhattan};
  for (size_t n : dims) {
    // +1 element so both vectors start unaligned.
    std::vector<float> a(n + 1), b(n + 1);
    for (auto& x : a) x = nextFloat();
    for (auto& x : b) x = nextFloat();
    for (vex::Metric m : floats) {
      double value, limit;
      reference(m, a.data() + 1, b.data() + 1, n, &value, &limit);
      float got = pd(t, m, a.data() + 1, b.data() + 1, n);
      expect(std::fabs(got - value) <= limit,
             name + " metric " + std::to_string(m) + " d=" + std::to_string(n) + " got " + std::to_string(got) +
                 " want " + std::to_string(value));
    }
    checkStorage(name, t, n);
    std::vector<uint8_t> x(n), y(n);
    uint64_t bits = 0;
    for (size_t i = 0; i < n; i++) {
      x[i] = static_cast<uint8_t>(nextFloat() * 127 + 128);
      y[i] = static_cast<uint8_t>(nextFloat() * 127 + 128);
      bits += static_cast<uint64_t>(__builtin_popcount(static_cast<unsigned>(x[i] ^ y[i])));
    }
    expect(pd(t, vex::kHamming, x.data(), y.data(), n) == static_cast<float>(bits),
           name + " hamming d=" + std::to_string(n));
    // Zero vectors and NaN/Inf in the last (tail) element.
    std::vector<float> zero(n, 0.0f), nan(a.begin() + 1, a.end()), inf(a.begin() + 1, a.end());
    nan[n - 1] = NAN;
    inf[n - 1] = INFINITY;
    expect(pd(t, vex::kCosine, zero.data(), zero.data(), n) == 0.0f, name + " cosine zero/zero");
    expect(pd(t, vex::kCosine, zero.data(), b.data(), n) == 1.0f, name + " cosine zero/one");
    for (vex::Metric m : floats) {
      expect(std::isnan(pd(t, m, nan.data(), b.data(), n)), name + " NaN d=" + std::to_string(n));
    }
    expect(pd(t, vex::kL2, inf.data(), b.data(), n) == INFINITY, name + " l2 Inf");
    expect(pd(t, vex::kDot, inf.data(), zero.data() , n) != pd(t, vex::kDot, inf.data(), zero.data(), n),
           name + " dot Inf*0 is NaN");
    expect(std::isnan(pd(t, vex::kCosine, inf.data(), b.data(), n)), name + " cosine Inf");
  }
  // Scans: 5 queries (one 4x2 tile group plus a remainder) over 9001 vectors, two threads.
  const size_t dim = 17, count = 9001, queries = 5;
  std::vector<float> base(count * dim + 1), qs(queries * dim);
  for (auto& x : base) x = nextFloat();
  for (auto& x : qs) x = nextFloat();
  for (vex::Metric m : floats) {
    vex::ScanJob job;
    job.table = t;
    job.metric = m;
    job.queries = qs.data();
    job.queryCount = queries;
    job.base = base.data() + 1;
    job.count = count;
    job.dim = dim;
    std::vector<float> all(queries * count);
    job.distances = all.data();
    vex::runScan(job, 2);
    bool ok = true;
    for (size_t q = 0; q < queries; q++) {
      for (size_t i = 0; i < count; i += 37) {
        double value, limit;
        reference(m, qs.data() + q * dim, base.data() + 1 + i * dim, dim, &value, &limit);
        ok = ok && std::fabs(all[q * count + i] - value) <= limit;
      }
    }
    expect(ok, name + " scan distances metric " + std::to_string(m));
    // Top-k against the distances just computed: sorted, ties by index; allow-list of every third vector.
    std::vector<uint8_t> allow((count + 7) / 8, 0);
    for (size_t i = 0; i < count; i += 3) allow[i >> 3] = static_cast<uint8_t>(allow[i >> 3] | (1u << (i & 7)));
    const size_t k = 10;
    std::vector<uint32_t> idx(queries * k);
    std::vector<float> dist(queries * k);
    job.distances = nullptr;
    job.k = k;
    job.allow = allow.data();
    job.topIndices = idx.data();
    job.topDistances = dist.data();
    size_t results = vex::runScan(job, 3);
    expect(results == k, name + " top-k result count");
    for (size_t q = 0; q < queries; q++) {
      std::vector<uint32_t> order;
      for (size_t i = 0; i < count; i += 3) order.push_back(static_cast<uint32_t>(i));
      std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
        float dx = all[q * count + x], dy = all[q * count + y];
        return dx != dy ? dx < dy : x < y;
      });
      bool same = true;
      for (size_t r = 0; r < k; r++) same = same && idx[q * k + r] == order[r];
      expect(same, name + " top-k order metric " + std::to_string(m) + " query " + std::to_string(q));
    }
    job.allow = nullptr;
    job.count = 3;  // k > N
    expect(vex::runScan(job, 1) == 3, name + " k > N");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> found = vex::availableBackends();
  std::string list;
  for (const auto& name : found) list += (list.empty() ? "" : ",") + name;
  std::printf("arch %s, backends %s\n", vex::cpuFeatures().arch.c_str(), list.c_str());
  for (int i = 1; i + 1 < argc; i++) {
    if (std::strcmp(argv[i], "--expect") == 0) expect(list == argv[i + 1], std::string("backends ") + list + " != expected " + argv[i + 1]);
  }
  for (const char* name : {"avx512", "avx2", "neon"}) {
    bool runs = false;
    for (const auto& f : found) runs = runs || f == name;
    std::string error;
    if (!runs) expect(!vex::selectBackend(name, &error) && !error.empty(), std::string("refuses ") + name);
  }
  for (const auto& name : found) checkBackend(name);
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
