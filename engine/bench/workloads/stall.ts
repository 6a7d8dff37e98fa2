import { VexError } from '../../errors.js';
import type { WorkloadContext, WorkloadModule, WorkloadSession } from './types.js';

/** Busy-waits: a stall must hold the thread the way a slow synchronous op does. */
function spinUntil(deadlineMs: number): void {
  while (performance.now() < deadlineMs) {
    // spin
  }
}

/**
 * A fixed service time per op and, every `stall_every` ops, one op that takes `stall_ms`.
 * Under an open load the ops scheduled during a stall wait: their latency (from the
 * intended start) grows while their service time does not — the correction under test.
 */
export const stallWorkload: WorkloadModule = {
  open: async (context: WorkloadContext): Promise<WorkloadSession> => {
    const serviceMs = Number(context.params.service_us ?? 20) / 1000;
    const stallMs = Number(context.params.stall_ms ?? 50);
    const every = Number(context.params.stall_every ?? 1000);
    const failEvery = Number(context.params.fail_every ?? 0);
    let count = 0;
    return {
      run: (): void => {
        count += 1;
        if (failEvery > 0 && count % failEvery === 0) throw new VexError('EIO', `stall: op ${count} fails on purpose`);
        spinUntil(performance.now() + (count % every === 0 ? stallMs : serviceMs));
      },
      datasetChecksum: null,
      close: async () => {},
    };
  },
};
