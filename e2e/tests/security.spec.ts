import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { DEMO_ORIGIN, FOREIGN_ORIGIN, GATEWAY_URL, HOST_ORIGIN } from '../support/constants.mjs';
import { authState, call, dialerFrame, expectSignInForm, openDialer } from './helpers';

test.describe('forged postMessages', () => {
  test('a frame from a foreign origin cannot fake SDK events to the host nor requests to the dialer', async ({ page }) => {
    await openDialer(page);
    const frame = await dialerFrame(page);
    await expectSignInForm(frame);
    expect((await authState(page)).ok).toBe(true);
    await page.evaluate(() => {
      (window as any).calls = window.harness.record();
      (window as any).all = window.harness.record(['callStateChanged', 'authStateChanged', 'connectionStateChanged', 'tokenRequested']);
    });
    const acceptedBefore = Number(await frame.locator('body').getAttribute('data-host-accepted'));
    const ignoredBefore = Number(await frame.locator('body').getAttribute('data-host-ignored'));
    expect(acceptedBefore).toBeGreaterThan(0); // the harness's own getAuthState went through

    await page.evaluate((src) => window.harness.addFrame(src), `${FOREIGN_ORIGIN}/forger.html`);
    // The forged envelopes did reach the host page (so the check below is meaningful)...
    await expect
      .poll(() => page.evaluate(() => window.harness.messages.some((m) => m.data && m.data.forgerDone)))
      .toBe(true);
    const forged = await page.evaluate(
      (o) => window.harness.messages.filter((m) => m.origin === o && m.data && m.data.ns === 'net2phone-dialer').length,
      FOREIGN_ORIGIN,
    );
    expect(forged).toBe(2);
    // ...and the three forged requests reached the dialer, which ignored them all.
    await expect.poll(async () => Number(await frame.locator('body').getAttribute('data-host-ignored'))).toBe(ignoredBefore + 3);
    expect(Number(await frame.locator('body').getAttribute('data-host-accepted'))).toBe(acceptedBefore);

    // A round trip after the forgeries proves the channel is still working and flushed.
    expect((await authState(page)).ok).toBe(true);
    const seen = await page.evaluate(() => ({ calls: (window as any).calls.list, all: (window as any).all.list }));
    expect(seen.calls).toEqual([]);
    expect(seen.all.filter((e: any) => e.type === 'callStateChanged')).toEqual([]);
    // No response for a forged id ever came back from the dialer.
    const forgedResponses = await page.evaluate(
      (o) => window.harness.messages.filter((m) => m.origin === o && m.data && String(m.data.id).startsWith('forged-')).length,
      GATEWAY_URL,
    );
    expect(forgedResponses).toBe(0);
  });
});

test.describe('embedding restrictions', () => {
  test('a page on a non-allowed origin cannot use the dialer: placeCall rejects with DialerTimeoutError', async ({ page }) => {
    await openDialer(page, { readyTimeoutMs: 2500 }, FOREIGN_ORIGIN);
    const r = await call(page, '+12025550143');
    expect(r).toMatchObject({ ok: false, name: 'DialerTimeoutError' });
    expect(r.classes).toContain('Net2PhoneDialerError');
    // Whatever blocked it (CSP frame-ancestors or the dialer's own check), no sign-in form was offered.
    const dialer = page.frames().find((f) => f.url().startsWith(`${GATEWAY_URL}/dialer/`));
    if (dialer) await expect(dialer.getByLabel('Username')).toHaveCount(0);
  });

  test('the dialer refuses an allowed parentOrigin that is not its real parent', async ({ page }) => {
    await page.goto(`${HOST_ORIGIN}/harness.html`);
    // The host page claims to be the demo site, whose origin is also allowed.
    await page.evaluate((src) => window.harness.addFrame(src), `${GATEWAY_URL}/dialer/?parentOrigin=${encodeURIComponent(DEMO_ORIGIN)}`);
    const frame = await dialerFrame(page);
    await expect(frame.getByText(`This dialer can't be used on ${HOST_ORIGIN}: the site is not allowed to embed it.`)).toBeVisible();
    await expect(frame.getByLabel('Username')).toHaveCount(0);
    const ready = await page.evaluate((o) => window.harness.messages.filter((m) => m.origin === o).length, GATEWAY_URL);
    expect(ready).toBe(0);
  });

  test('the dialer opened as a top-level page explains that it must be embedded with the SDK', async ({ page }) => {
    await page.goto(`${GATEWAY_URL}/dialer/?parentOrigin=${encodeURIComponent(HOST_ORIGIN)}`);
    await expect(page.getByText('This dialer must be embedded in a website with the net2phone dialer SDK.')).toBeVisible();
    await expect(page.getByLabel('Username')).toHaveCount(0);
  });
});

function connect(): Promise<{ ws: WebSocket; next: () => Promise<any> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${GATEWAY_URL.replace('http', 'ws')}/ws`, { origin: GATEWAY_URL });
    const queue: any[] = [];
    const waiters: Array<(m: any) => void> = [];
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      const w = waiters.shift();
      if (w) w(msg);
      else queue.push(msg);
    });
    const next = () =>
      new Promise<any>((res, rej) => {
        if (queue.length) return res(queue.shift());
        const t = setTimeout(() => rej(new Error('no frame from the gateway within 5 s')), 5000);
        waiters.push((m) => {
          clearTimeout(t);
          res(m);
        });
      });
    ws.once('open', () => resolve({ ws, next }));
    ws.once('error', reject);
  });
}

test.describe('WebSocket robustness', () => {
  test('malformed WebSocket frames get bad_request replies and the connection and gateway keep working', async () => {
    const { ws, next } = await connect();
    try {
      ws.send('this is not JSON');
      expect(await next()).toMatchObject({ v: 1, type: 'response', id: null, ok: false, error: { code: 'bad_request' } });
      ws.send('[1, 2, 3]');
      expect(await next()).toMatchObject({ type: 'response', ok: false, error: { code: 'bad_request' } });
      ws.send(JSON.stringify({ v: 2, type: 'request', id: 'wrong-version', method: 'hello', params: { protocol: 1 } }));
      expect(await next()).toMatchObject({ type: 'response', ok: false, error: { code: 'bad_request' } });
      ws.send(JSON.stringify({ v: 1, type: 'request', id: 'm1', method: 'noSuchMethod', params: {} }));
      expect(await next()).toMatchObject({ id: 'm1', ok: false, error: { code: 'unknown_method' } });

      ws.send(JSON.stringify({ v: 1, type: 'request', id: 'h1', method: 'hello', params: { protocol: 1 } }));
      expect(await next()).toMatchObject({ v: 1, type: 'response', id: 'h1', ok: true, result: { protocol: 1, server: 'opendialer' } });
      expect(ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      ws.close();
    }
    const health = await fetch(`${GATEWAY_URL}/healthz`);
    expect(health.ok).toBe(true);
    const again = await connect();
    again.ws.send(JSON.stringify({ v: 1, type: 'request', id: 'h2', method: 'hello', params: { protocol: 1 } }));
    expect(await again.next()).toMatchObject({ id: 'h2', ok: true });
    again.ws.close();
  });

  test('the gateway refuses a WebSocket upgrade from a foreign Origin', async () => {
    const ws = new WebSocket(`${GATEWAY_URL.replace('http', 'ws')}/ws`, { origin: FOREIGN_ORIGIN });
    const result = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
      ws.once('error', () => resolve('error'));
    });
    ws.terminate();
    expect(result).not.toBe('open');
  });
});
