import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signedIn, start } from './fake-gateway';
import { wireCall } from './wire-call';

const logged = (id: string) => {
  const { seq: _seq, ...call } = wireCall({ id, state: 'disconnected', result: 'not_answered', end_reason: 'busy', to: '+16505550102' });
  return call;
};

async function signedInDialer() {
  const dialer = start({
    signInWithToken: () => signedIn('tok'),
    recentCalls: () => ({ ok: true, result: { calls: [logged('old-1')] } }),
    placeCall: () => ({ ok: true, result: { call_id: 'call-1', sdp: null } }),
  });
  await dialer.app.handleHostRequest('setToken', { token: 't' });
  await vi.waitFor(() => expect(dialer.root.querySelector('.recent-call')).not.toBeNull());
  return dialer;
}

/** Every control a user can reach: not inside anything hidden. */
const controls = (root: HTMLElement) =>
  [...root.querySelectorAll<HTMLElement>('button, input, [tabindex]')].filter((c) => !c.closest('[hidden]'));

/** The accessible name, as far as these views use them: aria-label, a <label for>, or the text. */
const nameOf = (c: HTMLElement) =>
  c.getAttribute('aria-label') ?? (c.id ? document.querySelector(`label[for="${c.id}"]`)?.textContent : null) ?? c.textContent?.trim();

function expectOperableByKeyboard(root: HTMLElement) {
  const all = controls(root);
  expect(all.length).toBeGreaterThan(0);
  for (const c of all) {
    // Native buttons and inputs take Tab, Enter and Space without scripts; nothing jumps the tab order.
    expect(['BUTTON', 'INPUT']).toContain(c.tagName);
    expect(Number(c.getAttribute('tabindex') ?? 0)).toBeLessThanOrEqual(0);
    expect(nameOf(c), c.outerHTML).toBeTruthy();
  }
}

beforeEach(() => localStorage.clear());

describe('keyboard and accessible names', () => {
  it('every control is a native button or input with an accessible name: idle with recent calls, incoming call', async () => {
    const { root, gateway } = await signedInDialer();
    expectOperableByKeyboard(root);
    expect(controls(root).map(nameOf)).toEqual(['Sign out', 'Phone number', 'Call', 'Dial pad', 'Call back +1 650 555 0102']);

    gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'in-1', direction: 'inbound', from: '+16505550101', to: '201' }) });
    expectOperableByKeyboard(root);
    expect(controls(root).map(nameOf)).toEqual(['Sign out', 'Answer', 'Decline']);
  });

  it('the sign-in form: labelled fields, a submit button', () => {
    const { root } = start({});
    expectOperableByKeyboard(root);
    expect(controls(root).map(nameOf)).toEqual(['Username', 'Password', 'Sign in']);
  });

  it('focus follows the call: Call → Hang up while it lasts → the number field after it ends', async () => {
    const { root, gateway } = await signedInDialer();
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const number = root.querySelector<HTMLInputElement>('#phone-number')!;
    number.value = '+16505550104';
    const call = root.querySelector<HTMLButtonElement>('button.call')!;
    call.focus();
    call.click();
    await vi.waitFor(() => expect(gateway().sent.some((m) => m.method === 'placeCall')).toBe(true));
    gateway().event({ type: 'callStateChanged', call: wireCall({ to: '+16505550104' }) });
    expect(document.activeElement?.textContent).toBe('Hang up');
    gateway().event({ type: 'callStateChanged', call: wireCall({ to: '+16505550104', state: 'disconnected', result: 'not_answered', end_reason: 'canceled', seq: 2 }) });
    expect(document.activeElement).toBe(number);
  });
});
