import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from './recentStores.js';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, maximized: false };

/**
 * The window's last bounds, if they are sane and still on a display (a monitor may have
 * been unplugged since): otherwise the default size, centred by Electron.
 */
export function readWindowState(userDataDir: string, displays: readonly Rect[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(userDataDir, WINDOW_STATE_FILE), 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  const s = raw as Partial<Record<keyof WindowState, unknown>>;
  const whole = (value: unknown, min: number, max: number): value is number =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  if (!whole(s.width, 400, 20000) || !whole(s.height, 300, 20000)) return { ...DEFAULT_WINDOW_STATE };
  const state: WindowState = { width: s.width, height: s.height, maximized: s.maximized === true };
  if (whole(s.x, -100000, 100000) && whole(s.y, -100000, 100000)) {
    const visible = displays.some((d) => overlap(d, { x: s.x as number, y: s.y as number, width: 100, height: 100 }));
    if (visible) Object.assign(state, { x: s.x, y: s.y });
  }
  return state;
}

export function saveWindowState(userDataDir: string, state: WindowState): void {
  writeJsonAtomic(join(userDataDir, WINDOW_STATE_FILE), state);
}

function overlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
