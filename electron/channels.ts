/**
 * IPC channel names: one per contract request and one per event stream, so that main
 * registers a handler per entry and the preload exposes a method per entry (no generic
 * channel through which a page could name anything else).
 */
export const REQUEST_PREFIX = 'vexfs:request:';
export const EVENT_PREFIX = 'vexfs:event:';

export function requestChannel(name: string): string {
  return `${REQUEST_PREFIX}${name}`;
}

export function eventChannel(name: string): string {
  return `${EVENT_PREFIX}${name}`;
}
