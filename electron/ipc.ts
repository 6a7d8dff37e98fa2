import { eventNames, requestNames, requests, type RequestName } from '../engine/api/contract/index.js';
import { eventChannel, requestChannel } from './channels.js';

/** The parts of Electron's IPC the wrapper uses (injected: tests run it without Electron). */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}
export interface InvokeEventLike {
  readonly senderFrame: SenderFrameLike | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type Outcome = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

export interface ContractIpcOptions {
  /** Whether a frame URL is the workbench page (electron/security.ts isWorkbenchUrl). */
  isTrustedUrl(url: string): boolean;
  /** Sends a checked request to the engine host. */
  forward(name: RequestName, input: unknown): Promise<Outcome>;
  /** Told about every refusal, for the log. */
  onRefused?(channel: string, reason: string): void;
}

/**
 * The one main-side entry for the page's requests: a handler per contract entry, each of
 * which (1) refuses a sender that is not the workbench's top frame, (2) refuses anything but
 * one argument that the contract's input schema accepts, and only then (3) forwards it to
 * the engine host. Refusals never reach the host. Returns a function that removes them all.
 */
export function registerContractIpc(ipcMain: IpcMainLike, options: ContractIpcOptions): () => void {
  const channels: string[] = [];
  for (const name of requestNames) {
    const channel = requestChannel(name);
    const refuse = (code: string, message: string): Outcome => {
      options.onRefused?.(channel, message);
      return { ok: false, error: { code, message } };
    };
    ipcMain.handle(channel, async (event, ...args) => {
      const frame = event.senderFrame;
      if (frame === null) return refuse('EACCES', 'refused: the sending frame is gone');
      if (frame.parent !== null || !options.isTrustedUrl(frame.url)) {
        return refuse('EACCES', `refused: '${name}' came from ${frame.url || 'an unknown page'}, not the workbench`);
      }
      if (args.length > 1) return refuse('E_INVALID', `invalid input for '${name}': expected one argument`);
      const input = args[0] ?? {};
      const parsed = requests[name].input.safeParse(input);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
        return refuse('E_INVALID', `invalid input for '${name}': ${issues.join('; ')}`);
      }
      return options.forward(name, input);
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

export interface EventTargetLike {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/** Relays the host's events to the window: contract event streams only, each on its own channel. */
export function relayEvent(target: EventTargetLike | null, name: string, payload: unknown): boolean {
  if (target === null || target.isDestroyed() || !(eventNames as readonly string[]).includes(name)) return false;
  target.send(eventChannel(name), payload);
  return true;
}
