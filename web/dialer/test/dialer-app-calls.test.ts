import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { start, signedIn } from './fake-gateway';
import { wireCall } from './wire-call';
import { ENDED_VISIBLE_MS } from '../src/ui/call-panel';

const ok = { ok: true, result: null };
const notFound = { ok: false, error: { code: 'call_not_found', message: 'There is no such call.' } };

/** A signed-in dialer whose clock the test moves. */
async function signedInDialer(answers: Record<string, (p: Record<string, unknown>) => object> = {}) {
  let now = Date.parse('2026-11-24T10:00:00.000Z');
  const dialer = start({ signInWithToken: () => signedIn('tok'), ...answers }, { now: () => now });
  await dialer.app.handleHostRequest('setToken', { token: 'minted' });
  return { ...dialer, tick: (ms: number) => (now += ms) };
}

const panel = (root: HTMLElement) => root.querySelector<HTMLElement>('.call-panel')!;
/** The buttons a user can see: none inside a hidden element. */
const buttons = (root: HTMLElement) =>
  [...panel(root).querySelectorAll('button')].filter((b) => !b.closest('[hidden]')).map((b) => b.textContent);
const button = (root: HTMLElement, name: string) =>
  [...panel(root).querySelectorAll('button')].find((b) => b.textContent === name) as HTMLButtonElement;

beforeEach(() => localStorage.clear());
afterEach(() => vi.useRealTimers());

