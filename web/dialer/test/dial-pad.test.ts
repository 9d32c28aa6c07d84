import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signedIn, start } from './fake-gateway';
import { DIAL_PAD_KEYS } from '../src/ui/dial-pad';
import { wireCall } from './wire-call';

async function signedInDialer(region?: string) {
  const placed: string[] = [];
  const dialer = start({
    signInWithToken: () => signedIn('tok'),
    recentCalls: () => ({ ok: true, result: { calls: [] } }),
    placeCall: (p) => {
      placed.push(String(p.to));
      return { ok: true, result: { call_id: 'call-1', sdp: null } };
    },
  }, region ? { defaultRegion: region } : undefined);
  await dialer.app.handleHostRequest('setToken', { token: 't' });
  await vi.waitFor(() => expect(dialer.root.querySelector('#phone-number')).not.toBeNull());
  return { ...dialer, placed };
}

const q = <T extends HTMLElement>(root: HTMLElement, sel: string) => root.querySelector(sel) as T;
const key = (root: HTMLElement, k: string) => q<HTMLButtonElement>(root, `.dial-key[data-key="${k}"]`);

beforeEach(() => localStorage.clear());

describe('idle dial pad', () => {
  it('has the twelve phone keys in phone order, each with an accessible name', () => {
    expect(DIAL_PAD_KEYS.map(([k]) => k).join('')).toBe('123456789*0#');
  });

  it('is hidden until "Dial pad" shows it; the toggle reports aria-expanded', async () => {
    const { root } = await signedInDialer();
    const toggle = q<HTMLButtonElement>(root, 'button.dial-pad-toggle');
    const pad = q<HTMLElement>(root, '#dial-pad');
    expect(toggle.textContent).toBe('Dial pad');
    expect(toggle.getAttribute('aria-controls')).toBe('dial-pad');
    expect(pad.hidden).toBe(true);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    expect(pad.hidden).toBe(false);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const names = [...pad.querySelectorAll('button')].map((b) => b.getAttribute('aria-label'));
    expect(names).toEqual(['1', '2 ABC', '3 DEF', '4 GHI', '5 JKL', '6 MNO', '7 PQRS', '8 TUV', '9 WXYZ', 'star', '0 +', 'pound']);
    for (const b of pad.querySelectorAll('button')) expect(b.getAttribute('type')).toBe('button');
    toggle.click();
    expect(pad.hidden).toBe(true);
  });

  it('appends keys to the number field through the as-you-type formatting, and Call dials it', async () => {
    const { root, placed } = await signedInDialer();
    q<HTMLButtonElement>(root, 'button.dial-pad-toggle').click();
    for (const k of '+16505550100') {
      if (k === '+') {
        q<HTMLInputElement>(root, '#phone-number').value = '+';
        continue;
      }
      key(root, k).click();
    }
    const input = q<HTMLInputElement>(root, '#phone-number');
    expect(input.value).toBe('+1 650 555 0100');
    q<HTMLButtonElement>(root, 'button.call').click();
    await vi.waitFor(() => expect(placed).toEqual(['+16505550100']));
  });

  it('keeps * and # as typed, and extensions unformatted', async () => {
    const { root } = await signedInDialer();
    q<HTMLButtonElement>(root, 'button.dial-pad-toggle').click();
    key(root, '2').click();
    key(root, '0').click();
    key(root, '1').click();
    expect(q<HTMLInputElement>(root, '#phone-number').value).toBe('201');
    key(root, '*').click();
    key(root, '#').click();
    expect(q<HTMLInputElement>(root, '#phone-number').value).toBe('201*#');
  });

  it('makes way for the call panel while a call is live', async () => {
    const { root, gateway } = await signedInDialer();
    q<HTMLButtonElement>(root, 'button.dial-pad-toggle').click();
    gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'in-1', direction: 'inbound', from: '+16505550101', to: '201' }) });
    await vi.waitFor(() => expect(q<HTMLElement>(root, '#dial-pad').closest('[hidden]')).not.toBeNull());
  });
});
