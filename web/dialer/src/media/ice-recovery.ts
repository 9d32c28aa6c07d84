/** How long ICE may stay `disconnected` before it is restarted (protocol.md part 5). */
export const DISCONNECTED_GRACE_MS = 3000;
/** At most one ICE restart per call this often, so a flapping path causes no storm of re-offers. */
export const MIN_RESTART_GAP_MS = 5000;

export interface IceRecoveryOptions {
  /** The peer connection's `iceConnectionState`. */
  state(): string;
  /** Whether a restart can be sent now (the WebSocket is connected and the media still bound). */
  canRestart(): boolean;
  /** The ICE restart (`updateMedia` with a new offer); settles when it is done, whatever the outcome. */
  restart(): Promise<void>;
}

/**
 * Restarts one call's ICE (RFC 8445 §9) when its media is lost: at once on `failed`, after 3 s of
 * `disconnected` (which often recovers by itself). One restart in flight at a time, at most one per
 * 5 s; when the WebSocket is down the restart after reconnecting covers it. `check()` runs on every
 * state change of the media.
 */
export class IceRecovery {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disconnectedSince: number | null = null;
  private lastRestart = -Infinity;
  private inFlight = false;
  private stopped = false;

  constructor(private readonly opts: IceRecoveryOptions) {}

  check(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ice = this.opts.state();
    if (this.stopped || (ice !== 'failed' && ice !== 'disconnected')) {
      this.disconnectedSince = null;
      return;
    }
    const now = Date.now();
    if (ice === 'disconnected') this.disconnectedSince ??= now;
    else this.disconnectedSince = null;
    if (this.inFlight) return; // checked again when it settles
    const due = Math.max(this.disconnectedSince === null ? now : this.disconnectedSince + DISCONNECTED_GRACE_MS, this.lastRestart + MIN_RESTART_GAP_MS);
    if (due > now) this.timer = setTimeout(() => this.check(), due - now);
    else if (this.opts.canRestart()) this.run();
  }

  /** Restarts now unless one is in flight (after the WebSocket reconnected: the path likely changed). */
  restartNow(): void {
    if (!this.stopped && !this.inFlight) this.run();
  }

  /** The media was closed or moved to another dialer: never restart again. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private run(): void {
    this.inFlight = true;
    this.lastRestart = Date.now();
    void this.opts.restart().finally(() => {
      this.inFlight = false;
      this.check();
    });
  }
}
