import { resolve } from 'node:path';
import { VexError } from '../../errors.js';
import type { PointInput } from '../../vector/Collection.js';
import type { SearchHit } from '../../vector/FlatIndex.js';
import { parseVectors, readVectorFile, rowOf, type VectorTable } from '../../vector/io/readVectors.js';
import type { Command, ExitCode } from '../command.js';
import { intOption, parseCommand, requireSubcommand, withCollections } from './collection.js';

const usage = `Usage: vexctl vector SUBCOMMAND STORE COLLECTION ...

  upsert STORE COLLECTION --id ID --vector '[0.1, ...]' [--payload '{"k": "v"}']
  upsert STORE COLLECTION --file FILE [--format F] [--dim N] [--id-prefix P] [--payload JSON]
         FILE: .json (vectors, or points {id, vector, payload}), .csv, .f32 (raw float32, needs --dim),
         .fvecs or .npy. Vectors without ids get ids P0, P1, ... (one batch: all or nothing).
  get    STORE COLLECTION ID
  delete STORE COLLECTION ID...
  search STORE COLLECTION (--vector '[...]' | --file FILE [--row N]) [--k 10] [--filter JSON]
         [--path-prefix /dir] [--threads N]
         --filter: {"field": value}, {"field": {"$in": [...]}}, {"field": {"$gte": 1, "$lt": 5}}
         --path-prefix: files under a directory (the '_files' collection).

Options: --json prints JSON instead of text.`;

const SUBCOMMANDS = ['upsert', 'get', 'delete', 'search'];

function parseJsonOption(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new VexError('E_INVALID', `${what} is not valid JSON: ${(error as Error).message}`);
  }
}

type Values = ReturnType<typeof parseCommand>['values'];

/** Vectors from --vector (inline JSON) or --file. */
function vectorsFrom(values: Values, cwd: string): VectorTable {
  const inline = values.vector;
  const file = values.file;
  if ((inline === undefined) === (file === undefined))
    throw new VexError('E_USAGE', `give exactly one of --vector and --file\n${usage}`);
  if (typeof inline === 'string') return parseVectors(Buffer.from(inline), 'json', '--vector');
  const dim = intOption(values, 'dim', 1, 65_536);
  return readVectorFile(resolve(cwd, String(file)), {
    ...(typeof values.format === 'string' ? { format: values.format } : {}),
    ...(dim === undefined ? {} : { dim }),
  });
}

function hitLines(hits: readonly SearchHit[]): string[] {
  return hits.map(
    (h, rank) =>
      `${String(rank + 1).padStart(3)}  ${h.distance.toPrecision(6).padStart(12)}  ${h.id}  ${JSON.stringify(h.payload)}`,
  );
}

