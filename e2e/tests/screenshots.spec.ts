// Screenshots of every state of the dialer (issue 6), at two sizes, light and dark, taken from the
// real dialer against the shared e2e gateway, whose trunk is the built-in sandbox carrier
// (docs/sandbox.md). Each state is also checked, so a picture of a broken state fails the test.
// Written to docs/screenshots/<state>-<size>-<scheme>.png; the README shows some of them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext, type Frame, type Page } from '@playwright/test';
import { GATEWAY_URL, TEST_USERS } from '../support/constants.mjs';
import { dialerFrame, expectSignedIn, expectSignInForm, openDialer, password, signIn } from './helpers';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const SIZES = [
  { name: '280x420', width: 280, height: 420 },
  { name: '400x640', width: 400, height: 640 },
];
const SCHEMES = ['light', 'dark'] as const;
const USER = 'screens';
const EXTENSION = String(201 + TEST_USERS.indexOf(USER)); // as global setup creates it
const ECHO = '+1 650 555 0100';
const NO_ANSWER = '+16505550104';

test.describe.configure({ mode: 'serial' });

/** Takes the dialer's root element at every size and scheme; checks nothing scrolls sideways. */
async function shoot(page: Page, frame: Frame, state: string) {
  for (const size of SIZES) {
    await page.evaluate(({ width, height }) => {
      const root = document.getElementById('net2phone-dialer') as HTMLElement;
      root.style.width = `${width}px`;
      root.style.height = `${height}px`;
    }, size);
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const { scrollWidth, clientWidth, dark } = await frame.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        dark: matchMedia('(prefers-color-scheme: dark)').matches,
      }));
      expect(scrollWidth, `${state} ${size.name}: no horizontal scroll`).toBeLessThanOrEqual(clientWidth);
      expect(dark).toBe(colorScheme === 'dark');
      await page.locator('#net2phone-dialer').screenshot({
        path: path.join(OUT, `${state}-${size.name}-${colorScheme}.png`),
        animations: 'disabled',
        caret: 'hide',
      });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openHarness(page: Page): Promise<Frame> {
  await page.setViewportSize({ width: 640, height: 800 });
  await openDialer(page);
  return dialerFrame(page);
}

/** Asks the sandbox to call the user; it allows one such call every 10 s, so retry until it does. */
async function callMe(request: APIRequestContext) {
  await expect
    .poll(async () => (await request.post(`${GATEWAY_URL}/api/sandbox/call-me`, { data: { to: EXTENSION } })).status(), {
      timeout: 30_000,
      intervals: [1000],
    })
    .toBe(202);
}

const status = (frame: Frame) => frame.locator('.call-panel .call-status');

