import type { z } from 'zod';
import { VexError, isVexError } from '../errors.js';
import {
  events as eventSchemas,
  requests,
  type ApiError,
  type EventName,
  type EventPayload,
  type RequestMap,
  type RequestName,
  type RequestOutput,
} from './contract/index.js';
import { benchHandlers } from './handlers/benchHandlers.js';
import { configHandlers } from './handlers/configHandlers.js';
import { fsHandlers } from './handlers/fsHandlers.js';
import { storeHandlers } from './handlers/storeHandlers.js';
import { vectorHandlers } from './handlers/vectorHandlers.js';
import { OpenStores } from './OpenStores.js';
import { Workspace } from './Workspace.js';

export type Handler<N extends RequestName> = (
  input: z.output<RequestMap[N]['input']>,
) => Promise<RequestOutput<N>> | RequestOutput<N>;
export type Handlers = { [N in RequestName]: Handler<N> };

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ApiError };
export type EventListener = (name: EventName, payload: unknown) => void;

export interface HostOptions {
  /** When set, every request that names a path must name one inside this directory (served mode). */
  workspaceRoot?: string | null;
  /** Validate outputs too (tests): catches a handler that breaks the contract. */
  checkOutputs?: boolean;
}

/**
 * The engine host: the one place requests enter the engine. It validates every request
 * against the contract, dispatches it to its domain handler and turns every failure into
 * `{ code, message }`. Transports (Electron IPC, WebSocket) only move bytes to and from here.
 */
export class EngineHost {
  readonly stores: OpenStores;
  readonly workspace: Workspace;
  private readonly handlers: Handlers;
  private readonly listeners = new Set<EventListener>();
  private readonly checkOutputs: boolean;

  constructor(options: HostOptions = {}) {
    this.workspace = new Workspace(options.workspaceRoot ?? null);
    this.stores = new OpenStores();
    this.checkOutputs = options.checkOutputs ?? false;
    this.handlers = {
      ...storeHandlers(this.stores, this.workspace),
      ...fsHandlers(this.stores),
      ...benchHandlers(this.stores, this.workspace, (name, payload) => this.emit(name, payload)),
      ...configHandlers(this.stores),
      ...vectorHandlers(this.stores),
    };
  }

  async call(name: string, rawInput: unknown): Promise<CallOutcome> {
    try {
      if (!Object.hasOwn(requests, name)) {
        throw new VexError('E_USAGE', `unknown request '${name}'`);
      }
      const request = name as RequestName;
      const parsed = requests[request].input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
        throw new VexError('E_INVALID', `invalid input for '${name}': ${issues.join('; ')}`);
      }
      const handler = this.handlers[request] as (input: unknown) => unknown;
      const result = await handler(parsed.data);
      if (this.checkOutputs) requests[request].output.parse(result);
      return { ok: true, result };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    if (this.checkOutputs) eventSchemas[name].parse(payload);
    for (const listener of this.listeners) listener(name, payload);
  }

  async close(): Promise<void> {
    await this.stores.closeAll();
    this.listeners.clear();
  }
}

export function toApiError(error: unknown): ApiError {
  if (isVexError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'E_INTERNAL', message: `the engine hit an unexpected error: ${message}` };
}
