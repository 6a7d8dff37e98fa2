import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answerAppRequest } from '../../electron/appProtocol.js';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  hardenWebContents,
  isAllowedExternal,
  isWorkbenchUrl,
  permissionAllowed,
  workbenchWindowOptions,
  type WebContentsLike,
} from '../../electron/security.js';

/** A WebContents that records what the shell registered, so each hook can be exercised. */
class FakeContents implements WebContentsLike {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly hooks = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void {
    this.openHandler = handler;
  }
  on(event: string, listener: (event: { preventDefault(): void }, url: string) => void): this {
    this.hooks.set(event, listener as (event: { preventDefault(): void }, url?: string) => void);
    return this;
  }
  fire(event: string, url?: string): boolean {
    let prevented = false;
    this.hooks.get(event)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

describe('the workbench window', () => {
  it('runs sandboxed and context-isolated, without Node, webviews or insecure content', () => {
    const options = workbenchWindowOptions('/app/preload.cjs', { width: 1200, height: 800 });
    const web = options.webPreferences;
    assert.equal(web.contextIsolation, true);
    assert.equal(web.sandbox, true);
    assert.equal(web.nodeIntegration, false);
    assert.equal(web.nodeIntegrationInWorker, false);
    assert.equal(web.nodeIntegrationInSubFrames, false);
    assert.equal(web.webSecurity, true);
    assert.equal(web.allowRunningInsecureContent, false);
    assert.equal(web.webviewTag, false);
    assert.equal(web.preload, '/app/preload.cjs');
    assert.equal(options.width, 1200);
  });

  it('has a strict CSP: scripts from the app only, no eval, no inline script, no network', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('connect-src'), ["'none'"]);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval|\*/);
  });

  it('denies every window.open and opens only allow-listed https links in the system browser', () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(contents, (url) => opened.push(url));
    const attempts = [
      'https://github.com/nmslib/hnswlib',
      'https://github.com.evil.example/',
      'http://github.com/',
      'https://user:pw@github.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'vexfs-app://workbench/index.html',
      'https://evil.example/',
      'not a url',
    ];
    for (const url of attempts) assert.deepEqual(contents.openHandler?.({ url }), { action: 'deny' }, url);
    assert.deepEqual(opened, ['https://github.com/nmslib/hnswlib']);
  });

  it('prevents every navigation, redirects away from the app and webviews', () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(contents, (url) => opened.push(url));
    assert.equal(contents.fire('will-navigate', 'https://evil.example/'), true);
    assert.equal(contents.fire('will-navigate', APP_ENTRY_URL), true);
    assert.equal(contents.fire('will-navigate', 'https://nodejs.org/api/'), true);
    assert.deepEqual(opened, ['https://nodejs.org/api/']);
    assert.equal(contents.fire('will-redirect', 'https://evil.example/'), true);
    assert.equal(contents.fire('will-redirect', 'vexfs-app://workbench/other.html'), false);
    assert.equal(contents.fire('will-attach-webview'), true);
  });

  it('recognises the workbench URL and the allow-list exactly', () => {
    assert.equal(isWorkbenchUrl(APP_ENTRY_URL), true);
    assert.equal(isWorkbenchUrl('vexfs-app://workbench/assets/index.js'), true);
    for (const url of [
      'vexfs-app://workbench.evil/x',
      'https://workbench/',
      'vexfs-app://a@workbench/',
      'file:///index.html',
      '',
    ]) {
      assert.equal(isWorkbenchUrl(url), false, url);
    }
    assert.equal(isAllowedExternal('https://developer.mozilla.org/en-US/'), true);
    assert.equal(isAllowedExternal('https://developer.mozilla.org:8443/'), false);
  });

  it('grants no permission but a clipboard write from the workbench', () => {
    assert.equal(permissionAllowed('clipboard-sanitized-write', APP_ENTRY_URL), true);
    assert.equal(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/'), false);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      assert.equal(permissionAllowed(permission, APP_ENTRY_URL), false, permission);
    }
  });
});

describe('the app scheme', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vexfs-scheme-'));
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>workbench</title>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the built renderer with the CSP on every answer', () => {
    const page = answerAppRequest(join(dir, 'renderer'), APP_ENTRY_URL);
    assert.equal(page.status, 200);
    assert.equal(page.headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
    assert.match(page.headers['Content-Type'] ?? '', /text\/html/);
    const script = answerAppRequest(join(dir, 'renderer'), 'vexfs-app://workbench/assets/app.js');
    assert.equal(script.body.toString(), 'console.log(1)');
    assert.match(script.headers['Content-Type'] ?? '', /javascript/);
  });

  it('never serves a file outside the renderer, nor another host', () => {
    for (const url of [
      'vexfs-app://workbench/%2e%2e/secret.txt',
      'vexfs-app://workbench/..%2Fsecret.txt',
      'vexfs-app://workbench/assets/..%2F..%2Fsecret.txt',
    ]) {
      const answer = answerAppRequest(join(dir, 'renderer'), url);
      assert.notEqual(answer.body.toString(), 'outside', url);
    }
    assert.equal(answerAppRequest(join(dir, 'renderer'), 'vexfs-app://other/index.html').status, 404);
    assert.equal(answerAppRequest(join(dir, 'renderer'), 'vexfs-app://workbench/%E0%A4%A').status, 400);
  });

  it('says how to build the UI when it is missing', () => {
    const answer = answerAppRequest(join(dir, 'nothing-here'), APP_ENTRY_URL);
    assert.equal(answer.status, 503);
    assert.match(answer.body.toString(), /npm run build/);
  });
});
