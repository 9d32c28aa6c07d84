import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoggedCall } from '@opendialer/protocol';
import { recentCallModel } from '../src/call/recent-call-model';
import { recentCalls } from '../src/ui/recent-calls';
import { signedIn, start } from './fake-gateway';
import { wireCall } from './wire-call';

const now = new Date('2026-11-24T15:00:00');
function logged(overrides: Partial<LoggedCall> = {}): LoggedCall {
  const { seq: _seq, ...call } = wireCall({
    state: 'disconnected', result: 'answered', to: '+16505550100',
    start_time: new Date('2026-11-24T14:05:00').toISOString(),
    answer_time: new Date('2026-11-24T14:05:03').toISOString(),
    end_time: new Date('2026-11-24T14:07:18').toISOString(),
    end_reason: 'local_hangup',
  });
  return { ...call, ...overrides };
}

describe('recentCallModel', () => {
  it('an answered outgoing call: the number formatted, the time today, "Answered" with how long', () => {
    const m = recentCallModel(logged(), now, 'US');
    expect(m).toMatchObject({ kind: 'outgoing', direction: 'Outgoing', party: '+1 650 555 0100', callBack: '+16505550100', outcome: 'Answered, 2:15' });
    expect(m.time).toMatch(/05/);
  });

  it('an unanswered incoming call is "Missed"; a declined one says so; the caller name is shown', () => {
    const missed = logged({ direction: 'inbound', from: '+16505550101', to: '201', result: 'not_answered', end_reason: 'canceled',
      caller: { caller_display_name: 'opendialer sandbox' } });
    expect(recentCallModel(missed, now)).toMatchObject({ kind: 'missed', direction: 'Missed', party: 'opendialer sandbox', callBack: '+16505550101', outcome: 'Missed' });
    expect(recentCallModel({ ...missed, end_reason: 'declined' }, now)).toMatchObject({ kind: 'incoming', direction: 'Incoming', outcome: 'You declined' });
  });

  it('a hidden caller is "Unknown" and cannot be called back; outbound failures are in words', () => {
    expect(recentCallModel(logged({ direction: 'inbound', from: null, caller: { caller_display_name: null }, result: 'not_answered', end_reason: 'canceled' }), now))
      .toMatchObject({ party: 'Unknown', callBack: null });
    expect(recentCallModel(logged({ result: 'not_answered', end_reason: 'busy' }), now).outcome).toBe('Busy');
    expect(recentCallModel(logged({ result: 'not_answered', end_reason: 'no_answer' }), now).outcome).toBe('No answer');
    expect(recentCallModel(logged({ result: 'not_answered', end_reason: 'something_new' }), now).outcome).toBe('Failed');
    expect(recentCallModel(logged({ state: 'answered', end_time: null, end_reason: null }), now).outcome).toBe('In progress');
  });

  it('a call from another day shows the date, not the time', () => {
    const m = recentCallModel(logged({ start_time: new Date('2026-11-02T09:00:00').toISOString() }), now);
    expect(m.time).toMatch(/2/);
    expect(m.time).not.toMatch(/09/);
  });
});

describe('recentCalls list', () => {
  it('shows the empty state, then one button per call named "Call back …"; a click calls back', () => {
    const calls: string[] = [];
    const list = recentCalls((n) => calls.push(n), 'US', () => now.getTime());
    document.body.replaceChildren(list.root);
    list.show([]);
    expect(list.root.hidden).toBe(false);
    expect(list.root.textContent).toContain('No calls yet');
    list.show([logged(), { not: 'a call' }, logged({ id: 'c2', direction: 'inbound', from: null, result: 'not_answered', end_reason: 'canceled' })]);
    const items = list.root.querySelectorAll('li');
    expect(items).toHaveLength(2);
    const button = items[0]!.querySelector('button')!;
    expect(button.getAttribute('aria-label')).toBe('Call back +1 650 555 0100');
    expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toMatch(/^Outgoing · .+ · Answered, 2:15$/);
    expect(items[1]!.querySelector('button')).toBeNull(); // Unknown: nothing to call back
    button.click();
    expect(calls).toEqual(['+16505550100']);
    list.show(null);
    expect(list.root.hidden).toBe(true);
  });
});

describe('DialerApp recent calls', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => vi.useRealTimers());

  it('asks for recentCalls after sign-in and after a call ends; clicking one places the call with the plain number', async () => {
    let list = [logged()];
    const dialer = start({
      signInWithToken: () => signedIn('tok'),
      recentCalls: () => ({ ok: true, result: { calls: list } }),
      placeCall: () => ({ ok: true, result: { call_id: 'call-2', sdp: null } }),
    });
    await dialer.app.handleHostRequest('setToken', { token: 't' });
    const recentRequests = () => dialer.gateway().sent.filter((m) => m.method === 'recentCalls');
    await vi.waitFor(() => expect(dialer.root.querySelectorAll('.recent-call')).toHaveLength(1));
    expect(recentRequests().map((m) => m.params)).toEqual([{ limit: 10 }]);

    dialer.root.querySelector<HTMLButtonElement>('.recent-item')!.click();
    await vi.waitFor(() => expect(dialer.gateway().sent.filter((m) => m.method === 'placeCall')).toHaveLength(1));
    expect(dialer.gateway().sent.find((m) => m.method === 'placeCall')!.params.to).toBe('+16505550100');
    expect(dialer.root.querySelector<HTMLInputElement>('#phone-number')!.value).toBe('+1 650 555 0100');

    dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'call-2', to: '+16505550100' }) });
    expect(dialer.root.querySelector<HTMLElement>('.idle')!.hidden).toBe(true); // the call panel has the room
    list = [logged({ id: 'call-2', result: 'not_answered', end_reason: 'canceled' }), logged()];
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'call-2', to: '+16505550100', state: 'disconnected', result: 'not_answered', end_reason: 'canceled', seq: 2 }) });
    await vi.waitFor(() => expect(dialer.root.querySelectorAll('.recent-call')).toHaveLength(2));
    expect(recentRequests()).toHaveLength(2);
    expect(dialer.root.querySelector<HTMLElement>('.idle')!.hidden).toBe(false);
    expect(dialer.root.querySelector('.recent-call')!.textContent).toContain('Cancelled');
  });

  it('hides the list when the gateway does not know recentCalls', async () => {
    const dialer = start({ signInWithToken: () => signedIn('tok') });
    await dialer.app.handleHostRequest('setToken', { token: 't' });
    await vi.waitFor(() => expect(dialer.gateway().sent.some((m) => m.method === 'recentCalls')).toBe(true));
    await new Promise((r) => setTimeout(r, 0));
    expect(dialer.root.querySelector<HTMLElement>('.recent-calls')!.hidden).toBe(true);
  });
});