export const vectorCommand: Command = {
  name: 'vector',
  summary: 'upsert, get, delete and search points of a vector collection',
  usage,
  async run(ctx): Promise<ExitCode> {
    const [first, ...rest] = ctx.argv;
    const sub = requireSubcommand(first, SUBCOMMANDS, usage);
    const out = (json: boolean, value: unknown, lines: string[]): void =>
      ctx.io.out(json ? JSON.stringify(value, null, 2) : lines.join('\n'));
    if (sub === 'upsert') {
      const { values, positionals } = parseCommand(
        rest,
        {
          id: { type: 'string' },
          vector: { type: 'string' },
          file: { type: 'string' },
          format: { type: 'string' },
          dim: { type: 'string' },
          payload: { type: 'string' },
          'id-prefix': { type: 'string' },
        },
        { min: 2, max: 2, names: 'STORE COLLECTION' },
        usage,
      );
      const table = vectorsFrom(values, ctx.cwd);
      const payload = typeof values.payload === 'string' ? parseJsonOption(values.payload, '--payload') : undefined;
      if (typeof values.id === 'string' && table.count !== 1) {
        throw new VexError(
          'E_USAGE',
          `--id names one point, but the input holds ${table.count} vectors; use --id-prefix`,
        );
      }
      if (table.ids === null && values.id === undefined && values['id-prefix'] === undefined && table.count === 1) {
        throw new VexError('E_USAGE', `give the point an id: --id ID`);
      }
      const prefix = typeof values['id-prefix'] === 'string' ? values['id-prefix'] : '';
      const points: PointInput[] = Array.from({ length: table.count }, (_, i) => ({
        id: typeof values.id === 'string' ? values.id : (table.ids?.[i] ?? `${prefix}${i}`),
        vector: rowOf(table, i),
        payload: table.payloads?.[i] ?? payload,
      }));
      const [storeArg, name] = positionals as [string, string];
      const written = await withCollections(ctx, storeArg, false, (c) => c.collection(name).upsertBatch(points));
      out(values.json === true, { upserted: written, collection: name }, [`Upserted ${written} point(s) into ${name}`]);
      return 0;
    }
    if (sub === 'get') {
      const { values, positionals } = parseCommand(rest, {}, { min: 3, max: 3, names: 'STORE COLLECTION ID' }, usage);
      const [storeArg, name, id] = positionals as [string, string, string];
      const point = await withCollections(ctx, storeArg, true, async (c) => c.get(name).get(id));
      if (point === null) throw new VexError('E_NOT_FOUND', `collection '${name}' has no point '${id}'`);
      out(values.json === true, point, [`${point.id}  ${JSON.stringify(point.payload)}`, JSON.stringify(point.vector)]);
      return 0;
    }
    if (sub === 'delete') {
      const { values, positionals } = parseCommand(
        rest,
        {},
        { min: 3, max: Infinity, names: 'STORE COLLECTION ID...' },
        usage,
      );
      const [storeArg, name, ...ids] = positionals as [string, string, ...string[]];
      const missing = await withCollections(ctx, storeArg, false, async (c) => {
        const collection = c.collection(name);
        const existed = await Promise.all(ids.map((id) => collection.delete(id)));
        return ids.filter((_, i) => !existed[i]);
      });
      out(values.json === true, { deleted: ids.length - missing.length, missing }, [
        `Deleted ${ids.length - missing.length} point(s) from ${name}`,
        ...missing.map((id) => `  not found: ${id}`),
      ]);
      return missing.length > 0 ? 1 : 0;
    }
    const { values, positionals } = parseCommand(
      rest,
      {
        vector: { type: 'string' },
        file: { type: 'string' },
        format: { type: 'string' },
        dim: { type: 'string' },
        row: { type: 'string' },
        k: { type: 'string' },
        filter: { type: 'string' },
        'path-prefix': { type: 'string' },
        threads: { type: 'string' },
      },
      { min: 2, max: 2, names: 'STORE COLLECTION' },
      usage,
    );
    const table = vectorsFrom(values, ctx.cwd);
    const row = intOption(values, 'row', 0, table.count - 1);
    const k = intOption(values, 'k', 1, 10_000) ?? 10;
    const threads = intOption(values, 'threads', 1, 256);
    const filter = typeof values.filter === 'string' ? parseJsonOption(values.filter, '--filter') : undefined;
    const options = {
      k,
      ...(filter === undefined ? {} : { filter }),
      ...(typeof values['path-prefix'] === 'string' ? { pathPrefix: values['path-prefix'] } : {}),
      ...(threads === undefined ? {} : { threads }),
    };
    const queries =
      row === undefined ? Array.from({ length: table.count }, (_, i) => rowOf(table, i)) : [rowOf(table, row)];
    const [storeArg, name] = positionals as [string, string];
    const results = await withCollections(ctx, storeArg, true, async (c) => {
      const collection = c.get(name);
      return queries.length === 1
        ? [await collection.search(queries[0] as Float32Array, options)]
        : collection.searchBatch(queries, options);
    });
    out(
      values.json === true,
      queries.length === 1 ? results[0] : results,
      results.flatMap((hits, q) => [
        ...(results.length > 1 ? [`query ${q}:`] : []),
        ...(hits.length === 0 ? ['  (no match)'] : hitLines(hits)),
      ]),
    );
    return 0;
  },
};
