import { expect, test } from '@playwright/test';
import { deleteUser } from '../support/gateway.mjs';
import { authState, call, dialerFrame, expectSignedIn, expectSignInForm, gateway, openDialer, password, signIn } from './helpers';

const VALID = '+12025550143';
const WRONG = 'Wrong username or password.';

test.describe('accounts', () => {
  test('sign in with the right password through the labelled form, reload keeps the session, sign out shows the form and placeCall then rejects with AuthenticationError', async ({ page }) => {
    await openDialer(page);
    let frame = await dialerFrame(page);
    await signIn(frame, 'signin', password());
    await expectSignedIn(frame, 'Test Signin');
    await expect(frame.getByText('Ext. 201')).toBeVisible();
    await expect(frame.getByLabel('Phone number')).toBeVisible();
    expect(await authState(page)).toMatchObject({ ok: true, result: { signed_in: true, user: { username: 'signin', display_name: 'Test Signin', extension: '201' } } });
    expect(await page.evaluate(() => localStorage.length)).toBe(0); // the session lives in the dialer's origin only

    await page.reload();
    await page.evaluate(() => window.harness.create());
    frame = await dialerFrame(page);
    await expectSignedIn(frame, 'Test Signin');
    expect(await authState(page)).toMatchObject({ ok: true, result: { signed_in: true } });

    await frame.getByRole('button', { name: 'Sign out' }).click();
    await expectSignInForm(frame);
    const r = await call(page, VALID);
    expect(r).toMatchObject({ ok: false, name: 'AuthenticationError' });
    expect(await frame.evaluate(() => localStorage.getItem('opendialer.session'))).toBeNull();

    // The revoked session is not restored after another reload.
    await page.reload();
    await page.evaluate(() => window.harness.create());
    await expectSignInForm(await dialerFrame(page));
    expect(await authState(page)).toMatchObject({ ok: true, result: { signed_in: false, user: null } });
  });

  test('a wrong password shows the generic "Wrong username or password." message and stays signed out', async ({ page }) => {
    await openDialer(page);
    const frame = await dialerFrame(page);
    await signIn(frame, 'wrongpw', 'not-the-password');
    await expect(frame.getByText(WRONG)).toBeVisible();
    await signIn(frame, 'no-such-user', 'whatever');
    await expect(frame.getByText(WRONG)).toBeVisible();
    expect(await authState(page)).toMatchObject({ ok: true, result: { signed_in: false } });
  });

  test('sign-in is rate limited: after 5 failures from this address the 6th attempt with the right password is refused with "Too many sign-in attempts"', async ({ page }) => {
    test.setTimeout(90_000); // six real Argon2id checks: seconds each on a loaded machine
    await openDialer(page);
    const frame = await dialerFrame(page);
    const button = frame.getByRole('button', { name: 'Sign in' });
    for (let i = 0; i < 5; i++) {
      await signIn(frame, 'ratelimit', `wrong-${i}`);
      await expect(frame.getByText(WRONG)).toBeVisible();
      await expect(button).toBeEnabled();
    }
    await signIn(frame, 'ratelimit', password());
    await expect(frame.getByText(/Too many sign-in attempts for this username from your address\. Try again in \d+ s\./)).toBeVisible();
    await expect(frame.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    expect(await authState(page)).toMatchObject({ ok: true, result: { signed_in: false } });
  });

  test('getToken sign-in: the host backend mints a token, the dialer signs in with it without the form', async ({ page }) => {
    await openDialer(page, { tokenUser: 'tokenuser' });
    const frame = await dialerFrame(page);
    await expectSignedIn(frame, 'Test Tokenuser');
    expect(await authState(page)).toMatchObject({ ok: true, result: { signed_in: true, user: { username: 'tokenuser' } } });
  });

  test('a session revoked on the server (user deleted through the admin API) makes placeCall reject with AuthenticationError and shows the form', async ({ page }) => {
    await openDialer(page);
    const frame = await dialerFrame(page);
    await signIn(frame, 'revoked', password());
    await expectSignedIn(frame, 'Test Revoked');
    await page.evaluate(() => ((window as any).authEvents = window.harness.record(['authStateChanged'])));

    const res = await deleteUser(gateway(), 'revoked');
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);

    const r = await call(page, VALID);
    expect(r).toMatchObject({ ok: false, name: 'AuthenticationError' });
    await expectSignInForm(frame);
    const events = await page.evaluate(() => (window as any).authEvents.list);
    expect(events.length).toBeGreaterThan(0);
    expect(events[events.length - 1]).toMatchObject({ type: 'authStateChanged', signed_in: false, user: null });
  });

  test('signed in, placeCall of a number the sandbox carrier does not serve: the call is placed over SIP and ends failed (404), not a fake success', async ({ page }) => {
    await openDialer(page);
    const frame = await dialerFrame(page);
    await signIn(frame, 'caller', password());
    await expectSignedIn(frame, 'Test Caller');
    await page.evaluate(() => ((window as any).calls = window.harness.record()));
    expect(await call(page, VALID)).toEqual({ ok: true, result: null });
    await expect
      .poll(() => page.evaluate(() => (window as any).calls.list.map((e: any) => `${e.call.state}/${e.call.end_reason}`)))
      .toEqual(['connecting/null', 'disconnected/failed']);
    await expect(frame.locator('.call-panel .call-status')).toContainText('Call ended');
  });
});
