import { z } from 'zod';
import { benchEvents, benchRequests } from './bench.js';
import { configRequests } from './config.js';
import { fsRequests } from './fs.js';
import { storeRequests } from './store.js';
import { vectorRequests } from './vector.js';

/**
 * The whole surface between a UI and the engine: one map keyed 'domain/verb', merged
 * from one module per domain. Every request has an input and an output schema; every
 * event stream a payload schema. The host validates each request at the boundary;
 * Electron IPC and the WebSocket transport carry this same map, so the UI runs
 * unchanged in the desktop window and in a browser.
 */
export const requests = {
  ...storeRequests,
  ...fsRequests,
  ...benchRequests,
  ...configRequests,
  ...vectorRequests,
} as const;

export const events = {
  /** A notice from the engine for the UI's log. */
  'engine/log': z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), at: z.string() }),
  ...benchEvents,
} as const;

export type RequestMap = typeof requests;
export type RequestName = keyof RequestMap;
export type RequestInput<N extends RequestName> = z.input<RequestMap[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<RequestMap[N]['output']>;
export type EventMap = typeof events;
export type EventName = keyof EventMap;
export type EventPayload<N extends EventName> = z.output<EventMap[N]>;

/** How every failure crosses a transport: the engine's code and its sentence. */
export interface ApiError {
  code: string;
  message: string;
}

export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];
