import { useEffect } from 'react';
import { EmptyState, ErrorNote } from '../components/Notice.js';
import { formatEta } from '../state/liveSeries.js';
import { useWorkbench } from '../state/useWorkbench.js';
import { LiveCharts } from './LiveCharts.js';

/** Progress, ETA and the live noisy-machine note: the only part of the page that follows every sample. */
function RunProgress({ running, complete, message }: { running: boolean; complete: boolean; message: string }) {
  const sample = useWorkbench((s) => s.lastSample);
  return (
    <>
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round((sample?.progress ?? 0) * 100)}
      >
        <div
          className="progress-fill"
          style={{ width: `${Math.round((complete ? 1 : (sample?.progress ?? 0)) * 100)}%` }}
        />
      </div>
      <p className="muted">
        {sample
          ? `${Math.floor(sample.progress * 100)}% · ETA ${running ? formatEta(sample.eta_ms) : '—'} · unit ${sample.unit}/${sample.units} · ${sample.subject}/${sample.workload} ${sample.phase}`
          : message}
      </p>
      {sample && sample.machine_other_pct > 25 ? (
        <div className="warning-note" role="status">
          Noisy machine: other processes use {Math.round(sample.machine_other_pct)}% of the CPUs; figures will vary.
        </div>
      ) : null}
    </>
  );
}

