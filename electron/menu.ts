import { basename } from 'node:path';

/** A menu entry (the subset of Electron's MenuItemConstructorOptions this app uses). */
export interface MenuEntry {
  label?: string;
  role?:
    | 'quit'
    | 'copy'
    | 'paste'
    | 'cut'
    | 'selectAll'
    | 'undo'
    | 'redo'
    | 'reload'
    | 'toggleDevTools'
    | 'togglefullscreen'
    | 'resetZoom'
    | 'zoomIn'
    | 'zoomOut';
  type?: 'separator';
  accelerator?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuEntry[];
}

export interface MenuActions {
  openStore(): void;
  openRecent(dir: string): void;
  clearRecent(): void;
  showConnectHelp(): void;
  developerTools: boolean;
}

/** The app menu: File (open, recent, demo, quit), Edit, View, Help. Rebuilt when the recent list changes. */
export function buildMenuTemplate(recent: readonly string[], actions: MenuActions): MenuEntry[] {
  const recentItems: MenuEntry[] =
    recent.length === 0
      ? [{ label: 'No recent stores', enabled: false }]
      : [
          ...recent.map((dir) => ({ label: `${basename(dir)} — ${dir}`, click: () => actions.openRecent(dir) })),
          { type: 'separator' as const },
          { label: 'Clear Recent', click: () => actions.clearRecent() },
        ];
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Open Store…', accelerator: 'CmdOrCtrl+O', click: () => actions.openStore() },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(actions.developerTools ? [{ role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Help', submenu: [{ label: 'Use vexctl with This App…', click: () => actions.showConnectHelp() }] },
  ];
}
