import assert from 'node:assert/strict';
import type { RequestInput, RequestName, RequestOutput } from '../../engine/api/contract/index.js';
import type { EngineHost } from '../../engine/api/EngineHost.js';
import type { Caller, KeyValueStorage } from '../../renderer/src/state/types.js';
import type { WorkbenchStore } from '../../renderer/src/state/workbench.js';

/** The slices over a real engine host: the transport is the only thing left out. */
export function callerFor(host: EngineHost): Caller {
  return {
    async call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
      const outcome = await host.call(name, input);
      if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), { code: outcome.error.code });
      return outcome.result as RequestOutput<N>;
    },
  };
}

export function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (key) => map.get(key) ?? null, setItem: (key, value) => void map.set(key, value) };
}

export async function until(store: WorkbenchStore, test: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !test(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(test(), 'the state reached the expected shape');
}
