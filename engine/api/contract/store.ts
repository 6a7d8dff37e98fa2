import { z } from 'zod';
import { METRICS } from '../../store/layout.js';
import { empty, path, storeRef, storeSummarySchema } from './common.js';

/** Opening, creating and listing stores; the engine itself. */
export const storeRequests = {
  'engine/hello': {
    input: empty,
    output: z.object({
      version: z.string(),
      nodeVersion: z.string(),
      kernelBackend: z.string(),
      capabilities: z.array(z.string()),
    }),
  },
  'store/create': {
    input: z
      .object({ dir: path, dim: z.number().int().min(1).max(65536).optional(), metric: z.enum(METRICS).optional() })
      .strict(),
    output: storeSummarySchema,
  },
  'store/open': {
    input: z.object({ dir: path, readOnly: z.boolean().optional() }).strict(),
    output: storeSummarySchema,
  },
  'store/close': { input: storeRef.strict(), output: empty },
  'store/list': { input: empty, output: z.object({ stores: z.array(storeSummarySchema) }) },
} as const;
