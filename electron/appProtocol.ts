import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { APP_HOST, CONTENT_SECURITY_POLICY } from './security.js';
import { CONTENT_TYPES } from '../engine/api/server/contentTypes.js';

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Answers one request on the app's private scheme from the built renderer: only the
 * `workbench` host, only files inside `rendererDir` (no `..` escapes), every answer with
 * the CSP. Unknown paths fall back to index.html (the UI routes inside the page).
 */
export function answerAppRequest(rendererDir: string, requestUrl: string): AppResponse {
  const headers = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  const fail = (status: number, message: string): AppResponse => ({
    status,
    headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
    body: Buffer.from(`${message}\n`),
  });
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return fail(400, 'bad URL');
  }
  if (url.host !== APP_HOST) return fail(404, 'not found');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    return fail(503, 'the workbench UI is not built: run `npm run build` in the project, then reload');
  }
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
  } catch {
    return fail(400, 'bad path');
  }
  let file = join(rendererDir, relative);
  if (!file.startsWith(rendererDir + sep) && file !== rendererDir) return fail(404, 'not found');
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
  return {
    status: 200,
    headers: { ...headers, 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' },
    body: readFileSync(file),
  };
}
