// Machine limits measured on the spot, single core: the roofs a kernel result is compared against.
#pragma once
#include <cstddef>

#include "backends.h"

namespace vex {

struct Roofline {
  double fmaGflops = 0;     // peak multiply-add rate of the backend's widest FMA
  double l1LoadGbps = 0;    // streaming loads from a buffer that fits L1
  double l2LoadGbps = 0;    // ... that fits L2 but not L1
  double ramReadGbps = 0;   // ... far larger than the last-level cache
  size_t l1Bytes = 0, l2Bytes = 0, ramBytes = 0;  // probe working sets
  size_t l1CacheBytes = 0, l2CacheBytes = 0, llcBytes = 0;  // as the OS reports them (0: unknown)
};

// Each probe runs for at most ~0.4 s. ramBytes = 0 picks max(4 x LLC, 256 MiB), capped at 1 GiB.
// Throws std::bad_alloc when the RAM buffer cannot be had.
Roofline measureRoofline(const KernelTable* table, size_t ramBytes);

}  // namespace vex
