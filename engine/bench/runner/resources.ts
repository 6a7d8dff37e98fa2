import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** One window's resource figures, as a live sample carries them. */
export interface ResourceWindow {
  cpu_user_pct: number;
  cpu_sys_pct: number;
  rss_bytes: number;
  rss_anon_bytes: number;
  event_loop_delay_ms: number;
  /** Share of the machine's CPU time stolen by the hypervisor in this window. */
  cpu_steal_pct: number;
  /** Busy CPU on the machine that is not this process, as a share of all cores. */
  machine_other_pct: number;
  load_avg_1m: number;
}

const LOOP_RESOLUTION_MS = 5;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** VmRSS and RssAnon from /proc/self/status, in bytes (RssAnon falls back to the RSS where absent). */
export function readMemory(): { rssBytes: number; rssAnonBytes: number } {
  const status = readText('/proc/self/status');
  const field = (name: string): number | null => {
    const match = status ? new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status) : null;
    return match ? Number(match[1]) * 1024 : null;
  };
  const rssBytes = field('VmRSS') ?? process.memoryUsage.rss();
  return { rssBytes, rssAnonBytes: field('RssAnon') ?? rssBytes };
}

interface CpuTicks {
  total: number;
  idle: number;
  steal: number;
}

/** The aggregate `cpu` line of /proc/stat (null off Linux). */
export function readCpuTicks(): CpuTicks | null {
  const stat = readText('/proc/stat');
  const line = stat?.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

export function readLoadAverage(): number {
  const text = readText('/proc/loadavg');
  const value = text ? Number(text.split(' ')[0]) : NaN;
  return Number.isFinite(value) ? value : 0;
}

/**
 * Samples the process and the machine window by window. CPU percentages are of one core
 * (200% = two cores busy), as `top` shows them; event-loop delay is the worst delay of the
 * coordinating thread in the window.
 */
export class ResourceSampler {
  readonly #cores = Math.max(1, cpus().length);
  readonly #loop: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  #lastCpu = process.cpuUsage();
  #lastTicks = readCpuTicks();
  #lastAt = performance.now();

  constructor() {
    this.#loop.enable();
  }

  sample(): ResourceWindow {
    const at = performance.now();
    const elapsedUs = Math.max(1, (at - this.#lastAt) * 1000);
    const cpu = process.cpuUsage(this.#lastCpu);
    this.#lastCpu = process.cpuUsage();
    this.#lastAt = at;
    const ticks = readCpuTicks();
    let steal = 0;
    let machineBusy = 0;
    if (ticks && this.#lastTicks) {
      const total = ticks.total - this.#lastTicks.total;
      if (total > 0) {
        steal = (100 * (ticks.steal - this.#lastTicks.steal)) / total;
        machineBusy = (100 * (total - (ticks.idle - this.#lastTicks.idle))) / total;
      }
    }
    this.#lastTicks = ticks;
    const user = (100 * cpu.user) / elapsedUs;
    const sys = (100 * cpu.system) / elapsedUs;
    const ownShare = (user + sys) / this.#cores;
    const memory = readMemory();
    // The monitor records each timer interval whole: the delay is what exceeds the resolution.
    const delayNs = this.#loop.count > 0 ? Math.max(0, this.#loop.max - LOOP_RESOLUTION_MS * 1e6) : 0;
    this.#loop.reset();
    return {
      cpu_user_pct: user,
      cpu_sys_pct: sys,
      rss_bytes: memory.rssBytes,
      rss_anon_bytes: memory.rssAnonBytes,
      event_loop_delay_ms: delayNs / 1e6,
      cpu_steal_pct: Math.max(0, steal),
      machine_other_pct: Math.max(0, machineBusy - ownShare),
      load_avg_1m: readLoadAverage(),
    };
  }

  close(): void {
    this.#loop.disable();
  }
}
