import { describe, expect, it } from 'vitest';
import { mos, mosFromR, rFactor } from '../src/quality/e-model';
import { QualityWarnings } from '../src/quality/quality-warnings';
import { CallQualityMonitor, worse } from '../src/quality/call-quality-monitor';
import type { CallQualityEvent } from '@opendialer/protocol';

const leg = (mos: number | null, packet_loss_pct: number | null, jitter_ms: number | null = 5, rtt_ms: number | null = 20) => ({ mos, packet_loss_pct, jitter_ms, rtt_ms });

describe('E-model (G.107) simplified for G.711', () => {
  it('gives R = 93.2 less the delay impairment on a clean path: MOS ≈ 4.4', () => {
    expect(rFactor({ lossPct: 0, jitterMs: 0, rttMs: 0 })).toBeCloseTo(93.2 - 0.024 * 20, 5);
    expect(mos({ lossPct: 0, jitterMs: 0, rttMs: 0 })).toBe(4.4);
  });
  it('drops below 3.5 at 10 % loss (Bpl 25.1) and below 3.6 at 8 %', () => {
    expect(mos({ lossPct: 10, jitterMs: 5, rttMs: 20 })).toBeLessThan(3.5);
    expect(mos({ lossPct: 2, jitterMs: 5, rttMs: 20 })).toBeGreaterThan(3.9);
  });
  it('adds the extra delay term beyond 177.3 ms one way', () => {
    const at = (rtt: number) => rFactor({ lossPct: 0, jitterMs: 0, rttMs: rtt });
    expect(at(100) - at(200)).toBeCloseTo(0.024 * 50, 5);
    expect(at(600) - at(700)).toBeCloseTo(0.024 * 50 + 0.11 * 50, 5);
  });
  it('clamps MOS to 1 … 4.5', () => {
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(120)).toBe(4.5);
    expect(mos({ lossPct: 100, jitterMs: 500, rttMs: 2000 })).toBe(1);
  });
});

describe('warnings with hysteresis', () => {
  it('raises high_packet_loss above 3 %, keeps it at 2.5 %, clears it below 2 %', () => {
    const w = new QualityWarnings();
    expect(w.update(leg(4.3, 2.9))).toEqual([]);
    expect(w.update(leg(4.0, 3.5))).toEqual(['high_packet_loss']);
    expect(w.update(leg(4.1, 2.5))).toEqual(['high_packet_loss']);
    expect(w.update(leg(4.2, 1.5))).toEqual([]);
  });
  it('raises jitter over 30 ms, rtt over 400 ms and low_mos under 3.5; unknown figures change nothing', () => {
    const w = new QualityWarnings();
    expect(w.update(leg(3.4, 0, 31, 401))).toEqual(['high_jitter', 'high_rtt', 'low_mos']);
    expect(w.update(leg(3.6, null, 25, 350))).toEqual(['high_jitter', 'high_rtt', 'low_mos']);
    expect(w.update(leg(3.8, null, 19, 299))).toEqual([]);
  });
});

/** A getStats report as a Map of stats objects. */
const report = (lost: number, received: number, extra: Array<Record<string, unknown>> = []) =>
  new Map(
    [{ id: 'in', type: 'inbound-rtp', kind: 'audio', packetsLost: lost, packetsReceived: received, jitter: 0.004 }, ...extra].map((s) => [s.id as string, s]),
  ) as unknown as RTCStatsReport;

describe('CallQualityMonitor', () => {
  it('puts the gateway’s SIP leg figures in legs.sip while fresh, and forgets them after 15 s without news', async () => {
    let clock = 1_000_000;
    let received = 0;
    const events: CallQualityEvent[] = [];
    const monitor = new CallQualityMonitor({
      source: { activeStats: async () => ({ callId: 'c1', report: report(0, (received += 250)) }) },
      emit: (e) => events.push(e),
      show: () => undefined,
      now: () => clock,
    });
    monitor.setSipLeg('c2', leg(2.0, 40)); // another call's figures never show here
    await monitor.sample();
    expect(events[0]!.legs.sip).toBeNull();
    // The WebSocket event itself is passed in: only the four figures are kept.
    monitor.setSipLeg('c1', { type: 'sipQuality', call_id: 'c1', ...leg(3.4, 10.2, 8, null) } as never);
    clock += 5000;
    await monitor.sample();
    expect(events[1]!.legs.sip).toEqual(leg(3.4, 10.2, 8, null));
    expect(events[1]).toMatchObject({ packet_loss_pct: 10.2, mos: 3.4, warnings: ['high_packet_loss', 'low_mos'] });
    clock += 15_001;
    await monitor.sample();
    expect(events[2]!.legs.sip).toBeNull();
    expect(events[2]!.packet_loss_pct).toBe(0);
  });

  it('reports the browser leg’s loss over each interval, the round trip, and the worse of both legs', async () => {
    let r = report(0, 250, [{ id: 'p', type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.012 }]);
    const events: CallQualityEvent[] = [];
    const shown: Array<CallQualityEvent | null> = [];
    let active = true;
    const monitor = new CallQualityMonitor({
      source: { activeStats: async () => (active ? { callId: 'c1', report: r } : null) },
      emit: (e) => events.push(e),
      show: (q) => shown.push(q),
    });
    await monitor.sample();
    expect(events[0]).toMatchObject({ type: 'callQuality', call_id: 'c1', packet_loss_pct: 0, jitter_ms: 4, rtt_ms: 12, warnings: [], legs: { sip: null } });
    expect(events[0]!.mos).toBeGreaterThan(4.3);
    // 25 of the next 250 packets lost: 10 %.
    r = report(25, 475, [{ id: 'p', type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.012 }]);
    monitor.setSipLeg('c1', leg(4.2, 0.5, 45, 30));
    await monitor.sample();
    expect(events[1]!.legs.browser.packet_loss_pct).toBe(10);
    expect(events[1]).toMatchObject({ packet_loss_pct: 10, jitter_ms: 45, rtt_ms: 30 });
    expect(events[1]!.mos).toBe(events[1]!.legs.browser.mos);
    expect(events[1]!.warnings).toEqual(['high_packet_loss', 'high_jitter', 'low_mos']);
    active = false;
    expect(await monitor.sample()).toBeNull();
    expect(shown[shown.length - 1]).toBeNull();
  });
  it('takes the loss the gateway reported (remote-inbound-rtp fractionLost) when it is worse', async () => {
    const r = report(0, 250, [{ id: 'ri', type: 'remote-inbound-rtp', kind: 'audio', fractionLost: 0.0625, roundTripTime: 0.05 }]);
    const events: CallQualityEvent[] = [];
    const monitor = new CallQualityMonitor({ source: { activeStats: async () => ({ callId: 'c2', report: r }) }, emit: (e) => events.push(e), show: () => undefined });
    await monitor.sample();
    expect(events[0]).toMatchObject({ packet_loss_pct: 6.3, rtt_ms: 50, warnings: ['high_packet_loss'] });
  });
  it('worse() keeps a leg’s figure when the other has none', () => {
    expect(worse(leg(4, null, null, 10), leg(null, 1, 2, null))).toEqual(leg(4, 1, 2, 10));
  });
});
