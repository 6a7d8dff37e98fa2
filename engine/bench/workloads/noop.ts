import type { WorkloadModule, WorkloadSession } from './types.js';

/** The op does nothing: what a run measures is the harness around it (clock reads, histogram, counters). */
export const noopWorkload: WorkloadModule = {
  open: async (): Promise<WorkloadSession> => ({
    run: (): void => {},
    datasetChecksum: null,
    close: async () => {},
  }),
};
