import { z } from 'zod';
import { attrSchema, dirEntrySchema, empty, path, storeRef } from './common.js';

/** Files, directories and attributes of an open store, by path. */
export const fsRequests = {
  'fs/stat': {
    input: storeRef.extend({ path }).strict(),
    output: attrSchema.extend({ symlinkTarget: z.string().nullable(), xattrs: z.array(z.string()) }),
  },
  'fs/readdir': {
    input: storeRef
      .extend({
        path,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    output: z.object({
      entries: z.array(dirEntrySchema.extend({ size: z.number() })),
      nextOffset: z.number().int().nullable(),
    }),
  },
  'fs/read': {
    input: storeRef
      .extend({
        path,
        offset: z.number().int().min(0).default(0),
        length: z
          .number()
          .int()
          .min(0)
          .max(1 << 20)
          .default(65536),
      })
      .strict(),
    output: z.object({ dataBase64: z.string(), size: z.number(), eof: z.boolean() }),
  },
  'fs/write-file': {
    input: storeRef
      .extend({ path, dataBase64: z.string().max(16 << 20), mode: z.number().int().min(0).max(0o7777).default(0o644) })
      .strict(),
    output: attrSchema,
  },
  'fs/mkdir': {
    input: storeRef
      .extend({ path, mode: z.number().int().min(0).max(0o7777).default(0o755), parents: z.boolean().default(false) })
      .strict(),
    output: attrSchema,
  },
  'fs/remove': { input: storeRef.extend({ path, recursive: z.boolean().default(false) }).strict(), output: empty },
  'fs/rename': {
    input: storeRef.extend({ from: path, to: path, noReplace: z.boolean().default(false) }).strict(),
    output: empty,
  },
  'fs/getxattr': {
    input: storeRef.extend({ path, name: z.string().min(1).max(255) }).strict(),
    output: z.object({ valueBase64: z.string() }),
  },
  'fs/setxattr': {
    input: storeRef.extend({ path, name: z.string().min(1).max(255), valueBase64: z.string().max(1 << 20) }).strict(),
    output: empty,
  },
  'fs/vector': {
    input: storeRef.extend({ path }).strict(),
    output: z.object({ vector: z.array(z.number()).nullable() }),
  },
} as const;
