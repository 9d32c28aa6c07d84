import type { CallQualityEvent, LegQuality } from '@opendialer/protocol';
import { mos } from './e-model';
import { QualityWarnings } from './quality-warnings';

/** The stats of the answered call whose audio is in this dialer (CallAudio), or null. */
export interface StatsSource {
  activeStats(): Promise<{ callId: string; report: RTCStatsReport } | null>;
}

export interface QualityMonitorOptions {
  source: StatsSource;
  emit(event: CallQualityEvent): void;
  /** The signal indicator: the latest figures of the call, or null when there is none. */
  show(quality: CallQualityEvent | null): void;
  intervalMs?: number;
  /** The clock (tests); Date.now by default. */
  now?: () => number;
}

/** How often a `callQuality` event is sent while a call is answered (docs/call-quality.md). */
export const QUALITY_INTERVAL_MS = 5000;

/** A SIP leg figure older than this is not used: the gateway stopped sending (hold, an older gateway). */
export const SIP_LEG_FRESH_MS = 15_000;

interface Counters {
  lost: number;
  received: number;
}

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/**
 * Every 5 s: the browser leg's figures from `RTCPeerConnection.getStats()` (what the browser
 * receives: `inbound-rtp`; what the gateway reported receiving and the round trip:
 * `remote-inbound-rtp`, else the ICE pair's STUN round trip), the SIP leg's from the gateway's
 * RTCP (`sipLeg`), their MOS (e-model.ts), the worse of the two, and warnings with hysteresis.
 */
export class CallQualityMonitor {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly previous = new Map<string, Counters>();
  private readonly warnings = new Map<string, QualityWarnings>();
  private readonly sip = new Map<string, { leg: LegQuality; at: number }>();
  private current: string | null = null;

  constructor(private readonly opts: QualityMonitorOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.sample(), this.opts.intervalMs ?? QUALITY_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The gateway's figures for the SIP leg of `callId` (its `sipQuality` event, from its RTCP). */
  setSipLeg(callId: string, leg: LegQuality): void {
    const { mos, jitter_ms, packet_loss_pct, rtt_ms } = leg;
    this.sip.set(callId, { leg: { mos, jitter_ms, packet_loss_pct, rtt_ms }, at: this.now() });
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private sipLeg(callId: string): LegQuality | null {
    const entry = this.sip.get(callId);
    return entry && this.now() - entry.at <= SIP_LEG_FRESH_MS ? entry.leg : null;
  }

  /** Takes one sample now; returns the event sent, if any. */
  async sample(): Promise<CallQualityEvent | null> {
    const active = await this.opts.source.activeStats().catch(() => null);
    if (!active) {
      if (this.current !== null) this.forget(this.current);
      return null;
    }
    if (this.current !== null && this.current !== active.callId) this.forget(this.current);
    this.current = active.callId;
    const browser = this.browserLeg(active.callId, active.report);
    const sip = this.sipLeg(active.callId);
    const worst = worse(browser, sip);
    let warnings = this.warnings.get(active.callId);
    if (!warnings) this.warnings.set(active.callId, (warnings = new QualityWarnings()));
    const event: CallQualityEvent = { type: 'callQuality', call_id: active.callId, ...worst, warnings: warnings.update(worst), legs: { browser, sip } };
    this.opts.emit(event);
    this.opts.show(event);
    return event;
  }

  private forget(callId: string): void {
    this.previous.delete(callId);
    this.warnings.delete(callId);
    this.sip.delete(callId);
    this.current = null;
    this.opts.show(null);
  }

  private browserLeg(callId: string, report: RTCStatsReport): LegQuality {
    let lost = 0;
    let received = 0;
    let jitter: number | null = null;
    let remoteLoss: number | null = null;
    let rtt: number | null = null;
    let pairRtt: number | null = null;
    report.forEach((s: Record<string, unknown>) => {
      const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : null);
      if (s.type === 'inbound-rtp' && (s.kind ?? s.mediaType) === 'audio') {
        lost += num('packetsLost') ?? 0;
        received += num('packetsReceived') ?? 0;
        const j = num('jitter');
        if (j !== null) jitter = Math.max(jitter ?? 0, j * 1000);
      } else if (s.type === 'remote-inbound-rtp' && (s.kind ?? s.mediaType) === 'audio') {
        const f = num('fractionLost');
        if (f !== null) remoteLoss = Math.max(remoteLoss ?? 0, f * 100);
        const r = num('roundTripTime');
        if (r !== null) rtt = r * 1000;
        const j = num('jitter');
        if (j !== null) jitter = Math.max(jitter ?? 0, j * 1000);
      } else if (s.type === 'candidate-pair' && (s.nominated === true || s.selected === true)) {
        const r = num('currentRoundTripTime');
        if (r !== null) pairRtt = r * 1000;
      }
    });
    const before = this.previous.get(callId) ?? { lost: 0, received: 0 };
    this.previous.set(callId, { lost, received });
    const dLost = Math.max(0, lost - before.lost);
    const dReceived = Math.max(0, received - before.received);
    const localLoss = dLost + dReceived > 0 ? (100 * dLost) / (dLost + dReceived) : null;
    const loss = localLoss === null && remoteLoss === null ? null : Math.max(localLoss ?? 0, remoteLoss ?? 0);
    const roundTrip = rtt ?? pairRtt;
    const leg = { jitter_ms: round1(jitter), packet_loss_pct: round1(loss), rtt_ms: round1(roundTrip) };
    const score = loss === null ? null : mos({ lossPct: loss, jitterMs: jitter ?? 0, rttMs: roundTrip });
    return { mos: score, ...leg };
  }
}

/** The worse of two legs, figure by figure: the lower MOS, the higher loss, jitter and round trip. */
export function worse(a: LegQuality, b: LegQuality | null): LegQuality {
  if (!b) return { ...a };
  const pick = (x: number | null, y: number | null, f: (p: number, q: number) => number) => (x === null ? y : y === null ? x : f(x, y));
  return {
    mos: pick(a.mos, b.mos, Math.min),
    jitter_ms: pick(a.jitter_ms, b.jitter_ms, Math.max),
    packet_loss_pct: pick(a.packet_loss_pct, b.packet_loss_pct, Math.max),
    rtt_ms: pick(a.rtt_ms, b.rtt_ms, Math.max),
  };
}
