import { useEffect, useRef, useState } from 'react';
import { EmptyState, ErrorNote } from '../components/Notice.js';
import type { ConfigDiagnostic, ConfigField } from '../state/types.js';
import { useWorkbench } from '../state/useWorkbench.js';

function FieldInput({
  field,
  value,
  onChange,
}: {
  field: ConfigField;
  value: string;
  onChange: (text: string | null) => void;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  if (field.kind === 'boolean' || field.kind === 'enum') {
    const choices = field.kind === 'boolean' ? ['true', 'false'] : (field.choices ?? []);
    return (
      <select id={`cfg-${field.key}`} value={value} onChange={(e) => onChange(e.target.value)}>
        {choices.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
    );
  }
  return (
    <input
      id={`cfg-${field.key}`}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => draft !== value && onChange(draft)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && draft !== value) onChange(draft);
      }}
    />
  );
}

/** The raw TOML with a gutter that marks the lines with errors, and each error under its line and column. */
function RawEditor({
  text,
  diagnostics,
  onChange,
}: {
  text: string;
  diagnostics: ConfigDiagnostic[];
  onChange: (text: string) => void;
}) {
  const gutter = useRef<HTMLPreElement>(null);
  const lines = text.split('\n');
  const errorLines = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.line));
  const warningLines = new Set(diagnostics.filter((d) => d.severity === 'warning').map((d) => d.line));
  return (
    <div>
      <div className="raw-editor">
        <pre className="gutter" ref={gutter} aria-hidden>
          {lines.map((_, i) => (
            <div
              key={i}
              className={
                errorLines.has(i + 1) ? 'gutter-error' : warningLines.has(i + 1) ? 'gutter-warning' : undefined
              }
            >
              {errorLines.has(i + 1) ? '● ' : warningLines.has(i + 1) ? '▲ ' : ''}
              {i + 1}
            </div>
          ))}
        </pre>
        <textarea
          aria-label="vexfs.toml"
          spellCheck={false}
          value={text}
          rows={Math.max(14, Math.min(30, lines.length + 2))}
          aria-invalid={errorLines.size > 0}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <ul className="diagnostics" aria-label="Problems in the file">
        {diagnostics.map((d, i) => (
          <li key={i} className={`diagnostic diagnostic-${d.severity}`}>
            <div>
              <strong>
                line {d.line}, column {d.column}
              </strong>{' '}
              {d.severity}: {d.message}
            </div>
            <pre className="excerpt">
              {lines[d.line - 1] ?? ''}
              {'\n'}
              {' '.repeat(Math.max(0, d.column - 1))}^
            </pre>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The store's vexfs.toml: a form from the schema and the raw text, kept in step; diff, save, apply, advice. */
export function ConfigPage() {
  const storeId = useWorkbench((s) => s.currentStoreId);
  const fields = useWorkbench((s) => s.fields);
  const text = useWorkbench((s) => s.text);
  const savedText = useWorkbench((s) => s.savedText);
  const path = useWorkbench((s) => s.configPath);
  const diagnostics = useWorkbench((s) => s.diagnostics);
  const values = useWorkbench((s) => s.values);
  const changes = useWorkbench((s) => s.changes);
  const advisories = useWorkbench((s) => s.advisories);
  const effective = useWorkbench((s) => s.effective);
  const configError = useWorkbench((s) => s.configError);
  const configNotice = useWorkbench((s) => s.configNotice);
  const loadConfigFor = useWorkbench((s) => s.loadConfigFor);
  const setConfigText = useWorkbench((s) => s.setConfigText);
  const setConfigField = useWorkbench((s) => s.setConfigField);
  const saveConfig = useWorkbench((s) => s.saveConfig);

  useEffect(() => {
    if (storeId !== null) void loadConfigFor(storeId);
  }, [storeId, loadConfigFor]);

  if (storeId === null)
    return (
      <div className="page-body">
        <h2>Config</h2>
        <EmptyState title="No store is open">
          Open or create a store on the Stores page: this page edits its vexfs.toml.
        </EmptyState>
      </div>
    );

  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  const dirty = text !== savedText;
  const sections = [...new Set(fields.map((f) => f.section))];

  return (
    <div className="page-body">
      <h2>Config</h2>
      <p className="muted">{path || 'loading…'}</p>
      <ErrorNote error={configError} />
      {configNotice ? (
        <p className="notice" role="status">
          {configNotice}
        </p>
      ) : null}
      <div className="row">
        <button type="button" className="primary" disabled={hasErrors || !dirty} onClick={() => void saveConfig(false)}>
          Save
        </button>
        <button type="button" disabled={hasErrors || !dirty} onClick={() => void saveConfig(true)}>
          Save and apply to the open store
        </button>
        <button type="button" disabled={!dirty} onClick={() => void setConfigText(savedText)}>
          Revert
        </button>
        {hasErrors ? <span className="field-error">Fix the errors in the file to save it.</span> : null}
      </div>
      <section className="panel" aria-label="Changes against the saved file">
        <h3>Diff against the saved file</h3>
        {changes.length === 0 ? (
          <p className="muted">
            {dirty
              ? hasErrors
                ? 'The diff appears once the text is valid.'
                : 'No key-level change.'
              : 'No unsaved changes.'}
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Key</th>
                <th>Change</th>
                <th>Saved</th>
                <th>New</th>
                <th>Applies</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.key}>
                  <td>
                    <code>{c.key}</code>
                  </td>
                  <td>{c.kind}</td>
                  <td>{String(c.before)}</td>
                  <td>{String(c.after)}</td>
                  <td>{fields.find((f) => f.key === c.key)?.apply === 'live' ? 'live, now' : 'on reopen (restart)'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="split">
        <section className="panel config-form" aria-label="Form">
          <h3>Form</h3>
          {sections.map((section) => (
            <fieldset key={section}>
              <legend>[{section}]</legend>
              {fields
                .filter((f) => f.section === section)
                .map((field) => {
                  const set = values[field.key];
                  const value = String(set ?? field.default);
                  const problems = diagnostics.filter((d) => d.key === field.key);
                  const advice = advisories.filter((a) => a.key === field.key);
                  const origin = effective?.origins[field.key];
                  return (
                    <div
                      key={field.key}
                      className={problems.some((p) => p.severity === 'error') ? 'cfg-field invalid' : 'cfg-field'}
                    >
                      <label htmlFor={`cfg-${field.key}`} title={field.effect}>
                        {field.name}
                        <span className={`badge apply-${field.apply}`}>
                          {field.apply === 'live' ? 'live' : 'restart'}
                        </span>
                        {field.status !== 'effective' ? <span className="badge">{field.status}</span> : null}
                      </label>
                      <FieldInput field={field} value={value} onChange={(t) => void setConfigField(field.key, t)} />
                      <span className="field-hint">
                        {set === undefined ? 'default' : 'set in this file'}
                        {field.unit ? ` · ${field.unit}` : ''}
                        {origin?.kind === 'file' && origin.path !== path
                          ? ` · effective value from ${origin.layer} ${origin.path}:${origin.line}`
                          : ''}
                        {set !== undefined ? (
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => void setConfigField(field.key, null)}
                          >
                            unset
                          </button>
                        ) : null}
                      </span>
                      <span className="field-description">{field.description}</span>
                      {problems.map((p, i) => (
                        <span key={i} className={p.severity === 'error' ? 'field-error' : 'field-warning'}>
                          line {p.line}:{p.column}: {p.message}
                        </span>
                      ))}
                      {advice.map((a, i) => (
                        <span key={`a${i}`} className={`advice advice-${a.severity}`} title={a.reason}>
                          {a.severity === 'warning' ? '⚠ ' : 'ℹ '}
                          {a.message}
                        </span>
                      ))}
                    </div>
                  );
                })}
            </fieldset>
          ))}
        </section>
        <section className="panel" aria-label="Raw TOML">
          <h3>vexfs.toml</h3>
          <RawEditor text={text} diagnostics={diagnostics} onChange={(t) => void setConfigText(t)} />
          {effective ? (
            <details>
              <summary>Effective configuration and where each value comes from</summary>
              <table>
                <tbody>
                  {Object.entries(effective.values).map(([key, value]) => {
                    const origin = effective.origins[key];
                    return (
                      <tr key={key}>
                        <td>
                          <code>{key}</code>
                        </td>
                        <td>{String(value)}</td>
                        <td className="muted">
                          {origin?.kind === 'file' ? `${origin.layer}: ${origin.path}:${origin.line}` : 'default'}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </details>
          ) : null}
        </section>
      </div>
    </div>
  );
}
