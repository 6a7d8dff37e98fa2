import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import { VexError } from '../../errors.js';
import { parseVectors, readVectorFile, type VectorTable } from './readVectors.js';
import { formatOf, VECTOR_FORMATS } from './formats.js';

/** What `vexctl dataset import` records beside the copied files. */
const manifestSchema = z.strictObject({
  name: z.string(),
  format: z.enum(VECTOR_FORMATS),
  count: z.number().int().positive(),
  dim: z.number().int().positive(),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  groundTruth: z
    .strictObject({
      file: z.string(),
      count: z.number().int().positive(),
      k: z.number().int().positive(),
      sha256: z.string(),
    })
    .nullable(),
  source: z.string(),
  importedAt: z.string(),
});
export type DatasetManifest = z.infer<typeof manifestSchema>;

export interface LoadedDataset {
  manifest: DatasetManifest;
  vectors: VectorTable;
  groundTruth: VectorTable | null;
}

const MANIFEST = 'dataset.json';
const NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** `$XDG_DATA_HOME/vexfs/datasets` (default ~/.local/share/vexfs/datasets). */
export function datasetsDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/')
      ? env.XDG_DATA_HOME
      : join(env.HOME ?? homedir(), '.local', 'share');
  return join(base, 'vexfs', 'datasets');
}

export function checkDatasetName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new VexError(
      'E_INVALID',
      `dataset name '${name}' is invalid: use 1-64 lower-case letters, digits, '_', '.' or '-', starting with a letter or digit`,
    );
  }
  return name;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface ImportOptions {
  name?: string;
  groundTruth?: string;
  format?: string;
  dim?: number;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Validates FILE (and its ground truth) and copies both into the datasets directory under NAME. */
export function importDataset(file: string, options: ImportOptions = {}): DatasetManifest {
  const format = formatOf(file, options.format);
  const name = checkDatasetName(
    options.name ??
      basename(file, extname(file))
        .toLowerCase()
        .replace(/[^a-z0-9_.-]/g, '-'),
  );
  const vectors = readVectorFile(file, { format, ...(options.dim === undefined ? {} : { dim: options.dim }) });
  if (vectors.data instanceof Int32Array) {
    throw new VexError(
      'E_INVALID',
      `${file} holds integers (${format}); a dataset's vectors must be float32 (ground truth goes in --ground-truth)`,
    );
  }
  let truth: VectorTable | null = null;
  if (options.groundTruth !== undefined) {
    truth = readVectorFile(options.groundTruth, { format: 'ivecs' });
    const bad = truth.data.findIndex((id) => id < 0 || id >= vectors.count);
    if (bad >= 0) {
      throw new VexError(
        'E_INVALID',
        `${options.groundTruth}: query ${Math.floor(bad / truth.dim)} names neighbour ${truth.data[bad]}, outside the ${vectors.count} vectors of ${file}`,
      );
    }
  }
  const root = datasetsDir(options.env);
  const target = join(root, name);
  if (existsSync(target))
    throw new VexError('E_EXISTS', `a dataset named '${name}' already exists in ${root}; choose another --name`);
  mkdirSync(root, { recursive: true });
  const staging = join(root, `.${name}.importing-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    const baseFile = `vectors.${format === 'f32' ? 'f32' : format}`;
    copyFileSync(file, join(staging, baseFile));
    const manifest: DatasetManifest = {
      name,
      format,
      count: vectors.count,
      dim: vectors.dim,
      file: baseFile,
      sha256: sha256(readFileSync(join(staging, baseFile))),
      groundTruth: null,
      source: file,
      importedAt: new Date().toISOString(),
    };
    if (truth !== null && options.groundTruth !== undefined) {
      copyFileSync(options.groundTruth, join(staging, 'ground_truth.ivecs'));
      const digest = sha256(readFileSync(join(staging, 'ground_truth.ivecs')));
      manifest.groundTruth = { file: 'ground_truth.ivecs', count: truth.count, k: truth.dim, sha256: digest };
    }
    writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(staging, target);
    return manifest;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

export function readManifest(name: string, env?: Readonly<Record<string, string | undefined>>): DatasetManifest {
  checkDatasetName(name);
  const path = join(datasetsDir(env), name, MANIFEST);
  if (!existsSync(path))
    throw new VexError(
      'E_NOT_FOUND',
      `there is no dataset '${name}' in ${datasetsDir(env)} (import one with 'vexctl dataset import FILE')`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new VexError('E_CORRUPT', `${path} is not valid JSON: ${(error as Error).message}; import the dataset again`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success)
    throw new VexError(
      'E_CORRUPT',
      `${path} is not a dataset manifest (${result.error.issues[0]?.message}); import the dataset again`,
    );
  return result.data;
}

export function listDatasets(env?: Readonly<Record<string, string | undefined>>): DatasetManifest[] {
  const root = datasetsDir(env);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((entry) => !entry.startsWith('.') && existsSync(join(root, entry, MANIFEST)))
    .sort()
    .map((entry) => readManifest(entry, env));
}

/** Loads a dataset, verifying its files against the checksums recorded at import. */
export function loadDataset(name: string, env?: Readonly<Record<string, string | undefined>>): LoadedDataset {
  const manifest = readManifest(name, env);
  const dir = join(datasetsDir(env), name);
  const load = (file: string, digest: string, format: typeof manifest.format, dim?: number): VectorTable => {
    const bytes = readFileSync(join(dir, file));
    if (sha256(bytes) !== digest) {
      throw new VexError(
        'E_CORRUPT',
        `dataset '${name}': ${file} does not match the checksum recorded at import; import it again`,
      );
    }
    return parseVectors(bytes, format, join(dir, file), dim);
  };
  const vectors = load(manifest.file, manifest.sha256, manifest.format, manifest.dim);
  const truth = manifest.groundTruth ? load(manifest.groundTruth.file, manifest.groundTruth.sha256, 'ivecs') : null;
  return { manifest, vectors, groundTruth: truth };
}
