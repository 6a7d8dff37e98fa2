import type { EventName, RequestName } from '../../../engine/api/contract/index.js';
import { EngineError, type ApiClient } from './client.js';

/**
 * The contract through the desktop shell's preload: one method per contract entry on
 * `window.vexfs` (generated from the contract; no generic invoke), plus `subscribe`.
 */
interface ElectronBridge {
  readonly requests: Record<
    string,
    (input: unknown) => Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }>
  >;
  subscribe(name: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    vexfs?: ElectronBridge;
  }
}

export function electronBridgeAvailable(): boolean {
  return typeof window !== 'undefined' && window.vexfs !== undefined;
}

export function connectElectronClient(): ApiClient {
  const bridge = window.vexfs;
  if (!bridge) throw new Error('the desktop bridge is not present');
  return {
    transport: 'electron',
    async call(name: RequestName, input: unknown) {
      const method = bridge.requests[name];
      if (!method)
        throw new EngineError({ code: 'E_USAGE', message: `the desktop bridge has no method for '${name}'` });
      const outcome = await method(input);
      if (outcome.ok) return outcome.result;
      throw new EngineError(outcome.error ?? { code: 'E_INTERNAL', message: 'no error given' });
    },
    on(name: EventName, listener: (payload: never) => void) {
      return bridge.subscribe(name, listener as (payload: unknown) => void);
    },
  } as ApiClient;
}
