import { z } from 'zod';
import { METRICS } from '../../store/layout.js';
import { empty, storeRef } from './common.js';

/** Vector collections of an open store (`_files` included) and searches over them. */
const collection = z.string().min(1).max(64);
/** A vector as numbers (bits for hamming); its length is checked against the collection's dimension. */
const vector = z.array(z.number()).min(1).max(65_536);
const pointId = z.string().min(1).max(1024);

const derivedSchema = z.object({
  version: z.number().int(),
  points: z.number().int(),
  reason: z.enum(['open', 'behind']),
  warnings: z.array(z.string()),
});

export const collectionInfoSchema = z.object({
  name: z.string(),
  dim: z.number().int(),
  metric: z.enum(METRICS),
  index: z.enum(['flat']),
  count: z.number().int(),
  createdAt: z.string(),
  version: z.number().int(),
  fileBacked: z.boolean(),
  /** How this process built the derived arrays; null in a listing that did not load them. */
  derived: derivedSchema.nullable(),
  /** Bytes of the derived arrays a search scans (count × kernel dimension × element size). */
  arrayBytes: z.number().int(),
});

const hitSchema = z.object({ id: z.string(), distance: z.number(), payload: z.unknown() });

export const explainSchema = z.object({
  index: z.literal('flat'),
  exact: z.boolean(),
  metric: z.enum(METRICS),
  dim: z.number().int(),
  query: z.enum(['vector', 'point']),
  points: z.number().int(),
  candidates: z.number().int(),
  k: z.number().int(),
  filter: z.boolean(),
  pathPrefix: z.string().nullable(),
  kernelBackend: z.string(),
  offThread: z.boolean(),
  threads: z.number().int(),
  /** Queries answered by the same pass over the arrays (concurrent searches share one scan). */
  sharedScan: z.number().int(),
  elapsedMs: z.number(),
  derived: derivedSchema.nullable(),
});

export const vectorRequests = {
  'collection/list': {
    input: storeRef.strict(),
    output: z.object({ collections: z.array(collectionInfoSchema) }),
  },
  'collection/info': { input: storeRef.extend({ name: collection }).strict(), output: collectionInfoSchema },
  'collection/create': {
    input: storeRef
      .extend({ name: collection, dim: z.number().int(), metric: z.string(), index: z.string().default('flat') })
      .strict(),
    output: collectionInfoSchema,
  },
  'collection/drop': { input: storeRef.extend({ name: collection }).strict(), output: empty },
  'collection/points': {
    input: storeRef
      .extend({
        name: collection,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({
      points: z.array(z.object({ id: z.string(), payload: z.unknown() })),
      total: z.number().int(),
      nextOffset: z.number().int().nullable(),
    }),
  },
  'vector/upsert': {
    input: storeRef
      .extend({
        collection,
        points: z
          .array(z.object({ id: pointId, vector, payload: z.record(z.string(), z.unknown()).optional() }).strict())
          .min(1)
          .max(10_000),
      })
      .strict(),
    output: z.object({ upserted: z.number().int() }),
  },
  'vector/get': {
    input: storeRef.extend({ collection, id: pointId }).strict(),
    output: z.object({
      point: z.object({ id: z.string(), vector: z.array(z.number()), payload: z.unknown() }).nullable(),
    }),
  },
  'vector/delete': {
    input: storeRef.extend({ collection, ids: z.array(pointId).min(1).max(10_000) }).strict(),
    output: z.object({ deleted: z.number().int() }),
  },
  'vector/search': {
    input: storeRef
      .extend({
        collection,
        /** A vector, or a point of the collection (a file's path in `_files`) whose vector is the query. */
        query: z.union([z.object({ vector }).strict(), z.object({ id: pointId }).strict()]),
        k: z.number().int().min(1).max(1000).default(10),
        /** A payload filter (engine/vector/filters.ts), checked by the engine. */
        filter: z.unknown().optional(),
        pathPrefix: z.string().min(1).max(4096).optional(),
        /** Point ids left out of the results (the query point itself, for its nearest neighbours). */
        exclude: z.array(pointId).max(100).default([]),
      })
      .strict(),
    output: z.object({ hits: z.array(hitSchema), explain: explainSchema }),
  },
} as const;
