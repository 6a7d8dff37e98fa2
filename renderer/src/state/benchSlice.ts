import { formToRequest, initialText } from './benchForm.js';
import { appendPoint, type LivePoint } from './liveSeries.js';
import type { SliceCreator } from './workbench.js';
import { messageOf, type LiveSample, type ProfileSummary, type RunLogLine, type RunStatus } from './types.js';

const LOG_LIMIT = 500;

export interface ActiveRun {
  runId: string;
  profile: string;
  state: RunStatus['state'] | 'starting';
  resultId: string | null;
  message: string;
  warnings: RunStatus['warnings'];
}

export interface BenchSlice {
  profiles: ProfileSummary[];
  profilesError: string | null;
  selectedProfile: string | null;
  form: Record<string, string>;
  formErrors: Record<string, string>;
  quick: boolean;
  useStoreConfig: boolean;
  saveBaselineAs: string;
  run: ActiveRun | null;
  runError: string | null;
  live: LivePoint[];
  lastSample: LiveSample | null;
  /** The last sample with measurements (setup samples carry none). */
  lastMeasured: LiveSample | null;
  log: RunLogLine[];
  loadProfiles(): Promise<void>;
  selectProfile(name: string): void;
  setFormField(key: string, text: string): void;
  setRunOptions(options: Partial<Pick<BenchSlice, 'quick' | 'useStoreConfig' | 'saveBaselineAs'>>): void;
  startRun(): Promise<void>;
  cancelRun(): Promise<void>;
  receiveSample(payload: { runId: string; sample: LiveSample }): void;
  receiveStatus(status: RunStatus): void;
  receiveLog(line: RunLogLine): void;
}

function formFor(profile: ProfileSummary | undefined): Record<string, string> {
  return Object.fromEntries((profile?.parameters ?? []).map((p) => [p.key, initialText(p)]));
}

export const createBenchSlice: SliceCreator<BenchSlice> = (set, get, { client }) => ({
  profiles: [],
  profilesError: null,
  selectedProfile: null,
  form: {},
  formErrors: {},
  quick: true,
  useStoreConfig: true,
  saveBaselineAs: '',
  run: null,
  runError: null,
  live: [],
  lastSample: null,
  lastMeasured: null,
  log: [],
  loadProfiles: async () => {
    try {
      const { profiles } = await client.call('bench/profiles', {});
      const selected = get().selectedProfile ?? profiles.find((p) => p.error === null)?.name ?? null;
      set({ profiles, profilesError: null });
      if (selected !== null && get().selectedProfile === null) get().selectProfile(selected);
    } catch (error) {
      set({ profilesError: messageOf(error) });
    }
  },
  selectProfile: (name) =>
    set((state) => ({
      selectedProfile: name,
      form: formFor(state.profiles.find((p) => p.name === name)),
      formErrors: {},
    })),
  setFormField: (key, text) => set((state) => ({ form: { ...state.form, [key]: text } })),
  setRunOptions: (options) => set(options),
  startRun: async () => {
    const state = get();
    const profile = state.profiles.find((p) => p.name === state.selectedProfile);
    if (!profile) {
      set({ runError: 'Choose a profile first.' });
      return;
    }
    const choices = formToRequest(profile.parameters, state.form);
    if (Object.keys(choices.errors).length > 0) {
      set({ formErrors: choices.errors, runError: 'Fix the fields marked in the form, then run again.' });
      return;
    }
    const baseline = state.saveBaselineAs.trim();
    set({
      formErrors: {},
      runError: null,
      live: [],
      lastSample: null,
      lastMeasured: null,
      log: [],
      run: { runId: '', profile: profile.name, state: 'starting', resultId: null, message: 'starting', warnings: [] },
    });
    try {
      const started = await client.call('bench/run', {
        profile: profile.name,
        quick: state.quick,
        overrides: choices.overrides,
        sweeps: choices.sweeps,
        storeId: state.useStoreConfig ? state.currentStoreId : null,
        saveBaseline: baseline === '' ? null : baseline,
      });
      set((current) => ({
        run:
          current.run && current.run.runId !== '' && current.run.runId === started.runId
            ? current.run
            : {
                runId: started.runId,
                profile: started.profile,
                state: 'running',
                resultId: null,
                message: `running ${started.units} units`,
                warnings: [],
              },
      }));
    } catch (error) {
      set({ run: null, runError: messageOf(error) });
    }
  },
  cancelRun: async () => {
    const run = get().run;
    if (!run || run.runId === '') return;
    try {
      await client.call('bench/cancel', { runId: run.runId });
    } catch (error) {
      set({ runError: messageOf(error) });
    }
  },
  receiveSample: ({ runId, sample }) => {
    const run = get().run;
    if (run && run.runId !== '' && run.runId !== runId) return;
    set((state) => ({
      live: appendPoint(state.live, sample),
      lastSample: sample,
      lastMeasured: sample.phase === 'setup' ? state.lastMeasured : sample,
    }));
  },
  receiveStatus: (status) => {
    const run = get().run;
    if (run && run.runId !== '' && run.runId !== status.runId) return;
    set({
      run: {
        runId: status.runId,
        profile: status.profile,
        state: status.state,
        resultId: status.resultId,
        message: status.message,
        warnings: status.warnings,
      },
    });
    // A run that completes becomes the current run of the Compare and Reports pages.
    if (status.state === 'complete' && status.resultId !== null)
      set({ compareCurrent: status.resultId, comparison: null });
    if (status.state !== 'running') void get().loadRuns();
  },
  receiveLog: (line) => {
    const run = get().run;
    if (run && run.runId !== '' && run.runId !== line.runId) return;
    set((state) => ({ log: state.log.length >= LOG_LIMIT ? [...state.log.slice(1), line] : [...state.log, line] }));
  },
});
