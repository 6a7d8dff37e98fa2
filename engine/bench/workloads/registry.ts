import { z } from 'zod';
import { VexError } from '../../errors.js';
import type { WorkloadDescriptor } from './types.js';
import { cacheDescriptor, memoryPoolDescriptor } from '../../memory/workloadDescriptors.js';
import { vectorDescriptors } from './vectorDescriptors.js';

/**
 * Every workload a profile can name in `module`. Descriptors are light (names, ops,
 * subjects, params schema) so that validating a profile loads no engine code; the
 * implementation is imported only inside the benchmark worker.
 */
const descriptors: readonly WorkloadDescriptor[] = [
  {
    name: 'noop',
    description: "An empty op: measures the harness's own cost per op (per-op timing and batched timing).",
    ops: ['noop'],
    subjects: ['harness'],
    defaultSubjects: ['harness'],
    paramsSchema: z.strictObject({}),
    load: async () => (await import('./noop.js')).noopWorkload,
  },
  {
    name: 'fs-ops',
    description:
      'Filesystem ops on the in-process Vfs over a real store (committed acknowledgement), with memfs and node:fs on tmpfs as peers.',
    ops: ['create', 'stat', 'write_4k', 'read_4k', 'readdir', 'unlink'],
    subjects: ['vexfs', 'memfs', 'node_fs'],
    defaultSubjects: ['vexfs', 'memfs', 'node_fs'],
    paramsSchema: z.strictObject({
      open_files: z.number().int().min(1).max(512).default(32),
      listing_entries: z.number().int().min(0).max(100_000).default(64),
    }),
    storeSchema: z.strictObject({
      commit_window_us: z.number().int().min(0).max(1_000_000).optional(),
    }),
    load: async () => (await import('./fsOps.js')).fsOpsWorkload,
  },
  {
    name: 'stall',
    description:
      'A synthetic op with a fixed service time, periodic stalls and optional failures: checks the harness (coordinated-omission correction, error counts).',
    ops: ['work'],
    subjects: ['synthetic'],
    defaultSubjects: ['synthetic'],
    paramsSchema: z.strictObject({
      service_us: z.number().min(0).max(1_000_000).default(20),
      stall_ms: z.number().min(0).max(10_000).default(50),
      stall_every: z.number().int().min(1).default(1000),
      /** Every Nth op fails with EIO (0: never): checks that errors are counted by code. */
      fail_every: z.number().int().min(0).default(0),
    }),
    load: async () => (await import('./stall.js')).stallWorkload,
  },
  memoryPoolDescriptor,
  cacheDescriptor,
  ...vectorDescriptors,
];

export function listWorkloads(): readonly WorkloadDescriptor[] {
  return descriptors;
}

export function findWorkload(name: string): WorkloadDescriptor | undefined {
  return descriptors.find((d) => d.name === name);
}

export function getWorkload(name: string): WorkloadDescriptor {
  const descriptor = findWorkload(name);
  if (!descriptor) {
    const known = descriptors.map((d) => d.name).join(', ');
    throw new VexError('E_PROFILE', `There is no workload module '${name}'; known modules: ${known}.`);
  }
  return descriptor;
}
