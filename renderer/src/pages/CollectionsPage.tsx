import { useState, type FormEvent } from 'react';
import { formatBytes } from '../charts/format.js';
import { ErrorNote, NoStorePage, NotLanded } from '../components/Notice.js';
import { parseVectorText } from '../state/searchForm.js';
import type { CollectionInfo } from '../state/types.js';
import { useWorkbench } from '../state/useWorkbench.js';
import { useOpenStoreWithCollections } from './useOpenStore.js';

const METRICS = ['l2', 'cosine', 'dot', 'manhattan', 'hamming'] as const;

/** The chosen collection: index statistics, its points (paged), a form to add one, drop. */
function CollectionDetails({ info }: { info: CollectionInfo }) {
  const points = useWorkbench((s) => s.points);
  const loadMorePoints = useWorkbench((s) => s.loadMorePoints);
  const dropCollection = useWorkbench((s) => s.dropCollection);
  const upsertPoint = useWorkbench((s) => s.upsertPoint);
  const searchFrom = useWorkbench((s) => s.searchFrom);
  const [confirmDrop, setConfirmDrop] = useState(false);
  const [id, setId] = useState('');
  const [vector, setVector] = useState('');
  const [payload, setPayload] = useState('');
  const [formError, setFormError] = useState<string | null>(null);

  const onAdd = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFormError(null);
    let values: number[];
    let fields: Record<string, unknown> = {};
    try {
      values = parseVectorText(vector);
      if (payload.trim() !== '') {
        const parsed: unknown = JSON.parse(payload);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new Error('the payload must be a JSON object, such as {"lang": "en"}');
        fields = parsed as Record<string, unknown>;
      }
    } catch (error) {
      setFormError((error as Error).message);
      return;
    }
    if (await upsertPoint(info.name, id.trim(), values, fields)) {
      setId('');
      setVector('');
    }
  };

  return (
    <section className="panel" aria-label={`Collection ${info.name}`}>
      <h3>{info.name}</h3>
      <dl className="facts">
        <dt>Points</dt>
        <dd>{info.count.toLocaleString('en-US')}</dd>
        <dt>Dimensions</dt>
        <dd>{info.dim}</dd>
        <dt>Metric</dt>
        <dd>{info.metric}</dd>
        <dt>Index</dt>
        <dd>flat (exact search: every candidate is scanned)</dd>
        <dt>Scanned arrays</dt>
        <dd>{formatBytes(info.arrayBytes)}</dd>
        <dt>Version</dt>
        <dd>{info.version} committed changes</dd>
        <dt>Derived arrays</dt>
        <dd>
          {info.derived === null
            ? 'not loaded'
            : `${info.derived.points.toLocaleString('en-US')} points at version ${info.derived.version}; built ${info.derived.reason === 'open' ? 'on first use in this process' : 'again when the store moved on'}, then kept up to date with each commit`}
        </dd>
        <dt>Written by</dt>
        <dd>{info.fileBacked ? "the filesystem: each file's user.vexfs.vector xattr" : 'vector upserts'}</dd>
        <dt>Created</dt>
        <dd>{info.createdAt.replace('T', ' ').slice(0, 19)}</dd>
      </dl>
      {info.derived?.warnings.map((warning) => (
        <div key={warning} className="warning-note">
          {warning}
        </div>
      ))}
      <NotLanded what="HNSW index">Collections search exactly (flat) until the HNSW capability lands.</NotLanded>
      <h4>Points{points ? ` (${points.total.toLocaleString('en-US')})` : ''}</h4>
      {points === null || points.total === 0 ? (
        <p className="muted">
          {info.fileBacked ? 'No file has a vector yet: add one on the Stores page.' : 'No points yet: add one below.'}
        </p>
      ) : (
        <ul className="point-list">
          {points.points.map((point) => (
            <li key={point.id}>
              <button type="button" className="link-button" onClick={() => void searchFrom(info.name, point.id)}>
                {point.id}
              </button>{' '}
              <span className="muted">{JSON.stringify(point.payload)}</span>
            </li>
          ))}
          {points.nextOffset !== null ? (
            <li>
              <button type="button" onClick={() => void loadMorePoints()}>
                More points
              </button>
            </li>
          ) : null}
        </ul>
      )}
      {info.fileBacked ? null : (
        <>
          <form className="add-form" aria-label="Add a point" onSubmit={(e) => void onAdd(e)}>
            <label>
              Point id
              <input value={id} onChange={(e) => setId(e.target.value)} required />
            </label>
            <label>
              Vector ({info.dim} numbers)
              <input value={vector} onChange={(e) => setVector(e.target.value)} placeholder="0.1, 0.2, …" required />
            </label>
            <label>
              Payload (JSON object, optional)
              <input value={payload} onChange={(e) => setPayload(e.target.value)} placeholder='{"lang": "en"}' />
            </label>
            <button type="submit">Add point</button>
            <ErrorNote error={formError} />
          </form>
          <div className="row">
            {confirmDrop ? (
              <>
                <span>
                  Drop {info.name} and its {info.count} points?
                </span>
                <button type="button" onClick={() => void dropCollection(info.name)}>
                  Drop it
                </button>
                <button type="button" onClick={() => setConfirmDrop(false)}>
                  Keep it
                </button>
              </>
            ) : (
              <button type="button" onClick={() => setConfirmDrop(true)}>
                Drop collection…
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

/** The open store's collections (`_files` first) with their index statistics; create, inspect, drop. */
export function CollectionsPage() {
  const current = useOpenStoreWithCollections();
  const collections = useWorkbench((s) => s.collections);
  const error = useWorkbench((s) => s.collectionsError);
  const info = useWorkbench((s) => s.collectionInfo);
  const selectCollection = useWorkbench((s) => s.selectCollection);
  const createCollection = useWorkbench((s) => s.createCollection);
  const [name, setName] = useState('');
  const [dim, setDim] = useState('');
  const [metric, setMetric] = useState<string>('cosine');

  if (current === null) {
    return (
      <NoStorePage title="Collections">
        Create or open a store on the Stores page; its collections show here.
      </NoStorePage>
    );
  }

  const onCreate = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (await createCollection(name.trim(), Number(dim || current.dim), metric)) setName('');
  };

  return (
    <div className="page-body">
      <h2>Collections</h2>
      <p className="muted">
        Store {current.dir}. <code>_files</code> holds every file with a vector (dimension {current.dim},{' '}
        {current.metric}); named collections hold points written by upserts.
      </p>
      <ErrorNote error={error} />
      <div className="table-scroll">
        <table aria-label="Collections">
          <thead>
            <tr>
              <th>Name</th>
              <th>Points</th>
              <th>Dim</th>
              <th>Metric</th>
              <th>Index</th>
              <th>Scanned arrays</th>
            </tr>
          </thead>
          <tbody>
            {collections.map((c) => (
              <tr key={c.name} className={info?.name === c.name ? 'selected' : undefined}>
                <td>
                  <button type="button" className="link-button" onClick={() => void selectCollection(c.name)}>
                    {c.name}
                  </button>
                </td>
                <td className="num">{c.count.toLocaleString('en-US')}</td>
                <td className="num">{c.dim}</td>
                <td>{c.metric}</td>
                <td>{c.index}</td>
                <td className="num">{formatBytes(c.arrayBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {info !== null ? <CollectionDetails key={info.name} info={info} /> : null}
      <form className="row create-collection" aria-label="Create a collection" onSubmit={(e) => void onCreate(e)}>
        <label>
          New collection
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="docs" required />
        </label>
        <label>
          Dimensions
          <input
            value={dim}
            onChange={(e) => setDim(e.target.value)}
            placeholder={String(current.dim)}
            inputMode="numeric"
          />
        </label>
        <label>
          Metric
          <select value={metric} onChange={(e) => setMetric(e.target.value)}>
            {METRICS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={current.readOnly}>
          Create
        </button>
      </form>
    </div>
  );
}
