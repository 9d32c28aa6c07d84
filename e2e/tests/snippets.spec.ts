import { expect, test } from '@playwright/test';
import { DEMO_ORIGIN, HOST_ORIGIN } from '../support/constants.mjs';
import { dialerFrame, expectSignedIn, expectSignInForm, password, signIn } from './helpers';

test.describe('seed snippets', () => {
  test("the seed's UMD snippet runs unchanged and the dialer shows its sign-in form", async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${HOST_ORIGIN}/umd-snippet.html`);
    await expectSignInForm(await dialerFrame(page));
    expect(await page.evaluate(() => typeof (window as any).Net2PhoneDialer)).toBe('function');
    expect(errors).toEqual([]);
  });

  test("the seed's ES-module snippet runs unchanged and the dialer shows its sign-in form", async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${HOST_ORIGIN}/esm-snippet.html`);
    await expectSignInForm(await dialerFrame(page));
    expect(errors).toEqual([]);
  });
});

test.describe('demo site', () => {
  test('loads on its own port, embeds the dialer with the sign-in form, and click-to-call reports AuthenticationError when signed out', async ({ page }) => {
    await page.goto(`${DEMO_ORIGIN}/`);
    await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Call' }).first()).toBeVisible();
    await expectSignInForm(await dialerFrame(page));
    await page.getByRole('row', { name: /Ada Whitfield/ }).getByRole('button', { name: 'Call' }).click();
    await expect(page.locator('#call-error')).toHaveText('Sign in to the phone on the right first.');
    await expect(page.locator('#event-log')).toContainText('AuthenticationError');
  });

  test("the CRM's own Hang up button cancels a ringing extension call through hangUp({ callId }), and the log shows why it ended", async ({ page }) => {
    await page.goto(`${DEMO_ORIGIN}/`);
    const frame = await dialerFrame(page);
    await signIn(frame, 'democaller', password());
    await expectSignedIn(frame, 'Test Democaller');
    // demotarget (extension 208) has no dialer open: the call rings until it is cancelled.
    await page.getByLabel('Call another number').fill('208');
    await page.locator('#manual-call').getByRole('button', { name: 'Call' }).click();
    await expect(page.locator('#current-call-text')).toHaveText('Calling 208');
    await expect(frame.locator('.call-panel .call-status')).toHaveText('Calling…');
    await page.locator('#current-call').getByRole('button', { name: 'Hang up' }).click();
    await expect(page.locator('#event-log')).toContainText('Call to 208: disconnected (not_answered, canceled)');
    await expect(page.locator('#current-call')).toBeHidden();
    await expect(frame.locator('.call-panel .call-status')).toHaveText('Call ended — cancelled');
  });
});
