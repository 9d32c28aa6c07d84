import { describe, expect, it } from 'vitest';
import type { WireCall } from '@opendialer/protocol';
import { wireCall } from './wire-call';
import { CallBook } from '../src/call/call-book';
import { callPanelModel, formatDuration } from '../src/call/call-panel-model';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');

const answered = (o: Partial<WireCall> = {}) =>
  wireCall({ state: 'answered', answer_time: '2026-11-24T10:00:03.000Z', seq: 2, ...o });
const ended = (end_reason: string | null, o: Partial<WireCall> = {}) =>
  wireCall({ state: 'disconnected', result: 'not_answered', end_time: '2026-11-24T10:00:09.000Z', end_reason, seq: 3, ...o });

function model(call: WireCall, now = T0, answeredAt: number | null = null) {
  return callPanelModel({ call, answeredAt }, now);
}

describe('callPanelModel: state → text and buttons', () => {
  it('an outbound call that rings shows the number, "Calling…" and Hang up, not the own display name', () => {
    expect(model(wireCall())).toEqual({
      callId: 'call-1',
      kind: 'outgoing',
      name: null,
      nameTitle: null,
      number: '+1 202 555 0143',
      status: 'Calling…',
      timer: null,
      actions: ['hangUp'],
    });
  });

  it('an answered call shows "In call", the time since the answer and Hang up', () => {
    expect(model(answered(), T0 + 65_000, T0)).toMatchObject({ kind: 'active', status: 'In call', timer: '1:05', actions: ['hangUp'] });
  });

  it('a ringing inbound call shows the caller name and number with Answer and Decline', () => {
    const m = model(wireCall({ direction: 'inbound', from: '+12025550199', to: '201', caller: { caller_display_name: 'Grace Hopper' } }));
    expect(m).toMatchObject({ kind: 'incoming', status: 'Incoming call', name: 'Grace Hopper', number: '+1 202 555 0199', actions: ['answer', 'reject'] });
  });

  it('a transfer recall rings as an incoming call that says the transfer was not answered', () => {
    const m = model(wireCall({ direction: 'inbound', from: '+14155550100', recall: true }));
    expect(m).toMatchObject({ kind: 'incoming', status: 'Transfer not answered — caller returned', actions: ['answer', 'reject'] });
    expect(model(wireCall({ direction: 'inbound', from: '+14155550100' })).status).toBe('Incoming call');
  });

  it('a 10,000-character caller name is cut to 64 characters with the name in nameTitle; a long user part too', () => {
    const m = model(wireCall({ direction: 'inbound', from: '9'.repeat(10_000), caller: { caller_display_name: 'N'.repeat(10_000) } }));
    expect(Array.from(m.name ?? '')).toHaveLength(64);
    expect(m.name?.endsWith('…')).toBe(true);
    expect(m.nameTitle).toHaveLength(1024);
    expect(Array.from(m.number)).toHaveLength(64);
    expect(m.actions).toEqual(['answer', 'reject']);
  });

  it('a caller name with U+202E (right-to-left override) is shown without it', () => {
    const m = model(wireCall({ direction: 'inbound', caller: { caller_display_name: 'Invoice \u202Efdp.exe' } }));
    expect(m).toMatchObject({ name: 'Invoice fdp.exe', nameTitle: null });
  });

  it('a hidden caller is "Unknown" with no name', () => {
    const m = model(wireCall({ direction: 'inbound', from: null, caller: { caller_display_name: null } }));
    expect(m).toMatchObject({ name: null, number: 'Unknown' });
  });

  it('an empty display name counts as none', () => {
    expect(model(wireCall({ direction: 'inbound', caller: { caller_display_name: '' } })).name).toBeNull();
  });

  it.each([
    ['busy', 'Call ended — the line is busy'],
    ['declined', 'Call ended — declined'],
    ['no_answer', 'Call ended — no answer'],
    ['canceled', 'Call ended — cancelled'],
    ['failed', 'Call ended — the call failed'],
    ['unreachable', 'Call ended — the number could not be reached'],
    ['local_hangup', 'Call ended — you hung up'],
    ['remote_hangup', 'Call ended — the other party hung up'],
    ['answered_elsewhere', 'Call ended — answered on another device'],
    ['media_timeout', 'Call ended — the audio connection was lost'],
    ['transferred', 'Call ended — transferred'],
    ['parked_by_a_newer_gateway', 'Call ended'],
    [null, 'Call ended'],
  ])('an ended call with end_reason %s reads "%s" and has no buttons', (reason, text) => {
    expect(model(ended(reason))).toMatchObject({ kind: 'ended', status: text, timer: null, actions: [] });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [7_000, '0:07'],
    [754_000, '12:34'],
    [3_723_000, '1:02:03'],
    [-5_000, '0:00'],
  ])('%i ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('CallBook', () => {
  it('applies newer seqs and ignores repeats and older ones', () => {
    const book = new CallBook(() => T0);
    expect(book.apply(wireCall())).toBe(true);
    expect(book.apply(answered())).toBe(true);
    expect(book.apply(wireCall())).toBe(false);
    expect(book.apply(answered())).toBe(false);
    expect(book.current()?.call.state).toBe('answered');
    expect(book.apply(ended('remote_hangup'))).toBe(true);
    expect(book.apply(answered())).toBe(false);
    expect(book.current()?.call.state).toBe('disconnected');
  });

  it('starts the timer at the local time the answer was seen, whatever the server clock says', () => {
    let now = T0 + 60_000;
    const book = new CallBook(() => now);
    book.apply(wireCall());
    now = T0 + 70_000;
    book.apply(answered({ answer_time: '2026-11-24T11:00:00.000Z' }));
    expect(book.current()?.answeredAt).toBe(T0 + 70_000);
  });

  it('counts from answer_time for a call first seen already answered (after a reload), never from the future', () => {
    const book = new CallBook(() => T0 + 10_000);
    book.apply(answered());
    expect(book.current()?.answeredAt).toBe(T0 + 3_000);
    const skewed = new CallBook(() => T0);
    skewed.apply(answered({ id: 'c2', answer_time: '2026-11-24T10:05:00.000Z' }));
    expect(skewed.current()?.answeredAt).toBe(T0);
  });

  it('shows a ringing inbound call before a live outbound one, and a live call before an ended one', () => {
    const book = new CallBook(() => T0);
    book.apply(ended('busy', { id: 'old' }));
    expect(book.current()?.call.id).toBe('old');
    book.apply(answered({ id: 'live' }));
    expect(book.current()?.call.id).toBe('live');
    book.apply(wireCall({ id: 'ringing', direction: 'inbound' }));
    expect(book.current()?.call.id).toBe('ringing');
    book.apply(ended('canceled', { id: 'ringing' }));
    expect(book.current()?.call.id).toBe('live');
  });

  it('forgets everything on clear()', () => {
    const book = new CallBook(() => T0);
    book.apply(wireCall());
    book.clear();
    expect(book.current()).toBeNull();
    expect(book.apply(wireCall())).toBe(true);
  });
});
