import type { WireCall } from '@opendialer/protocol';

/** A call as the gateway sends it; an outbound call from extension 201 that rings. */
export function wireCall(overrides: Partial<WireCall> = {}): WireCall {
  return {
    id: 'call-1',
    state: 'connecting',
    direction: 'outbound',
    result: null,
    from: '201',
    to: '+12025550143',
    caller: { caller_display_name: 'Ada Whitfield' },
    start_time: '2026-11-24T10:00:00.000Z',
    answer_time: null,
    end_time: null,
    end_reason: null,
    seq: 1,
    ...overrides,
  };
}
