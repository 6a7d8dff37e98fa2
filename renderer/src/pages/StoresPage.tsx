import { useState, type FormEvent } from 'react';
import { EmptyState, ErrorNote, NotLanded } from '../components/Notice.js';
import { messageOf } from '../state/types.js';
import { useWorkbench } from '../state/useWorkbench.js';
import type { ApiClient } from '../api/client.js';
import { FileDetails } from './FileDetails.js';
import { TreeBrowser } from './TreeBrowser.js';

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Create, open, close and browse stores; add files, directories and vectors. */
export function StoresPage({ client }: { client: ApiClient }) {
  const stores = useWorkbench((s) => s.stores);
  const currentStoreId = useWorkbench((s) => s.currentStoreId);
  const recent = useWorkbench((s) => s.recent);
  const storeError = useWorkbench((s) => s.storeError);
  const busy = useWorkbench((s) => s.storeBusy);
  const createStore = useWorkbench((s) => s.createStore);
  const openStore = useWorkbench((s) => s.openStore);
  const closeStore = useWorkbench((s) => s.closeStore);
  const selectStore = useWorkbench((s) => s.selectStore);
  const refreshTree = useWorkbench((s) => s.refreshTree);
  const selectPath = useWorkbench((s) => s.selectPath);
  const [dir, setDir] = useState('');
  const [dim, setDim] = useState('8');
  const current = stores.find((s) => s.storeId === currentStoreId) ?? null;

  const [path, setPath] = useState('/notes.txt');
  const [content, setContent] = useState('');
  const [vector, setVector] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const [addNotice, setAddNotice] = useState<string | null>(null);

  const onAdd = async (event: FormEvent, kind: 'file' | 'dir'): Promise<void> => {
    event.preventDefault();
    if (!current) return;
    setAddError(null);
    setAddNotice(null);
    try {
      if (kind === 'dir') {
        await client.call('fs/mkdir', { storeId: current.storeId, path, parents: true });
      } else {
        await client.call('fs/write-file', {
          storeId: current.storeId,
          path,
          dataBase64: base64(new TextEncoder().encode(content)),
        });
        if (vector.trim() !== '') {
          const values = vector.split(',').map((v) => Number(v.trim()));
          if (values.some((v) => !Number.isFinite(v)))
            throw new Error('the vector must be numbers separated by commas');
          if (values.length !== current.dim)
            throw new Error(`this store holds ${current.dim}-dimensional vectors; you gave ${values.length} numbers`);
          await client.call('fs/setxattr', {
            storeId: current.storeId,
            path,
            name: 'user.vexfs.vector',
            valueBase64: base64(new Uint8Array(Float32Array.from(values).buffer)),
          });
        }
      }
      setAddNotice(`${kind === 'dir' ? 'Directory' : 'File'} ${path} added.`);
      await refreshTree();
      await selectPath(path);
    } catch (error) {
      setAddError(messageOf(error));
    }
  };

  return (
    <div className="page-body">
      <h2>Stores</h2>
      <section className="panel" aria-label="Create or open a store">
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void openStore(dir);
          }}
        >
          <label>
            Store directory
            <input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="stores/demo" required />
          </label>
          <label>
            Vector dimensions
            <input value={dim} onChange={(e) => setDim(e.target.value)} inputMode="numeric" size={5} />
          </label>
          <button type="submit" disabled={busy || dir === ''}>
            Open
          </button>
          <button
            type="button"
            disabled={busy || dir === ''}
            onClick={() => void createStore(dir, dim.trim() === '' ? undefined : Number(dim))}
          >
            Create
          </button>
        </form>
        <ErrorNote error={storeError} hint="Paths are relative to the workspace root in the served workbench." />
        {recent.length > 0 ? (
          <div className="recent">
            Recent:{' '}
            {recent.map((r) => (
              <button type="button" className="link-button" key={r} onClick={() => void openStore(r)}>
                {r}
              </button>
            ))}
          </div>
        ) : null}
      </section>
      {stores.length === 0 ? (
        <EmptyState title="No store is open">
          Type a directory and press <strong>Create</strong> for a new store, or <strong>Open</strong> for an existing
          one.
        </EmptyState>
      ) : (
        <>
          <div className="tabs" role="tablist" aria-label="Open stores">
            {stores.map((s) => (
              <span key={s.storeId} className="tab-group">
                <button
                  type="button"
                  role="tab"
                  aria-selected={s.storeId === currentStoreId}
                  className={s.storeId === currentStoreId ? 'tab active' : 'tab'}
                  onClick={() => selectStore(s.storeId)}
                >
                  {s.dir.split('/').slice(-2).join('/')}
                </button>
                <button
                  type="button"
                  className="tab-close"
                  aria-label={`Close ${s.dir}`}
                  onClick={() => void closeStore(s.storeId)}
                >
                  ×
                </button>
              </span>
            ))}
          </div>
          {current ? (
            <p className="muted">
              {current.dir} · format {current.formatVersion} · {current.dim}-d vectors, {current.metric}
              {current.readOnly ? ' · read-only' : ''}
              {current.recovery.warnings.length ? ` · recovery: ${current.recovery.warnings.join('; ')}` : ''}
            </p>
          ) : null}
          <div className="split">
            <section className="panel" aria-label="Browser">
              <TreeBrowser />
              <form className="add-form" onSubmit={(e) => void onAdd(e, 'file')}>
                <label>
                  Path
                  <input value={path} onChange={(e) => setPath(e.target.value)} required />
                </label>
                <label>
                  Content
                  <input value={content} onChange={(e) => setContent(e.target.value)} />
                </label>
                <label>
                  Vector (comma-separated)
                  <input value={vector} onChange={(e) => setVector(e.target.value)} placeholder="0.1, 0.2, …" />
                </label>
                <div className="row">
                  <button type="submit">Add file</button>
                  <button type="button" onClick={(e) => void onAdd(e, 'dir')}>
                    Add directory
                  </button>
                </div>
                <ErrorNote error={addError} />
                {addNotice ? <p className="notice">{addNotice}</p> : null}
              </form>
            </section>
            <section className="panel">
              <FileDetails />
            </section>
          </div>
          <NotLanded what="FUSE mount">Mounting a store needs the libfuse3 binding, which has not landed.</NotLanded>
        </>
      )}
    </div>
  );
}