/** Profiles with a form derived from their schema; Run and Cancel; progress, live charts and the log. */
export function BenchmarksPage() {
  const profiles = useWorkbench((s) => s.profiles);
  const profilesError = useWorkbench((s) => s.profilesError);
  const selected = useWorkbench((s) => s.selectedProfile);
  const form = useWorkbench((s) => s.form);
  const formErrors = useWorkbench((s) => s.formErrors);
  const quick = useWorkbench((s) => s.quick);
  const useStoreConfig = useWorkbench((s) => s.useStoreConfig);
  const saveBaselineAs = useWorkbench((s) => s.saveBaselineAs);
  const run = useWorkbench((s) => s.run);
  const runError = useWorkbench((s) => s.runError);
  const log = useWorkbench((s) => s.log);
  const storeOpen = useWorkbench((s) => s.currentStoreId !== null);
  const loadProfiles = useWorkbench((s) => s.loadProfiles);
  const selectProfile = useWorkbench((s) => s.selectProfile);
  const setFormField = useWorkbench((s) => s.setFormField);
  const setRunOptions = useWorkbench((s) => s.setRunOptions);
  const startRun = useWorkbench((s) => s.startRun);
  const cancelRun = useWorkbench((s) => s.cancelRun);

  useEffect(() => {
    if (profiles.length === 0) void loadProfiles();
  }, [profiles.length, loadProfiles]);

  const profile = profiles.find((p) => p.name === selected);
  const running = run !== null && (run.state === 'running' || run.state === 'starting');
  const noisy = run?.warnings.filter((w) => w.kind === 'noise') ?? [];

  return (
    <div className="page-body">
      <h2>Benchmarks</h2>
      <ErrorNote error={profilesError} hint="The profiles are read from bench-profiles/ (or $VEXFS_PROFILES_DIR)." />
      {profiles.length === 0 && profilesError === null ? <p className="muted">Loading the profiles…</p> : null}
      <div className="split">
        <section className="panel" aria-label="Profile">
          <label>
            Profile
            <select value={selected ?? ''} onChange={(e) => selectProfile(e.target.value)} disabled={running}>
              {profiles.map((p) => (
                <option key={p.name} value={p.name} disabled={p.error !== null}>
                  {p.name}
                  {p.error ? ' (invalid)' : ''}
                </option>
              ))}
            </select>
          </label>
          {profile ? (
            <>
              <p className="muted">{profile.description}</p>
              <p className="muted">
                Subjects: {profile.subjects.join(', ')} · workloads: {profile.workloads.join(', ')} · primary:{' '}
                {profile.primary.join(', ')}
              </p>
              <fieldset className="param-form" disabled={running}>
                <legend>Parameters (a comma-separated list sweeps a key)</legend>
                {profile.parameters.map((p) => (
                  <label key={p.key} className={formErrors[p.key] ? 'field invalid' : 'field'}>
                    <span className="field-key">{p.key}</span>
                    {p.kind === 'enum' || p.kind === 'boolean' ? (
                      <input
                        list={`choices-${p.key}`}
                        value={form[p.key] ?? ''}
                        onChange={(e) => setFormField(p.key, e.target.value)}
                        aria-invalid={formErrors[p.key] !== undefined}
                      />
                    ) : (
                      <input
                        value={form[p.key] ?? ''}
                        onChange={(e) => setFormField(p.key, e.target.value)}
                        placeholder={p.value === null ? 'workload default' : undefined}
                        aria-invalid={formErrors[p.key] !== undefined}
                      />
                    )}
                    <datalist id={`choices-${p.key}`}>
                      {(p.kind === 'boolean' ? ['true', 'false'] : (p.choices ?? [])).map((c) => (
                        <option key={c} value={c} />
                      ))}
                    </datalist>
                    <span className="field-hint">
                      {p.kind}
                      {p.min !== null ? `, ≥ ${p.min}` : ''}
                      {p.max !== null ? `, ≤ ${p.max}` : ''}
                      {p.choices ? `: ${p.choices.join(' | ')}` : ''}
                    </span>
                    {formErrors[p.key] ? <span className="field-error">{formErrors[p.key]}</span> : null}
                  </label>
                ))}
              </fieldset>
              <div className="row">
                <label className="check">
                  <input
                    type="checkbox"
                    checked={quick}
                    onChange={(e) => setRunOptions({ quick: e.target.checked })}
                    disabled={running}
                  />
                  Quick (a smoke run of at most 15 s)
                </label>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={useStoreConfig}
                    onChange={(e) => setRunOptions({ useStoreConfig: e.target.checked })}
                    disabled={running || !storeOpen}
                  />
                  Apply the open store's vexfs.toml
                </label>
                <label>
                  Save as baseline
                  <input
                    value={saveBaselineAs}
                    onChange={(e) => setRunOptions({ saveBaselineAs: e.target.value })}
                    placeholder="name (optional)"
                    size={14}
                    disabled={running}
                  />
                </label>
              </div>
              <div className="row">
                <button type="button" className="primary" onClick={() => void startRun()} disabled={running}>
                  Run
                </button>
                <button type="button" onClick={() => void cancelRun()} disabled={!running}>
                  Cancel
                </button>
              </div>
              <ErrorNote error={runError} />
            </>
          ) : profiles.length > 0 ? (
            <EmptyState title="No profile chosen">Choose a profile above.</EmptyState>
          ) : null}
        </section>
        <section className="panel" aria-label="Run">
          {run === null ? (
            <EmptyState title="No run yet">Choose a profile, adjust its parameters and press Run.</EmptyState>
          ) : (
            <>
              <div className="run-head">
                <strong>{run.profile}</strong> <span className={`state state-${run.state}`}>{run.state}</span>
                {run.resultId ? <span className="muted"> · result {run.resultId}</span> : null}
              </div>
              <RunProgress running={running} complete={run.state === 'complete'} message={run.message} />
              {noisy.length > 0 ? (
                <details className="warning-note" role="status">
                  <summary>
                    {noisy.length} noise warning{noisy.length === 1 ? '' : 's'}: {noisy[noisy.length - 1]?.message}
                  </summary>
                  <ul>
                    {noisy.map((w, i) => (
                      <li key={i}>{w.message}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {run.state !== 'running' && run.state !== 'starting' ? <p>{run.message}</p> : null}
            </>
          )}
        </section>
      </div>
      <LiveCharts />
      <section className="panel" aria-label="Run log">
        <h3>Log</h3>
        {log.length === 0 ? (
          <p className="muted">Each finished unit and every warning of the run appear here.</p>
        ) : (
          <ol className="log">
            {log.map((line, i) => (
              <li key={i} className={`log-${line.level}`}>
                <span className="muted">{line.at.slice(11, 19)}</span> {line.message}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
