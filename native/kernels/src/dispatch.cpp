#include "dispatch.h"

#include <atomic>

namespace vex {
namespace {

CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  f.arch = "x64";
  __builtin_cpu_init();
  // libgcc's checks include the OS (XCR0) having enabled the YMM/ZMM state.
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.popcnt = __builtin_cpu_supports("popcnt");
  f.f16c = __builtin_cpu_supports("f16c");
  f.avx512f = __builtin_cpu_supports("avx512f");
  f.avx512bw = __builtin_cpu_supports("avx512bw");
  f.avx512vpopcntdq = __builtin_cpu_supports("avx512vpopcntdq");
#elif defined(__aarch64__)
  f.arch = "arm64";
  f.neon = true;  // Advanced SIMD is mandatory in AArch64
#else
  f.arch = "other";
#endif
  return f;
}

// The avx512 table, with the VPOPCNTDQ hamming swapped in when the CPU has it.
const KernelTable* avx512Resolved() {
  static const KernelTable table = [] {
    KernelTable copy = *avx512Table();
    const CpuFeatures& f = cpuFeatures();
    if (f.avx512bw && f.avx512vpopcntdq && avx512PopcntHamming() != nullptr) copy.hamming = avx512PopcntHamming();
    return copy;
  }();
  return &table;
}

bool canRun(const std::string& name) {
  const CpuFeatures& f = cpuFeatures();
  if (name == "scalar") return true;
  if (name == "avx2") return avx2Table() != nullptr && f.avx2 && f.fma && f.popcnt && f.f16c;
  if (name == "avx512") return avx512Table() != nullptr && f.avx512f && f.avx2 && f.fma && f.popcnt;
  if (name == "neon") return neonTable() != nullptr && f.neon;
  return false;
}

std::atomic<const KernelTable*> active{nullptr};

}  // namespace

const CpuFeatures& cpuFeatures() {
  static const CpuFeatures features = detect();
  return features;
}

std::vector<std::string> availableBackends() {
  std::vector<std::string> names;
  for (const char* name : {"avx512", "avx2", "neon", "scalar"}) {
    if (canRun(name)) names.emplace_back(name);
  }
  return names;
}

const KernelTable* tableFor(const std::string& requested, std::string* error) {
  std::string name = requested;
  if (name == "auto") name = availableBackends().front();
  if (name != "avx512" && name != "avx2" && name != "neon" && name != "scalar") {
    if (error) *error = "unknown SIMD backend '" + requested + "': use auto, avx512, avx2, neon or scalar";
    return nullptr;
  }
  if (!canRun(name)) {
    std::string list;
    for (const std::string& n : availableBackends()) list += (list.empty() ? "" : ", ") + n;
    if (error) *error = "SIMD backend '" + name + "' cannot run on this CPU (" + cpuFeatures().arch +
                        "); available here: auto, " + list;
    return nullptr;
  }
  if (name == "avx512") return avx512Resolved();
  if (name == "avx2") return avx2Table();
  if (name == "neon") return neonTable();
  return scalarTable();
}

const KernelTable* activeTable() {
  const KernelTable* table = active.load(std::memory_order_acquire);
  if (table == nullptr) {
    table = tableFor("auto", nullptr);
    active.store(table, std::memory_order_release);
  }
  return table;
}

bool selectBackend(const std::string& name, std::string* error) {
  const KernelTable* table = tableFor(name, error);
  if (table == nullptr) return false;
  active.store(table, std::memory_order_release);
  return true;
}

}  // namespace vex
