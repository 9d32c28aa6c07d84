import { afterEach, describe, expect, it } from 'vitest';
import { createDialer, settle } from './harness';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('callQuality (opt-in)', () => {
  const wire = {
    type: 'callQuality',
    call_id: 'call-1',
    mos: 3.4,
    jitter_ms: 12,
    packet_loss_pct: 9.8,
    rtt_ms: 20,
    warnings: ['high_packet_loss', 'low_mos'],
    legs: { browser: { mos: 3.4, jitter_ms: 12, packet_loss_pct: 9.8, rtt_ms: 20 }, sip: null },
  };

  it('reaches only subscribers that listed it, with callId', async () => {
    const { dialer, ready, emit } = createDialer();
    ready();
    const seed: unknown[] = [];
    const opted: unknown[] = [];
    dialer.subscribe((e) => seed.push(e));
    dialer.subscribe((e) => opted.push(e), { events: ['callQuality'] });
    emit(wire);
    await settle();
    expect(seed).toEqual([]);
    expect(opted).toEqual([
      {
        type: 'callQuality',
        callId: 'call-1',
        mos: 3.4,
        jitter_ms: 12,
        packet_loss_pct: 9.8,
        rtt_ms: 20,
        warnings: ['high_packet_loss', 'low_mos'],
        legs: { browser: { mos: 3.4, jitter_ms: 12, packet_loss_pct: 9.8, rtt_ms: 20 }, sip: null },
      },
    ]);
  });

  it('drops a malformed callQuality event', async () => {
    const { dialer, ready, emit } = createDialer();
    ready();
    const opted: unknown[] = [];
    dialer.subscribe((e) => opted.push(e), { events: ['callQuality'] });
    emit({ ...wire, warnings: ['sunspots'] });
    emit({ ...wire, mos: '3.4' });
    await settle();
    expect(opted).toEqual([]);
  });
});
