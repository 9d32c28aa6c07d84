import { expect, type Frame, type Page } from '@playwright/test';
import { GATEWAY_URL, HOST_ORIGIN } from '../support/constants.mjs';

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

/** The dialer iframe, once it has been created. */
export async function dialerFrame(page: Page): Promise<Frame> {
  let frame: Frame | undefined;
  await expect
    .poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${GATEWAY_URL}/dialer/`))), { timeout: 10_000 })
    .toBeTruthy();
  return frame as Frame;
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
 */
export async function hear(frame: Frame, freq: number, ms = 1500): Promise<{ ratio: number; rms: number }> {
  return frame.evaluate(
    async ([f, duration]) => {
      const el = document.querySelector('audio[data-role="remote-audio"]') as HTMLAudioElement | null;
      // Not playing yet (the answer is still being applied): nothing heard, so a poll tries again.
      if (!el || !(el.srcObject instanceof MediaStream)) return { ratio: 0, rms: 0 };
      const ctx = new AudioContext();
      await ctx.resume();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 4096;
      ctx.createMediaStreamSource(el.srcObject).connect(analyser);
      const buf = new Float32Array(analyser.fftSize);
      const ratios: number[] = [];
      const levels: number[] = [];
      const end = performance.now() + duration;
      while (performance.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        analyser.getFloatTimeDomainData(buf);
        const k = 2 * Math.cos((2 * Math.PI * f) / ctx.sampleRate);
        let s1 = 0;
        let s2 = 0;
        let total = 0;
        for (const x of buf) {
          const s0 = x + k * s1 - s2;
          s2 = s1;
          s1 = s0;
          total += x * x;
        }
        const power = s1 * s1 + s2 * s2 - k * s1 * s2;
        ratios.push(total > 1e-9 ? (2 * power) / buf.length / total : 0);
        levels.push(Math.sqrt(total / buf.length));
      }
      await ctx.close();
      const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
      return { ratio: median(ratios), rms: median(levels) };
    },
    [freq, ms] as const,
  );
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
