import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveParent } from '../fs/paths.js';
import { O_WRONLY, XATTR_CREATE, processCred } from '../fs/types.js';
import type { Vfs } from '../fs/Vfs.js';
import { VECTOR_XATTR } from '../store/layout.js';
import { openSession } from '../session.js';
import { collectionsOf } from '../vector/Collections.js';

/** The demo store `npm start` opens: created on first run, in the user's data directory. */
export function defaultDemoDir(env: Readonly<Record<string, string | undefined>>): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'vexfs', 'demo-store');
}

export const DEMO_DIM = 64;

const DEMO_FILES: Record<string, string> = {
  'README.txt': 'A demo VexFS store. Every text file carries an embedding in the user.vexfs.vector attribute.\n',
  'notes/simd.txt':
    'SIMD kernels compute squared L2, cosine, dot and manhattan distances with AVX2, AVX-512 or NEON.\n',
  'notes/storage.txt': 'Writes commit to SQLite with group commit; fsync makes them durable against an OS crash.\n',
  'notes/benchmarks.txt': 'Benchmarks report medians with bootstrap confidence intervals and compare against peers.\n',
  'papers/hnsw.txt': 'Hierarchical navigable small world graphs answer approximate nearest neighbour queries.\n',
  'papers/product-quantization.txt':
    'Product quantization compresses vectors into short codes for fast approximate search.\n',
};

/** A named collection beside the files, with payloads to filter on in the search playground. */
export const DEMO_COLLECTION = 'sentences';
const DEMO_SENTENCES: readonly { topic: string; year: number; text: string }[] = [
  { topic: 'kernels', year: 2019, text: 'AVX-512 doubles the lanes of AVX2 for float distance kernels.' },
  { topic: 'kernels', year: 2021, text: 'NEON kernels compute dot products on Arm cores.' },
  { topic: 'kernels', year: 2023, text: 'Runtime dispatch picks the widest SIMD kernels the CPU supports.' },
  { topic: 'storage', year: 2018, text: 'A write-ahead log makes commits durable without rewriting pages.' },
  { topic: 'storage', year: 2020, text: 'Group commit shares one fsync among many concurrent writers.' },
  { topic: 'storage', year: 2024, text: 'Checksums on every row turn silent corruption into an error.' },
  { topic: 'search', year: 2016, text: 'HNSW graphs answer approximate nearest neighbour queries quickly.' },
  { topic: 'search', year: 2011, text: 'Product quantization compresses vectors into short codes.' },
  { topic: 'search', year: 2022, text: 'Exact search scans every vector and finds the true nearest neighbours.' },
  { topic: 'benchmarks', year: 2020, text: 'Bootstrap confidence intervals show how much a median can move.' },
  { topic: 'benchmarks', year: 2023, text: 'Interleaved trials cancel slow drift of a shared machine.' },
  { topic: 'benchmarks', year: 2025, text: 'Peers measured in the same run make a ratio worth trusting.' },
];

/**
 * A small, honest embedder for the demo: hashed word counts (the "hashing trick"),
 * L2-normalised. Similar wording gives similar vectors; it is no language model.
 */
export function hashedWordEmbedding(text: string, dim: number): Float32Array {
  const vector = new Float32Array(dim);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619) >>> 0;
    vector[hash % dim]! += (hash & 0x80000000) !== 0 ? -1 : 1;
  }
  const norm = Math.hypot(...vector);
  if (norm > 0) for (let i = 0; i < dim; i++) vector[i]! /= norm;
  return vector;
}

/** Creates the demo store at `dir` unless it exists; returns whether it was created. */
export async function ensureDemoStore(dir: string): Promise<boolean> {
  if (existsSync(join(dir, 'store.db'))) return false;
  const session = await openSession(dir, { create: { dim: DEMO_DIM, metric: 'cosine' } });
  const { vfs } = session;
  try {
    const cred = processCred();
    for (const [path, text] of Object.entries(DEMO_FILES)) {
      const { parent, name } = await ensureParents(vfs, path, cred);
      const { attr, fh } = await vfs.create(parent, name, 0o644, O_WRONLY, cred);
      await vfs.write(fh, 0, Buffer.from(text), cred);
      await vfs.release(fh);
      const vector = hashedWordEmbedding(text, DEMO_DIM);
      await vfs.xattr.set(attr.ino, VECTOR_XATTR, new Uint8Array(vector.buffer), XATTR_CREATE, cred);
    }
    const collections = await collectionsOf(session.store);
    await collections.create(DEMO_COLLECTION, { dim: DEMO_DIM, metric: 'cosine' });
    await collections.collection(DEMO_COLLECTION).upsertBatch(
      DEMO_SENTENCES.map((sentence, i) => ({
        id: `s${String(i + 1).padStart(2, '0')}`,
        vector: hashedWordEmbedding(sentence.text, DEMO_DIM),
        payload: sentence,
      })),
    );
  } finally {
    await session.close();
  }
  return true;
}

async function ensureParents(vfs: Vfs, path: string, cred: ReturnType<typeof processCred>) {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const dirPath = parts.slice(0, i).join('/');
    const { parent, name } = resolveParent(vfs, dirPath, cred);
    try {
      await vfs.mkdir(parent, name, 0o755, cred);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
  return resolveParent(vfs, path, cred);
}
