import { afterEach, describe, expect, it } from 'vitest';
import { CallNotFoundError, InvalidOptionsError, Net2PhoneDialerError, type CallStateChanged } from '../src/index';
import { createDialer, settle, wireCall } from './harness';

afterEach(() => {
  document.body.innerHTML = '';
});

const ringing = { ...wireCall, state: 'connecting', answer_time: null, seq: 1 };
const answered = { ...wireCall, seq: 2 };
const ended = {
  ...wireCall,
  state: 'disconnected',
  result: 'answered',
  end_time: '2026-11-24T10:01:00.000Z',
  end_reason: 'remote_hangup',
  seq: 3,
};

function record(emitted: unknown[]) {
  const harness = createDialer();
  const received: CallStateChanged[] = [];
  harness.dialer.subscribe((event) => received.push(event));
  for (const call of emitted) harness.emit({ type: 'callStateChanged', call });
  return received.map((e) => [e.call.id, e.call.state, e.call.end_reason]);
}

describe('hangUp, answer and reject', () => {
  it.each(['hangUp', 'answer', 'reject'] as const)('%s() without arguments asks for the current call with {} and resolves to undefined', async (method) => {
    const { dialer, posted, ready, respond } = createDialer();
    ready();
    const done = dialer[method]();
    await settle();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.data).toMatchObject({ kind: 'request', method, params: {} });
    respond(posted[0]!.data.id, null);
    await expect(done).resolves.toBeUndefined();
  });

  it.each(['hangUp', 'answer', 'reject'] as const)('%s({ callId }) sends call_id', async (method) => {
    const { dialer, posted, ready, respond } = createDialer();
    ready();
    const done = dialer[method]({ callId: 'call-7' });
    await settle();
    expect(posted[0]!.data.params).toEqual({ call_id: 'call-7' });
    respond(posted[0]!.data.id, null);
    await expect(done).resolves.toBeUndefined();
  });

  it('rejects with CallNotFoundError when the dialer answers call_not_found', async () => {
    const { dialer, posted, ready, fail } = createDialer();
    ready();
    const done = dialer.hangUp();
    await settle();
    fail(posted[0]!.data.id, 'CallNotFoundError', 'There is no call to hang up.');
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallNotFoundError);
    expect(error).toBeInstanceOf(Net2PhoneDialerError);
    expect((error as Error).message).toBe('There is no call to hang up.');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'call-1'],
    ['an empty callId', { callId: '' }],
    ['a numeric callId', { callId: 7 }],
    ['a 257-character callId', { callId: 'c'.repeat(257) }],
  ])('rejects %s with InvalidOptionsError without posting', async (_, command) => {
    const { dialer, posted, ready } = createDialer();
    ready();
    await expect((dialer.answer as (c: unknown) => Promise<void>)(command)).rejects.toBeInstanceOf(InvalidOptionsError);
    await settle();
    expect(posted).toHaveLength(0);
  });

  it('accepts {} and { callId: undefined } as "the current call"', async () => {
    const { dialer, posted, ready } = createDialer();
    ready();
    void dialer.reject({});
    void dialer.reject({ callId: undefined });
    await settle();
    expect(posted.map((p) => p.data.params)).toEqual([{}, {}]);
  });
});

describe('a subscriber that comes late', () => {
  it('gets the current state of each call in progress once, after subscribe returns, then every change', async () => {
    const harness = createDialer();
    harness.emit({ type: 'callStateChanged', call: ringing });
    harness.emit({ type: 'callStateChanged', call: answered });
    harness.emit({ type: 'callStateChanged', call: { ...ringing, id: 'call-2' } });
    harness.emit({ type: 'callStateChanged', call: { ...ended, id: 'call-2', seq: 2 } });
    const received: CallStateChanged[] = [];
    harness.dialer.subscribe((event) => received.push(event));
    expect(received).toEqual([]);
    await settle();
    expect(received.map((e) => [e.call.id, e.call.state])).toEqual([['call-1', 'answered']]);
    harness.emit({ type: 'callStateChanged', call: answered }); // a replay: not delivered again
    harness.emit({ type: 'callStateChanged', call: ended });
    expect(received.map((e) => [e.call.id, e.call.state])).toEqual([['call-1', 'answered'], ['call-1', 'disconnected']]);
    const later: CallStateChanged[] = [];
    harness.dialer.subscribe((event) => later.push(event));
    await settle();
    expect(later).toEqual([]); // nothing in progress any more
  });

  it('gets nothing when it disposes its subscription at once, or subscribes to other events only', async () => {
    const harness = createDialer();
    harness.emit({ type: 'callStateChanged', call: ringing });
    const received: unknown[] = [];
    harness.dialer.subscribe((event) => received.push(event)).dispose();
    harness.dialer.subscribe((event) => received.push(event), { events: ['authStateChanged'] });
    await settle();
    expect(received).toEqual([]);
  });
});

