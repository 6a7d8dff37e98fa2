/**
 * The workbench window's security settings, in one place so tests can check them:
 * the page is served from a private scheme (never file://), runs sandboxed and
 * context-isolated without Node, under a strict CSP, and can neither navigate nor
 * open windows; external links go to the system browser only when allow-listed.
 */
export const APP_SCHEME = 'vexfs-app';
export const APP_HOST = 'workbench';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // recharts and React set style attributes; no inline script is ever allowed.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Origins whose https pages the app opens in the system browser; everything else is refused. */
export const EXTERNAL_ALLOW_LIST: readonly string[] = [
  'https://github.com',
  'https://www.electronjs.org',
  'https://nodejs.org',
  'https://developer.mozilla.org',
];

export function isWorkbenchUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '';
  } catch {
    return false;
  }
}

export function isAllowedExternal(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.username === '' &&
      parsed.password === '' &&
      EXTERNAL_ALLOW_LIST.includes(parsed.origin)
    );
  } catch {
    return false;
  }
}

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/** BrowserWindow options (Electron's BrowserWindowConstructorOptions, kept structural for tests). */
export function workbenchWindowOptions(preloadPath: string, bounds: WindowBounds) {
  return {
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'VexFS Workbench',
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  } as const;
}

/** What hardening needs of a WebContents (Electron's, or a fake in tests). */
export interface WebContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/**
 * Denies every new window and every navigation away from the loaded page; an allow-listed
 * https link is handed to the system browser instead. Returns nothing the page can change.
 */
export function hardenWebContents(contents: WebContentsLike, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (isAllowedExternal(url)) openExternal(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isWorkbenchUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Permissions the page may use: none but writing to the clipboard (copy buttons). */
export function permissionAllowed(permission: string, requestingUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isWorkbenchUrl(requestingUrl);
}
