// Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi (Playwright cannot drive a stock
// Firefox). Each pref below was found necessary by removing it (see /work/shared/TESTING.md):
// a fake microphone that plays a 1 kHz tone, no permission prompt, ICE on loopback, and a mock audio
// backend (no sound device here: without it the content process crashes at AudioContext.resume()).
import puppeteer from 'puppeteer-core';
import { listenForTone } from '../support/hear.mjs';

export const FIREFOX = process.env.FIREFOX_BIN || '/usr/bin/firefox-esr';
/** The tone Firefox's fake microphone plays. */
export const FAKE_MIC_HZ = 1000;

const PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.navigator.permission.fake': true,
  'media.peerconnection.ice.loopback': true,
  'media.cubeb.force_mock_context': true,
  // Remote audio plays without a click, as Chromium's --autoplay-policy=no-user-gesture-required.
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // Output devices are listed and choosable (setSinkId) without a prompt.
  'media.setsinkid.enabled': true,
  // Offline and quiet.
  'network.dns.disableIPv6': true,
  'browser.shell.checkDefaultBrowser': false,
  'app.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

/** Launches a headless Firefox ESR with its own fresh profile. */
export function launchFirefox(extraPrefs = {}) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: { ...PREFS, ...extraPrefs },
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until `check(value)` holds; throws `message` with the last value after `timeout` ms. */
export async function poll(fn, check, { timeout = 15_000, interval = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      lastError = undefined;
      if (check(last)) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`${message}: not reached within ${timeout} ms; last value ${JSON.stringify(last)}${lastError ? `, last error ${lastError}` : ''}`);
    }
    await sleep(interval);
  }
}

/** The cross-site dialer iframe of `page` (its URL starts with `${gatewayUrl}/dialer/`). */
export function dialerFrame(page, gatewayUrl) {
  return poll(
    () => page.frames().find((f) => f.url().startsWith(`${gatewayUrl}/dialer/`)),
    Boolean,
    { message: 'the dialer iframe' },
  );
}

/** Text content of the first element matching `selector` in `frame`, or null. */
export function textOf(frame, selector) {
  return frame.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
}

/** Clicks the button whose visible text is exactly `label` inside `frame` (optionally within `scope`). */
export async function clickButton(frame, label, scope = 'body') {
  await poll(
    () =>
      frame.evaluate(
        (l, s) => {
          const b = [...document.querySelectorAll(`${s} button`)].find((x) => x.textContent.trim() === l && !x.disabled);
          if (!b) return false;
          b.click();
          return true;
        },
        label,
        scope,
      ),
    Boolean,
    { message: `button "${label}"` },
  );
}

/**
 * The share of energy at `freq` (Goertzel; ≈1 for a pure tone) and the RMS level of the dialer's
 * remote <audio> element, per 100 ms window over `ms`, as medians (e2e/support/hear.mjs, shared with
 * the Chromium suite).
 */
export function hear(frame, freq, ms = 1000) {
  return frame.evaluate(listenForTone, [freq, ms]);
}