describe('callStateChanged de-duplication by seq', () => {
  it('delivers each state of a call once, in order', () => {
    expect(record([ringing, answered, ended])).toEqual([
      ['call-1', 'connecting', null],
      ['call-1', 'answered', null],
      ['call-1', 'disconnected', 'remote_hangup'],
    ]);
  });

  it('drops a repeated seq (a replay after reconnect) and an older one arriving late', () => {
    expect(record([ringing, ringing, answered, ringing, answered, ended, ended])).toEqual([
      ['call-1', 'connecting', null],
      ['call-1', 'answered', null],
      ['call-1', 'disconnected', 'remote_hangup'],
    ]);
  });

  it('keeps the sequences of different calls apart', () => {
    const other = { ...ringing, id: 'call-2' };
    expect(record([ringing, other, answered, { ...answered, id: 'call-2' }, { ...other, seq: 1 }])).toEqual([
      ['call-1', 'connecting', null],
      ['call-2', 'connecting', null],
      ['call-1', 'answered', null],
      ['call-2', 'answered', null],
    ]);
  });

  it('lets a later seq through even when one was skipped', () => {
    expect(record([ringing, ended])).toEqual([
      ['call-1', 'connecting', null],
      ['call-1', 'disconnected', 'remote_hangup'],
    ]);
  });

  it('delivers the same event to every subscriber, once each', () => {
    const { dialer, emit } = createDialer();
    const first: number[] = [];
    const second: number[] = [];
    dialer.subscribe(() => first.push(1));
    dialer.subscribe(() => second.push(1));
    emit({ type: 'callStateChanged', call: ringing });
    emit({ type: 'callStateChanged', call: ringing });
    expect([first.length, second.length]).toEqual([1, 1]);
  });

  it('still de-duplicates a call after 60 newer calls (only the oldest ids are forgotten)', () => {
    const calls = Array.from({ length: 60 }, (_, i) => ({ ...ringing, id: `c${i}` }));
    const received = record([...calls, calls[59], calls[20]]);
    expect(received).toHaveLength(60);
  });
});

describe('end_reason', () => {
  it.each([
    'busy',
    'declined',
    'no_answer',
    'canceled',
    'failed',
    'unreachable',
    'local_hangup',
    'remote_hangup',
    'answered_elsewhere',
    'media_timeout',
    'connection_lost',
    'gateway_shutdown',
    'gateway_restart',
    'session_expired',
  ])('passes the documented reason %s through', (reason) => {
    expect(record([{ ...ended, end_reason: reason }])).toEqual([['call-1', 'disconnected', reason]]);
  });

  it('turns a reason this SDK does not know into "failed"', () => {
    expect(record([{ ...ended, end_reason: 'parked_by_a_newer_gateway' }])).toEqual([['call-1', 'disconnected', 'failed']]);
  });
});

describe('transfer', () => {
  it('sends { to, call_id } for a blind transfer and { to_call_id, call_id } for an attended one', async () => {
    const { dialer, posted, ready, respond } = createDialer();
    ready();
    const blind = dialer.transfer({ callId: 'call-1', to: '+15551234567' });
    await settle();
    expect(posted[0]!.data).toMatchObject({ kind: 'request', method: 'transfer', params: { call_id: 'call-1', to: '+15551234567' } });
    respond(posted[0]!.data.id, null);
    await expect(blind).resolves.toBeUndefined();
    const attended = dialer.transfer({ callId: 'call-1', toCallId: 'call-2' });
    await settle();
    expect(posted[1]!.data.params).toEqual({ call_id: 'call-1', to_call_id: 'call-2' });
    respond(posted[1]!.data.id, null);
    await expect(attended).resolves.toBeUndefined();
  });

  it('rejects both to and toCallId, an empty toCallId, and neither, without asking the dialer', async () => {
    const { dialer, posted, ready } = createDialer();
    ready();
    const bad = [
      { to: '1002', toCallId: 'call-2' },
      { toCallId: '' },
      { toCallId: 7 },
      { callId: 'call-1' },
    ] as unknown as Parameters<typeof dialer.transfer>[0][];
    for (const command of bad) {
      await expect(dialer.transfer(command)).rejects.toBeInstanceOf(Net2PhoneDialerError);
    }
    await expect(dialer.transfer({ toCallId: '' } as never)).rejects.toBeInstanceOf(InvalidOptionsError);
    await settle();
    expect(posted).toHaveLength(0);
  });
});
