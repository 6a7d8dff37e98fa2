import type { SliceCreator } from './workbench.js';
import { messageOf, type BenchResult, type Comparison, type History, type RunEntry } from './types.js';

export interface ReportPreview {
  ref: string;
  baseline: string | null;
  markdown: string;
  charts: { file: string; svg: string }[];
}

export interface ResultsSlice {
  runs: RunEntry[];
  baselines: string[];
  resultsPath: string;
  resultsError: string | null;
  compareBaseline: string;
  compareCurrent: string;
  compareForce: boolean;
  comparison: Comparison | null;
  compared: { baseline: BenchResult; current: BenchResult } | null;
  compareError: string | null;
  report: ReportPreview | null;
  reportError: string | null;
  exported: { dir: string; files: string[] } | null;
  history: History | null;
  historyError: string | null;
  notice: string | null;
  loadRuns(): Promise<void>;
  saveBaseline(ref: string, name: string): Promise<void>;
  setCompare(choice: Partial<Pick<ResultsSlice, 'compareBaseline' | 'compareCurrent' | 'compareForce'>>): void;
  compare(): Promise<void>;
  loadReport(ref: string, baseline: string | null): Promise<void>;
  exportReport(dir: string): Promise<void>;
  loadHistory(profile: string): Promise<void>;
}

/** Complete runs newest first: what the pickers offer. */
export function completeRunsNewestFirst(runs: readonly RunEntry[]): RunEntry[] {
  return runs.filter((r) => r.status === 'complete').reverse();
}

export const createResultsSlice: SliceCreator<ResultsSlice> = (set, get, { client }) => ({
  runs: [],
  baselines: [],
  resultsPath: '',
  resultsError: null,
  compareBaseline: '',
  compareCurrent: '',
  compareForce: false,
  comparison: null,
  compared: null,
  compareError: null,
  report: null,
  reportError: null,
  exported: null,
  history: null,
  historyError: null,
  notice: null,
  loadRuns: async () => {
    try {
      const list = await client.call('bench/list', {});
      const complete = completeRunsNewestFirst(list.runs);
      set((state) => ({
        runs: list.runs,
        baselines: list.baselines,
        resultsPath: list.path,
        resultsError: list.problems.length > 0 ? list.problems.join(' ') : null,
        compareBaseline: state.compareBaseline || list.baselines[0] || complete[1]?.id || '',
        compareCurrent: state.compareCurrent || complete[0]?.id || '',
      }));
    } catch (error) {
      set({ resultsError: messageOf(error) });
    }
  },
  saveBaseline: async (ref, name) => {
    try {
      const saved = await client.call('bench/save-baseline', { ref, name });
      set({ notice: `Saved run ${ref} as baseline ${saved.name}.` });
      await get().loadRuns();
    } catch (error) {
      set({ notice: messageOf(error) });
    }
  },
  setCompare: (choice) => set(choice),
  compare: async () => {
    const { compareBaseline, compareCurrent, compareForce } = get();
    if (compareBaseline === '' || compareCurrent === '') {
      set({ compareError: 'Choose a baseline and a current run to compare.', comparison: null });
      return;
    }
    try {
      const [comparison, baseline, current] = await Promise.all([
        client.call('bench/compare', { baseline: compareBaseline, current: compareCurrent, force: compareForce }),
        client.call('bench/result', { ref: compareBaseline }),
        client.call('bench/result', { ref: compareCurrent }),
      ]);
      set({ comparison, compared: { baseline: baseline.result, current: current.result }, compareError: null });
    } catch (error) {
      set({ comparison: null, compared: null, compareError: messageOf(error) });
    }
  },
  loadReport: async (ref, baseline) => {
    try {
      const built = await client.call('bench/report', { ref, baseline, force: get().compareForce });
      set({ report: { ref, baseline, ...built }, reportError: null, exported: null });
    } catch (error) {
      set({ report: null, reportError: messageOf(error) });
    }
  },
  exportReport: async (dir) => {
    const report = get().report;
    if (!report) {
      set({ reportError: 'Preview a report first, then export it.' });
      return;
    }
    try {
      const exported = await client.call('bench/export', {
        ref: report.ref,
        baseline: report.baseline,
        force: get().compareForce,
        dir,
      });
      set({ exported, reportError: null });
    } catch (error) {
      set({ exported: null, reportError: messageOf(error) });
    }
  },
  loadHistory: async (profile) => {
    try {
      set({ history: await client.call('bench/history', { profile }), historyError: null });
    } catch (error) {
      set({ history: null, historyError: messageOf(error) });
    }
  },
});
