import { expect, type Browser, type BrowserContext, type Frame, type Page } from '@playwright/test';
import { GATEWAY_URL, HOST_ORIGIN } from '../support/constants.mjs';
import { listenForTone } from '../support/hear.mjs';

export interface Outcome {
  ok: boolean;
  result?: unknown;
  name?: string;
  message?: string;
  isError?: boolean;
  classes?: string[];
}

// Globals of fixtures/harness.js, as seen from page.evaluate().
declare global {
  interface Window {
    harness: {
      messages: Array<{ origin: string; data: any }>;
      create(options?: Record<string, unknown>): boolean;
      outcome(fn: () => unknown): Promise<Outcome>;
      record(events?: string[]): { list: any[]; sub: { dispose(): void } };
      addFrame(src: string): void;
    };
    dialer: any;
  }
}

export const password = () => {
  if (process.env.E2E_USERS_ERROR) throw new Error(`global setup could not create the test users: ${process.env.E2E_USERS_ERROR}`);
  const p = process.env.E2E_PASSWORD;
  if (!p) throw new Error('E2E_PASSWORD is not set: run the suite through playwright.config.mjs (global setup).');
  return p;
};

export const gateway = () => ({ url: GATEWAY_URL, adminKey: process.env.E2E_ADMIN_KEY as string });

/** Opens the harness page and constructs the dialer with `options`. */
export async function openDialer(page: Page, options: Record<string, unknown> = {}, origin = HOST_ORIGIN) {
  if (options.tokenUser) password(); // fails early when the test users are missing
  await page.goto(`${origin}/harness.html`);
  await page.evaluate((o) => window.harness.create(o), options);
}

/** The dialer iframe (of the gateway at `gatewayUrl`), once it has been created. */
export async function dialerFrame(page: Page, gatewayUrl = GATEWAY_URL): Promise<Frame> {
  let frame: Frame | undefined;
  await expect
    .poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${gatewayUrl}/dialer/`))), { timeout: 10_000 })
    .toBeTruthy();
  return frame as Frame;
}

/**
 * A dialer of `user` signed in on a harness page of its own browser context (a separate browser profile), against
 * the gateway at `gatewayUrl`; `cleanup` is handed the context's close. The page records every call event in
 * `window.calls`. The microphone is granted unless `microphone` is false.
 */
export async function signedInDialer(
  browser: Browser,
  user: string,
  o: { gatewayUrl: string; password: string; displayName: string; cleanup: (fn: () => Promise<unknown>) => unknown; microphone?: boolean },
): Promise<{ context: BrowserContext; page: Page; frame: Frame }> {
  const context = await browser.newContext({ permissions: o.microphone === false ? [] : ['microphone'] });
  o.cleanup(() => context.close());
  const page = await context.newPage();
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
  }, o.gatewayUrl);
  const frame = await dialerFrame(page, o.gatewayUrl);
  await signIn(frame, user, o.password);
  await expectSignedIn(frame, o.displayName);
  return { context, page, frame };
}

export function call(page: Page, to: unknown) {
  return page.evaluate((t) => window.harness.outcome(() => window.dialer.placeCall({ to: t })), to);
}

export function authState(page: Page) {
  return page.evaluate(() => window.harness.outcome(() => window.dialer.getAuthState()));
}

export async function signIn(frame: Frame, username: string, pass: string) {
  await frame.getByLabel('Username').fill(username);
  await frame.getByLabel('Password').fill(pass);
  await frame.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits for the signed-in view of `displayName` with a live connection. */
export async function expectSignedIn(frame: Frame, displayName: string) {
  await expect(frame.getByRole('heading', { name: displayName })).toBeVisible();
  await expect(frame.getByRole('status')).toHaveText('Connected');
}

export async function expectSignInForm(frame: Frame) {
  await expect(frame.getByLabel('Username')).toBeVisible();
  await expect(frame.getByLabel('Password')).toBeVisible();
  await expect(frame.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

/**
 * Listens to the dialer's remote <audio> element for `ms` and returns, per 100 ms window, the share
 * of energy at `freq` (Goertzel; ≈1 for a pure tone) and the RMS level; reports the median of each.
 * The detector is e2e/support/hear.mjs, shared with the Firefox suite.
 */
export async function hear(frame: Frame, freq: number, ms = 1500): Promise<{ ratio: number; rms: number }> {
  return frame.evaluate(listenForTone, [freq, ms] as [number, number]);
}

/** One callStateChanged as the host's subscriber saw it (window.calls in the harness page). */
export interface SeenCallEvent {
  id: string;
  state: string;
  direction: string;
  result: string | null;
  end_reason: string | null;
  from: string | null;
  to: string | null;
  name: string | null;
  /** Which times were Date objects: "S" start, "A" answer, "E" end; "-" for null, "!" for anything else. */
  dates: string;
}

/** What the host's subscriber saw, one entry per callStateChanged, in order. */
export async function seenCallEvents(page: Page): Promise<SeenCallEvent[]> {
  return page.evaluate(() =>
    (window as any).calls.list.map((e: any) => {
      const c = e.call;
      const kind = (v: unknown, letter: string) => (v === null ? '-' : v instanceof Date && !isNaN(v.getTime()) ? letter : '!');
      return {
        id: c.id,
        state: c.state,
        direction: c.direction,
        result: c.result,
        end_reason: c.end_reason,
        from: c.from,
        to: c.to,
        name: c.caller.caller_display_name,
        dates: kind(c.start_time, 'S') + kind(c.answer_time, 'A') + kind(c.end_time, 'E'),
      };
    }),
  );
}
