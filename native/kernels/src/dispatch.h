// CPU feature detection and backend selection, done once at load and on request.
#pragma once
#include <string>
#include <vector>

#include "backends.h"

namespace vex {

struct CpuFeatures {
  std::string arch;  // "x64", "arm64" or "other"
  bool avx2 = false, fma = false, popcnt = false, f16c = false, avx512f = false, avx512bw = false, avx512vpopcntdq = false;
  bool neon = false;
};

const CpuFeatures& cpuFeatures();
// Backends this binary carries and this CPU can run, best first (always ends with "scalar").
std::vector<std::string> availableBackends();
// The table for a backend name, "auto" meaning the best available; nullptr with `error` set otherwise.
const KernelTable* tableFor(const std::string& name, std::string* error);
// The selected table; selection is atomic so scans already running keep the table they started with.
const KernelTable* activeTable();
bool selectBackend(const std::string& name, std::string* error);

}  // namespace vex
