// The first ten minutes (issue 6): the shared gateway has no SIP trunk, so the built-in sandbox
// carrier is its trunk. On the demo site a newcomer signs in, calls the echo test number and hears
// their own microphone (a 1 kHz tone) come back through WebRTC → relay → SIP/RTP → sandbox and back;
// then asks the sandbox to call them and hears its tone.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, DEMO_ORIGIN } from '../support/constants.mjs';
import { writeToneWav } from '../support/tone.mjs';
import { dialerFrame, expectSignedIn, hear, password, signIn } from './helpers';

const TONE_HZ = 1000;
const TONE = writeToneWav(path.resolve(path.dirname(fileURLToPath(import.meta.url)), `../.tmp/sandbox/tone-${TONE_HZ}.wav`), TONE_HZ);

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${TONE}`, '--autoplay-policy=no-user-gesture-required'],
  },
});

test('newcomer: the demo lists the sandbox numbers; the echo test returns the caller’s own tone; "Call me" rings and plays the sandbox tone', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${DEMO_ORIGIN}/`);
  const frame = await dialerFrame(page);
  await signIn(frame, 'newcomer', password());
  await expectSignedIn(frame, 'Test Newcomer');

  const sandbox = page.getByRole('region', { name: /Sandbox test numbers/ });
  await expect(sandbox).toBeVisible();
  await sandbox.getByRole('button', { name: /\(echo\)/ }).click();
  await expect(frame.locator('.call-panel .call-status')).toHaveText(/^In call/);
  await expect
    .poll(async () => (await hear(frame, TONE_HZ, 1000)).ratio, { timeout: 20_000, message: 'the echoed tone' })
    .toBeGreaterThan(0.6);
  await frame.getByRole('button', { name: 'Hang up' }).click();
  await expect(page.locator('#event-log')).toContainText('disconnected');

  await sandbox.getByRole('button', { name: 'Call me (inbound test)' }).click();
  await expect(frame.getByRole('button', { name: 'Answer' })).toBeVisible({ timeout: 15_000 });
  await expect(frame.locator('.call-panel')).toContainText('opendialer sandbox');
  await frame.getByRole('button', { name: 'Answer' }).click();
  await expect(frame.locator('.call-panel .call-status')).toHaveText(/^In call/);
  // The tone number's pattern has one second of 1 kHz in every few: wait for a window of it.
  await expect
    .poll(async () => (await hear(frame, TONE_HZ, 800)).ratio, { timeout: 20_000, message: 'the sandbox tone' })
    .toBeGreaterThan(0.6);
  await frame.getByRole('button', { name: 'Hang up' }).click();
  await expect(frame.locator('.call-panel .call-status')).toContainText('Call ended');
});
