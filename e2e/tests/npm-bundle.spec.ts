// The seed's npm path as a new user would take it: the SDK package bundled with esbuild into the host's
// own script (so `import.meta.url` is the host's bundle, not the gateway), served by the host page, running
// the seed's npm snippet `new Net2PhoneDialer({ rootHtmlElement })` without serverUrl.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { GATEWAY_URL, HOST_ORIGIN } from '../support/constants.mjs';
import { dialerFrame, expectSignInForm } from './helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const WEB = path.resolve(here, '../../web');
const WORK = path.resolve(here, '../.tmp/npm-bundle');
const PAGES = path.resolve(here, '../fixtures/npm-bundle'); // generated, git-ignored

/** The host app: the seed's npm snippet, bundled by esbuild against the package as npm installs it. */
function bundleHostApp(): string {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(path.join(WORK, 'node_modules/@net2phone'), { recursive: true });
  symlinkSync(path.join(WEB, 'sdk'), path.join(WORK, 'node_modules/@net2phone/dialer-sdk'), 'dir');
  writeFileSync(path.join(WORK, 'app.js'), [
    "import Net2PhoneDialer from '@net2phone/dialer-sdk';",
    'try {',
    '  window.dialer = new Net2PhoneDialer({',
    "    rootHtmlElement: document.getElementById('net2phone-dialer'),",
    '  });',
    '} catch (e) {',
    '  window.constructError = { name: e.name, message: e.message, isSdkError: e instanceof Net2PhoneDialer.errors.InvalidOptionsError };',
    '}',
  ].join('\n'));
  const out = path.join(WORK, 'app.bundle.js');
  const r = spawnSync(path.join(WEB, 'node_modules/.bin/esbuild'),
    ['app.js', '--bundle', '--format=esm', `--outfile=${out}`, '--log-level=warning'], { cwd: WORK, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

/** The host pages, served by the e2e fixture server on the host origin (a real loopback server: Chromium's
 * local network checks block a loopback iframe in a page that came from nowhere, e.g. page.route). */
function writeHostPages(bundle: string) {
  rmSync(PAGES, { recursive: true, force: true });
  mkdirSync(PAGES, { recursive: true });
  writeFileSync(path.join(PAGES, 'app.bundle.js'), bundle);
  const page = (head: string) => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>`
    + '<div id="net2phone-dialer" style="width:280px;height:420px"></div>'
    + '<script type="module" src="app.bundle.js"></script></body></html>';
  writeFileSync(path.join(PAGES, 'with-meta.html'), page('<meta name="net2phone-dialer-server" content="__GATEWAY_URL__">'));
  writeFileSync(path.join(PAGES, 'without-meta.html'), page(''));
}

test.describe('the SDK bundled from npm into the host page (esbuild)', () => {
  test.beforeAll(() => {
    writeHostPages(bundleHostApp());
  });
  test.afterAll(() => rmSync(PAGES, { recursive: true, force: true }));

  test('with <meta name="net2phone-dialer-server"> the seed snippet loads the dialer from the gateway', async ({ page }) => {
    await page.goto(`${HOST_ORIGIN}/npm-bundle/with-meta.html`);
    await expect.poll(() => page.evaluate(() => Boolean((window as any).dialer || (window as any).constructError))).toBe(true);
    expect(await page.evaluate(() => (window as any).constructError)).toBeUndefined();
    await expect(page.locator('iframe')).toHaveAttribute('src', new RegExp(`^${GATEWAY_URL}/dialer/\\?parentOrigin=`));
    await expectSignInForm(await dialerFrame(page));
  });

  test('without it the constructor throws InvalidOptionsError at once, naming serverUrl and the meta tag', async ({ page }) => {
    await page.goto(`${HOST_ORIGIN}/npm-bundle/without-meta.html`);
    await expect.poll(() => page.evaluate(() => (window as any).constructError ?? null)).not.toBeNull();
    const error = await page.evaluate(() => (window as any).constructError);
    expect(error.name).toBe('InvalidOptionsError');
    expect(error.isSdkError).toBe(true);
    expect(error.message).toContain('serverUrl');
    expect(error.message).toContain('<meta name="net2phone-dialer-server"');
    expect(await page.locator('iframe').count()).toBe(0);
  });
});
