// Informal quick measurement of the kernels until the harness's `kernels` profile exists: a few seconds,
// best of 5 rounds per figure, no statistics. Run: node --import tsx native/kernels/bench/quick.mjs
import { createRequire } from 'node:module';
import * as kernels from '../../../engine/vector/kernels/index.ts';

const require = createRequire(import.meta.url);
const simsimd = require('simsimd');

function fill(n, seed) {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

/**
 * Best rate over short rounds (~5 ms each, for ~300 ms): on a shared, noisy machine the best short round is the
 * one that had a core to itself, which is the figure a kernel comparison needs.
 */
function rate(calls, fn) {
  let perRound = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) fn(i);
    if (Number(process.hrtime.bigint() - start) > 5e6 || perRound >= calls) break;
    perRound *= 2;
  }
  let best = 0;
  const deadline = process.hrtime.bigint() + 300_000_000n;
  for (let round = 0; round < 200 && process.hrtime.bigint() < deadline; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) fn(i);
    best = Math.max(best, perRound / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  return best;
}

async function asyncRate(calls, fn) {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await fn(i);
    best = Math.max(best, calls / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  return best;
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
const backends = kernels.capabilities().available;
const lines = [];
const log = (line) => {
  lines.push(line);
  console.log(line);
};
log(`# ${kernels.backendSummary()}`);

// The machine's limits, measured in this run with each backend's instructions.
const roofs = {};
for (const backend of backends.filter((name) => name !== 'typescript')) {
  const roof = await kernels.measureRoofline({ backend });
  roofs[backend] = roof;
  log(
    `roofline ${backend}: fma ${fmt(roof.fmaGflops)} GFLOP/s, L1 ${fmt(roof.l1LoadGbps)} GB/s, ` +
      `L2 ${fmt(roof.l2LoadGbps)} GB/s, RAM ${fmt(roof.ramReadGbps)} GB/s (RAM probe ${roof.ramBytes >> 20} MiB)`,
  );
}
const fraction = (backend, ratePerSec, dim, bytes, bytesPerDistance) =>
  roofs[backend]
    ? ` (${fmt(100 * kernels.rooflineFraction(ratePerSec, 'l2', dim, bytes, roofs[backend], bytesPerDistance))}% of ` +
      `${kernels.bindingRoof('l2', dim, bytes, roofs[backend], bytesPerDistance).roof} roof)`
    : '';

for (const dim of [128, 768]) {
  const a = fill(dim, 1);
  const b = fill(dim, 2);
  const calls = dim === 128 ? 200_000 : 50_000;
  for (const backend of backends) {
    kernels.setBackend(backend);
    const r = rate(backend === 'typescript' ? calls / 10 : calls, () => kernels.pairwise('l2', a, b));
    log(`pairwise l2 d${dim} ${backend}: ${fmt(r / 1e6)} M dist/s, ${fmt(1e9 / r / dim)} ns/element`);
  }
  const s = rate(calls, () => simsimd.sqeuclidean(a, b));
  log(`pairwise l2 d${dim} simsimd: ${fmt(s / 1e6)} M dist/s, ${fmt(1e9 / s / dim)} ns/element`);
}

for (const [dim, count] of [
  [128, 10_000],
  [128, 200_000],
  [768, 2_000],
  [768, 100_000],
]) {
  const base = fill(dim * count, 3);
  const query = fill(dim, 4);
  const bytes = dim * count * 4;
  for (const backend of backends) {
    kernels.setBackend(backend);
    if (backend === 'typescript' && count > 10_000) continue;
    const scans = Math.max(1, Math.round(2e8 / bytes));
    const r = rate(scans, () => kernels.distances('l2', query, base, dim)) * count;
    log(
      `one-to-N l2 d${dim} N=${count} (${fmt(bytes / 2 ** 20)} MiB) ${backend}: ${fmt(r / 1e6)} M dist/s, ` +
        `${fmt(1e9 / r / dim)} ns/element, ${fmt((r * dim * 4) / 1e9)} GB/s${fraction(backend, r, dim, bytes)}`,
    );
  }
}

// Compact storage where scans are bound by RAM: f16 halves and i8 quarters the bytes per vector.
{
  const dim = 768;
  const count = 100_000;
  const source = fill(dim * count, 8);
  const query = fill(dim, 9);
  const half = new Uint16Array(dim * count);
  const scratch = new Float32Array(1);
  const bits = new Uint32Array(scratch.buffer);
  for (let i = 0; i < half.length; i++) {
    scratch[0] = source[i];
    const b = bits[0];
    half[i] = ((b >>> 16) & 0x8000) | ((((b >>> 23) & 0xff) - 112) << 10) | ((b >>> 13) & 0x3ff);
  }
  const int8 = Int8Array.from(source, (x) => Math.round(x * 254));
  for (const backend of backends.filter((name) => name !== 'typescript')) {
    kernels.setBackend(backend);
    for (const [name, base, options] of [
      ['f32', source, {}],
      ['f16', half, {}],
      ['i8', int8, { scale: 1 / 254 }],
    ]) {
      const r = rate(3, () => kernels.distances('l2', query, base, dim, options)) * count;
      log(
        `one-to-N l2 d${dim} N=${count} ${name} ${backend}: ${fmt(r / 1e6)} M dist/s, ${fmt(1e9 / r / dim)} ns/element`,
      );
    }
  }
}

{
  const dim = 128;
  const count = 100_000;
  const base = fill(dim * count, 5);
  const queries = fill(dim * 16, 6);
  for (const backend of backends.filter((name) => name !== 'typescript')) {
    kernels.setBackend(backend);
    const one = rate(3, () => kernels.batchDistances('l2', queries, base, dim)) * 16 * count;
    log(
      `batch Q=16 distances l2 d${dim} N=${count} ${backend}: ${fmt(one / 1e6)} M dist/s, ${fmt((one * 3 * dim) / 1e9)} GFLOP/s`,
    );
    for (const threads of [1, 2]) {
      const qps = (await asyncRate(5, () => kernels.batchTopKAsync('l2', queries, base, dim, 10, { threads }))) * 16;
      log(`batch Q=16 top-10 l2 d${dim} N=${count} ${backend} threads=${threads}: ${fmt(qps)} queries/s`);
    }
  }
  // The multi-query kernel in cache: 512 vectors x 128 dims (256 KiB) stay in L2 across passes.
  const small = fill(dim * 512, 7);
  for (const backend of backends.filter((name) => name !== 'typescript')) {
    kernels.setBackend(backend);
    const r = rate(400, () => kernels.batchDistances('l2', queries, small, dim)) * 16 * 512;
    const gflops = (r * 3 * dim) / 1e9;
    log(
      `batch Q=16 distances l2 d${dim} N=512 (in cache) ${backend}: ${fmt(gflops)} GFLOP/s ` +
        `(${fmt((100 * gflops) / roofs[backend].fmaGflops)}% of FMA peak)`,
    );
  }
}
