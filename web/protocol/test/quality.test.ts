import { describe, expect, it } from 'vitest';
import { isWsSipQualityEvent } from '../src/index';

describe('isWsSipQualityEvent', () => {
  const good = { type: 'sipQuality', call_id: 'c-1', mos: 3.4, jitter_ms: 12.5, packet_loss_pct: 10.2, rtt_ms: null };

  it('accepts the gateway figures, unknown ones as null', () => {
    expect(isWsSipQualityEvent(good)).toBe(true);
    expect(isWsSipQualityEvent({ ...good, mos: null, jitter_ms: null, packet_loss_pct: null })).toBe(true);
  });

  it('rejects a missing figure, a non-finite one, a string or an empty call id', () => {
    const { rtt_ms: _omitted, ...missing } = good;
    expect(isWsSipQualityEvent(missing)).toBe(false);
    expect(isWsSipQualityEvent({ ...good, packet_loss_pct: Number.NaN })).toBe(false);
    expect(isWsSipQualityEvent({ ...good, jitter_ms: '12' })).toBe(false);
    expect(isWsSipQualityEvent({ ...good, call_id: '' })).toBe(false);
    expect(isWsSipQualityEvent({ ...good, type: 'callQuality' })).toBe(false);
  });
});