describe('DialerApp calls', () => {
  it('forwards a callStateChanged to the host once, drops a repeat, and shows the newest state', async () => {
    const { root, events, gateway } = await signedInDialer();
    expect(panel(root).hidden).toBe(true);
    const ringing = wireCall();
    gateway().event({ type: 'callStateChanged', call: ringing });
    gateway().event({ type: 'callStateChanged', call: ringing });
    const forwarded = events.filter((e) => e.type === 'callStateChanged');
    expect(forwarded).toEqual([{ type: 'callStateChanged', call: ringing }]);
    expect(panel(root).hidden).toBe(false);
    expect(panel(root).querySelector('.call-number')?.textContent).toBe('+1 202 555 0143');
    expect(panel(root).querySelector('.call-status')?.textContent).toBe('Calling…');
    expect(buttons(root)).toEqual(['Hang up']);
  });

  it('the Call button sends placeCall; "Calling…" then moves from the form to the call panel', async () => {
    const { root, gateway } = await signedInDialer({ placeCall: () => ({ ok: true, result: { call_id: 'call-1' } }) });
    root.querySelector<HTMLInputElement>('#phone-number')!.value = '+12025550143';
    root.querySelector<HTMLButtonElement>('button.call')!.click();
    expect(root.querySelector('.call-message')?.textContent).toBe('Calling…');
    await vi.waitFor(() => expect(root.querySelector('.call-message')?.textContent).toBe(''));
    expect(gateway().sent.filter((m) => m.method === 'placeCall').map((m) => m.params)).toEqual([{ to: '+12025550143', sdp: expect.stringContaining('m=audio') }]);
    gateway().event({ type: 'callStateChanged', call: wireCall() });
    expect(panel(root).querySelector('.call-status')?.textContent).toBe('Calling…');
  });

  it('ignores a malformed call event (no seq) in the UI and toward the host', async () => {
    const { root, events, gateway } = await signedInDialer();
    const { seq: _seq, ...noSeq } = wireCall();
    gateway().event({ type: 'callStateChanged', call: noSeq });
    expect(events.filter((e) => e.type === 'callStateChanged')).toEqual([]);
    expect(panel(root).hidden).toBe(true);
  });

  it('does not go back to an older state that arrives late', async () => {
    const { root, gateway } = await signedInDialer();
    gateway().event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: '2026-11-24T10:00:01.000Z', seq: 2 }) });
    gateway().event({ type: 'callStateChanged', call: wireCall({ seq: 1 }) });
    expect(panel(root).querySelector('.call-status')?.textContent).toMatch(/^In call/);
  });

  it('runs a timer once answered', async () => {
    vi.useFakeTimers();
    const { root, gateway, tick } = await signedInDialer();
    gateway().event({ type: 'callStateChanged', call: wireCall() });
    tick(2_000);
    gateway().event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: '2026-11-24T10:00:02.000Z', seq: 2 }) });
    expect(panel(root).querySelector('.call-timer')?.textContent).toBe('0:00');
    tick(5_000);
    vi.advanceTimersByTime(1_000);
    expect(panel(root).querySelector('.call-timer')?.textContent).toBe('0:05');
    expect(panel(root).querySelector('.call-status')?.textContent).toBe('In call 0:05');
  });

  it('shows an incoming call with Answer and Decline; Answer sends answer with the call id', async () => {
    const answered: Array<Record<string, unknown>> = [];
    const { root, gateway } = await signedInDialer({ answer: (p) => (answered.push(p), ok) });
    gateway().event({
      type: 'callStateChanged',
      call: wireCall({ id: 'in-1', direction: 'inbound', from: '+12025550199', to: '201', caller: { caller_display_name: 'Grace Hopper' } }),
    });
    expect(panel(root).querySelector('h2')?.textContent).toBe('Incoming call');
    expect(panel(root).querySelector('.call-name')?.textContent).toBe('Grace Hopper');
    expect(panel(root).querySelector('.call-number')?.textContent).toBe('+1 202 555 0199');
    expect(buttons(root)).toEqual(['Answer', 'Decline']);
    button(root, 'Answer').click();
    await vi.waitFor(() => expect(answered).toEqual([{ call_id: 'in-1', sdp: expect.stringContaining('m=audio') }]));
  });

  it('Decline sends reject; a failure is shown in the panel', async () => {
    const { root, gateway } = await signedInDialer({ reject: () => notFound });
    gateway().event({ type: 'callStateChanged', call: wireCall({ direction: 'inbound', from: null, caller: { caller_display_name: null } }) });
    expect(panel(root).querySelector('.call-number')?.textContent).toBe('Unknown');
    expect(panel(root).querySelector('.call-name')).toBeNull();
    button(root, 'Decline').click();
    await vi.waitFor(() => expect(panel(root).querySelector('[role="alert"]')?.textContent).toBe('There is no such call.'));
    expect(gateway().sent.filter((m) => m.method === 'reject').map((m) => m.params)).toEqual([{ call_id: 'call-1' }]);
  });

  it('shows "Call ended — <reason>" without buttons, then hides it', async () => {
    vi.useFakeTimers();
    const { root, gateway } = await signedInDialer();
    gateway().event({ type: 'callStateChanged', call: wireCall() });
    gateway().event({
      type: 'callStateChanged',
      call: wireCall({ state: 'disconnected', result: 'not_answered', end_time: '2026-11-24T10:00:05.000Z', end_reason: 'busy', seq: 2 }),
    });
    expect(panel(root).querySelector('.call-status')?.textContent).toBe('Call ended — the line is busy');
    expect(buttons(root)).toEqual([]);
    vi.advanceTimersByTime(ENDED_VISIBLE_MS);
    expect(panel(root).hidden).toBe(true);
  });

  it.each(['hangUp', 'reject'])('forwards the host request %s with and without call_id', async (method) => {
    const { app, gateway } = await signedInDialer({ [method]: () => ok });
    await expect(app.handleHostRequest(method, {})).resolves.toBeNull();
    await expect(app.handleHostRequest(method, { call_id: 'c-9' })).resolves.toBeNull();
    expect(gateway().sent.filter((m) => m.method === method).map((m) => m.params)).toEqual([{}, { call_id: 'c-9' }]);
  });

  it('answers call_not_found with CallNotFoundError and a bad call_id with InvalidOptionsError, without sending it', async () => {
    const { app, gateway } = await signedInDialer({ hangUp: () => notFound });
    await expect(app.handleHostRequest('hangUp', {})).rejects.toMatchObject({ errorName: 'CallNotFoundError', message: 'There is no such call.' });
    await expect(app.handleHostRequest('hangUp', { call_id: 5 })).rejects.toMatchObject({ errorName: 'InvalidOptionsError' });
    expect(gateway().sent.filter((m) => m.method === 'hangUp')).toHaveLength(1);
  });

  it('hides the call when the user signs out', async () => {
    const { app, root, gateway } = await signedInDialer({ signOut: () => ok });
    gateway().event({ type: 'callStateChanged', call: wireCall() });
    await app.handleHostRequest('signOut', {});
    expect(root.querySelector('.call-panel')).toBeNull();
    await app.handleHostRequest('setToken', { token: 'again' });
    expect(panel(root).hidden).toBe(true);
  });

  it('answer without call_id names the ringing inbound call; with none ringing it is CallNotFoundError, without the microphone', async () => {
    const { app, gateway, media } = await signedInDialer({ answer: () => ok });
    await expect(app.handleHostRequest('answer', {})).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
    expect(media.constraints).toEqual([]);
    gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'in-2', direction: 'inbound' }) });
    await expect(app.handleHostRequest('answer', {})).resolves.toBeNull();
    expect(gateway().sent.filter((m) => m.method === 'answer').map((m) => m.params.call_id)).toEqual(['in-2']);
  });
});
