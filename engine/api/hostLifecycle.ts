import type { EngineHost } from './EngineHost.js';

/** What a graceful shutdown did, for the log line of whoever stopped the host. */
export interface ShutdownReport {
  cancelledRuns: string[];
  /** Runs that did not report their saved result within the wait; their worker is stopped with the process. */
  unsavedRuns: string[];
  closedStores: number;
}

/**
 * Stops a host gracefully: every running benchmark is cancelled and waited for until the
 * engine has saved it (as cancelled), then every store is closed. The app's utility process
 * and `vexctl serve` both end this way, so quitting never leaves a run unrecorded or a store
 * with its writer lock and WAL open. (No mount requests exist in the contract yet; when
 * they land, unmounting belongs here, before the stores close.)
 */
export async function shutdownHost(host: EngineHost, options: { saveWaitMs?: number } = {}): Promise<ShutdownReport> {
  const saveWaitMs = options.saveWaitMs ?? 20_000;
  const listed = await host.call('bench/list', {});
  const active = listed.ok ? (listed.result as { active: { runId: string }[] }).active.map((a) => a.runId) : [];
  const pending = new Set(active);
  const saved = new Promise<void>((resolve) => {
    if (pending.size === 0) return resolve();
    const unsubscribe = host.subscribe((name, payload) => {
      const status = payload as { runId?: string; state?: string };
      if (name !== 'bench/status' || status.state === 'running' || status.runId === undefined) return;
      pending.delete(status.runId);
      if (pending.size === 0) {
        unsubscribe();
        resolve();
      }
    });
  });
  const cancelled: string[] = [];
  for (const runId of active) {
    const outcome = await host.call('bench/cancel', { runId });
    // A run that finished between list and cancel has saved itself already.
    if (outcome.ok) cancelled.push(runId);
    else pending.delete(runId);
  }
  if (pending.size > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([saved, new Promise<void>((resolve) => (timer = setTimeout(resolve, saveWaitMs)))]);
    clearTimeout(timer);
  }
  const storesListed = await host.call('store/list', {});
  const closedStores = storesListed.ok ? (storesListed.result as { stores: unknown[] }).stores.length : 0;
  await host.close();
  return { cancelledRuns: cancelled, unsavedRuns: [...pending], closedStores };
}