test('every state of the dialer, at 280×420 and 400×640, light and dark', async ({ page, request }) => {
  test.setTimeout(120_000);
  const frame = await openHarness(page);

  await expectSignInForm(frame);
  await shoot(page, frame, 'signed-out');

  await signIn(frame, USER, password());
  await expectSignedIn(frame, 'Test Screens');

  // Calling: the sandbox's no-answer number rings for as long as we like.
  const number = frame.getByLabel('Phone number');
  await number.fill(NO_ANSWER);
  await frame.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(status(frame)).toHaveText('Calling…');
  await expect(frame.locator('.call-panel .call-number')).toHaveText('+1 650 555 0104');
  await expect(frame.getByRole('button', { name: 'Hang up' })).toBeFocused();
  await shoot(page, frame, 'calling');

  await frame.getByRole('button', { name: 'Hang up' }).click();
  await expect(status(frame)).toHaveText('Call ended — cancelled');
  await shoot(page, frame, 'call-ended');

  // In call: the echo test, typed digit by digit (formatted as typed), keypad open.
  await number.fill('');
  await number.pressSequentially(ECHO.replace(/ /g, ''));
  await expect(number).toHaveValue(ECHO);
  await number.press('Enter');
  await expect(status(frame)).toHaveText(/^In call/, { timeout: 15_000 });
  await frame.getByRole('button', { name: 'Keypad' }).click();
  const keypad = frame.getByRole('group', { name: 'Keypad tones' });
  await expect(keypad).toBeVisible();
  await keypad.getByRole('button', { name: 'Send tone 1' }).focus();
  await page.keyboard.type('42');
  await expect(keypad.locator('.dtmf-sent')).toHaveText('42');
  await shoot(page, frame, 'in-call');

  // The same call in another tab of this browser: read-only, with "Take the call here" (protocol.md part 5).
  const other = await page.context().newPage();
  const otherFrame = await openHarness(other);
  await expect(otherFrame.locator('.call-panel .media-elsewhere')).toHaveText('On a call in another tab', { timeout: 15_000 });
  await expect(otherFrame.getByRole('button', { name: 'Take the call here' })).toBeVisible();
  await expect(otherFrame.getByRole('button', { name: 'Mute' })).toBeHidden();
  // Shown before number formatting loaded in that tab, the number is formatted once it has.
  await expect(otherFrame.locator('.call-panel .call-number')).toHaveText(ECHO);
  await shoot(other, otherFrame, 'in-call-other-tab');
  await other.close();
  await frame.getByRole('button', { name: 'Hang up' }).click();
  await expect(status(frame)).toHaveText('Call ended — you hung up');

  // Incoming: the sandbox calls this user ("Call me", docs/sandbox.md).
  await callMe(request);
  const panel = frame.locator('.call-panel');
  await expect(panel.getByRole('heading', { name: 'Incoming call' })).toBeVisible({ timeout: 15_000 });
  await expect(panel).toContainText('opendialer sandbox');
  await expect(frame.getByRole('button', { name: 'Answer' })).toBeVisible();
  await shoot(page, frame, 'incoming');
  await frame.getByRole('button', { name: 'Decline' }).click();
  await expect(status(frame)).toHaveText('Call ended — declined');

  // Idle with recent calls: newest first, outcomes in words; a number typed in the field.
  await expect(panel).toBeHidden({ timeout: 15_000 });
  const recent = frame.getByRole('region', { name: 'Recent calls' });
  await expect(recent.locator('.recent-call')).toHaveCount(3);
  await expect(recent.locator('.recent-call').nth(0)).toContainText('opendialer sandbox');
  await expect(recent.locator('.recent-call').nth(1)).toContainText('Answered');
  await expect(recent.locator('.recent-call').nth(2)).toContainText('Cancelled');
  await expect(recent.getByRole('button', { name: 'Call back +1 650 555 0104' })).toBeVisible();
  await shoot(page, frame, 'recent-calls');
});

test('microphone blocked: the call is not placed and the dialer says how to allow it', async ({ browser }) => {
  const context = await browser.newContext({ permissions: [] });
  try {
    const page = await context.newPage();
    const frame = await openHarness(page);
    await signIn(frame, USER, password());
    await expectSignedIn(frame, 'Test Screens');
    await frame.getByLabel('Phone number').fill(ECHO);
    await frame.getByRole('button', { name: 'Call', exact: true }).click();
    const notice = frame.locator('.mic-notice:not(.network-notice)');
    await expect(notice.getByRole('heading', { name: 'Microphone needed' })).toBeVisible();
    await expect(notice).toContainText('set Microphone to Allow');
    await expect(frame.locator('.call-panel')).toBeHidden();
    await shoot(page, frame, 'microphone-blocked');
  } finally {
    await context.close();
  }
});

test('an incoming call while the browser blocks audio shows "click to hear the ringtone"; the click starts it', async ({ browser, request }) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ permissions: ['microphone'] });
  // Headless Chromium lets every AudioContext run, whatever --autoplay-policy says (and Playwright's
  // own evaluate() counts as a user gesture). This stands in for a browser that enforces the
  // policy: a new context starts suspended and resume() only works after a real click in the frame.
  await context.addInitScript(() => {
    const Real = window.AudioContext;
    if (!Real) return;
    let clicked = false;
    addEventListener('click', (e) => (clicked ||= e.isTrusted), true);
    window.AudioContext = class extends Real {
      constructor(options?: AudioContextOptions) {
        super(options);
        void super.suspend();
      }
      resume(): Promise<void> {
        return clicked ? super.resume() : new Promise<void>(() => undefined);
      }
    };
  });
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 640, height: 800 });
    // No click in the dialer: it signs in with a token from the host page.
    await openDialer(page, { tokenUser: USER });
    const frame = await dialerFrame(page);
    await expectSignedIn(frame, 'Test Screens');
    await callMe(request);
    const alert = frame.getByRole('button', { name: 'Incoming call — click to hear the ringtone' });
    await expect(alert).toBeVisible({ timeout: 15_000 });
    await expect(frame.getByRole('button', { name: 'Answer' })).toBeVisible();
    await shoot(page, frame, 'incoming-ringtone-blocked');
    await alert.click();
    await expect(alert).toBeHidden();
    await frame.getByRole('button', { name: 'Decline' }).click();
    await expect(status(frame)).toHaveText('Call ended — declined');
  } finally {
    await context.close();
  }
});
