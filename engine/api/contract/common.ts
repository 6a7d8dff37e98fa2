import { z } from 'zod';
import { METRICS } from '../../store/layout.js';

/** Schemas shared by several domains of the contract. */
export const path = z.string().min(1).max(4096);
export const storeRef = z.object({ storeId: z.string().min(1) });
export const timespec = z.object({ sec: z.number(), nsec: z.number() });

export const storeSummarySchema = z.object({
  storeId: z.string(),
  dir: z.string(),
  readOnly: z.boolean(),
  formatVersion: z.number().int(),
  dim: z.number().int(),
  metric: z.enum(METRICS),
  createdAt: z.string(),
  recovery: z.object({ walFramesReplayed: z.number(), orphansFreed: z.number(), warnings: z.array(z.string()) }),
});

export const attrSchema = z.object({
  ino: z.number().int(),
  mode: z.number().int(),
  kind: z.enum(['file', 'dir', 'symlink']),
  nlink: z.number().int(),
  uid: z.number().int(),
  gid: z.number().int(),
  size: z.number(),
  blocks: z.number(),
  atime: timespec,
  mtime: timespec,
  ctime: timespec,
  birthtime: timespec,
});

export const dirEntrySchema = z.object({
  name: z.string(),
  ino: z.number().int(),
  kind: z.enum(['file', 'dir', 'symlink']),
  offset: z.number().int(),
});

export const empty = z.object({}).strict();
