import { expect, test } from '@playwright/test';
import { HOST_ORIGIN } from '../support/constants.mjs';
import { authState, call, dialerFrame, expectSignInForm, openDialer } from './helpers';

const VALID = '+12025550143';

test.describe('error classes from the gateway', () => {
  for (const to of ['invalid_input', 'abc', '+1 555']) {
    test(`placeCall({ to: ${JSON.stringify(to)} }) rejects with InvalidPhoneNumberError from the gateway's number check`, async ({ page }) => {
      await openDialer(page);
      const r = await call(page, to);
      expect(r).toMatchObject({ ok: false, name: 'InvalidPhoneNumberError', isError: true });
      expect(r.classes).toEqual(expect.arrayContaining(['InvalidPhoneNumberError', 'Net2PhoneDialerError']));
      expect(r.classes).not.toContain('AuthenticationError');
      expect(r.message).toBeTruthy();
    });
  }

  test('placeCall of a valid number while signed out rejects with AuthenticationError', async ({ page }) => {
    await openDialer(page);
    const r = await call(page, VALID);
    expect(r).toMatchObject({ ok: false, name: 'AuthenticationError' });
    expect(r.classes).toEqual(expect.arrayContaining(['AuthenticationError', 'Net2PhoneDialerError']));
    expect(r.message).toBeTruthy();
  });
});

test.describe('bad input', () => {
  test('placeCall() without arguments, with to: 42 and with a 10 KB string rejects with InvalidPhoneNumberError', async ({ page }) => {
    await openDialer(page);
    const results = await page.evaluate(() =>
      Promise.all([
        window.harness.outcome(() => window.dialer.placeCall()),
        window.harness.outcome(() => window.dialer.placeCall({ to: 42 })),
        window.harness.outcome(() => window.dialer.placeCall({ to: '1'.repeat(10 * 1024) })),
      ]),
    );
    for (const r of results) {
      expect(r).toMatchObject({ ok: false, name: 'InvalidPhoneNumberError' });
      expect(r.classes).toEqual(expect.arrayContaining(['InvalidPhoneNumberError', 'Net2PhoneDialerError']));
    }
  });

  test('the constructor without rootHtmlElement throws InvalidOptionsError, a Net2PhoneDialerError', async ({ page }) => {
    await page.goto(`${HOST_ORIGIN}/harness.html`);
    const r = await page.evaluate(() =>
      window.harness.outcome(() => new (window as any).Net2PhoneDialer({})),
    );
    expect(r).toMatchObject({ ok: false, name: 'InvalidOptionsError', isError: true });
    expect(r.classes).toEqual(expect.arrayContaining(['InvalidOptionsError', 'Net2PhoneDialerError']));
    expect(await page.locator('iframe').count()).toBe(0);
  });
});

test.describe('lifecycle', () => {
  test('a placeCall made right after construction waits for ready and gets the gateway answer, not a timeout', async ({ page }) => {
    await page.goto(`${HOST_ORIGIN}/harness.html`);
    const r = await page.evaluate(async (to) => {
      window.harness.create();
      const started = performance.now();
      const outcome = await window.harness.outcome(() => window.dialer.placeCall({ to }));
      return { ...outcome, ms: performance.now() - started };
    }, VALID);
    expect(r).toMatchObject({ ok: false, name: 'AuthenticationError' });
    expect(r.ms).toBeLessThan(10_000);
  });

  test('subscribe: the default subscription gets no auth events, opt-in gets authStateChanged, a disposed subscription gets nothing', async ({ page }) => {
    await openDialer(page, { tokenUser: 'tokenuser' });
    // Subscriptions made synchronously after construction, before the token sign-in completes.
    await page.evaluate(() => {
      const w = window as any;
      w.defaultSub = window.harness.record();
      w.authSub = window.harness.record(['authStateChanged']);
      w.disposedSub = window.harness.record(['authStateChanged', 'connectionStateChanged']);
      w.disposedSub.sub.dispose();
    });
    await expect.poll(() => page.evaluate(() => (window as any).authSub.list.length)).toBeGreaterThan(0);
    const seen = await page.evaluate(() => {
      const w = window as any;
      return { def: w.defaultSub.list, auth: w.authSub.list, disposed: w.disposedSub.list };
    });
    expect(seen.auth[0]).toMatchObject({ type: 'authStateChanged', signed_in: true, reason: 'signed_in', user: { username: 'tokenuser' } });
    expect(seen.def).toEqual([]);
    expect(seen.disposed).toEqual([]);
  });

  test('dispose removes the iframe and later calls reject with DialerDisposedError', async ({ page }) => {
    await openDialer(page);
    await expectSignInForm(await dialerFrame(page));
    expect((await authState(page)).ok).toBe(true);
    await page.evaluate(() => window.dialer.dispose());
    await expect(page.locator('#net2phone-dialer iframe')).toHaveCount(0);
    const results = await page.evaluate(() =>
      Promise.all([
        window.harness.outcome(() => window.dialer.placeCall({ to: '+12025550143' })),
        window.harness.outcome(() => window.dialer.getAuthState()),
        window.harness.outcome(() => window.dialer.subscribe(() => {})),
      ]),
    );
    for (const r of results) {
      expect(r).toMatchObject({ ok: false, name: 'DialerDisposedError' });
      expect(r.classes).toContain('Net2PhoneDialerError');
    }
  });
});
