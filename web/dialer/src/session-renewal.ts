/** Longest single wait: setTimeout overflows past 2^31 - 1 ms, and a sleeping laptop drifts anyway. */
const MAX_WAIT_MS = 60 * 60 * 1000;
const MIN_WAIT_MS = 5_000;

/**
 * When to renew a session that expires at `expiresAtMs`: a minute (or a tenth of the time left,
 * whichever is longer) before it expires, never sooner than a few seconds from now.
 */
export function renewalDueAt(expiresAtMs: number, nowMs: number): number {
  const left = expiresAtMs - nowMs;
  return Math.max(nowMs + MIN_WAIT_MS, expiresAtMs - Math.max(60_000, left / 10));
}

/**
 * Renews the session before it expires while the dialer is open: sliding renewal on the gateway
 * only moves on activity, and an idle agent's dialer must not sign itself out.
 */
export class SessionRenewal {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly renew: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  schedule(expiresAt: string): void {
    this.cancel();
    const expiresAtMs = Date.parse(expiresAt);
    if (Number.isNaN(expiresAtMs)) return;
    this.wait(renewalDueAt(expiresAtMs, this.now()));
  }

  /** After a renewal that failed for another reason than authentication (e.g. the gateway was unreachable). */
  retrySoon(): void {
    this.cancel();
    this.wait(this.now() + 30_000);
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private wait(dueAtMs: number): void {
    const delay = dueAtMs - this.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.now() >= dueAtMs) this.renew();
      else this.wait(dueAtMs);
    }, Math.min(Math.max(delay, 0), MAX_WAIT_MS));
  }
}
