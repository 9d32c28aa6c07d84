import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renewalDueAt } from '../src/session-renewal';
import { signedIn, start } from './fake-gateway';

const MINUTE = 60_000;

describe('renewalDueAt', () => {
  it('renews a 12-hour session a tenth of its time before it expires', () => {
    expect(renewalDueAt(12 * 60 * MINUTE, 0)).toBe(12 * 60 * MINUTE - 72 * MINUTE);
  });
  it('renews a short session a minute before it expires', () => {
    expect(renewalDueAt(5 * MINUTE, 0)).toBe(4 * MINUTE);
  });
  it('never renews sooner than five seconds from now, even for a session about to expire', () => {
    expect(renewalDueAt(1_000, 0)).toBe(5_000);
  });
});

describe('DialerApp session renewal', () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-11-25T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  const expiringIn = (ms: number, token: string) => {
    const answer = signedIn(token);
    return { ...answer, result: { ...answer.result, session: { token, expires_at: new Date(Date.now() + ms).toISOString() } } };
  };

  it('resumes the session a minute before it expires while the dialer stays open', async () => {
    const { app, gateway } = start({
      signIn: () => expiringIn(10 * MINUTE, 'tok-a'),
      resume: () => expiringIn(10 * MINUTE, 'tok-a'),
    });
    const form = document.querySelector('form')!;
    (document.getElementById('username') as HTMLInputElement).value = 'ada';
    (document.getElementById('password') as HTMLInputElement).value = 'correct horse';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.advanceTimersByTimeAsync(0);
    await expect(app.handleHostRequest('getAuthState', {})).resolves.toMatchObject({ signed_in: true });
    const resumes = () => gateway().sent.filter((m) => m.method === 'resume').length;
    await vi.advanceTimersByTimeAsync(9 * MINUTE - 1_000);
    expect(resumes()).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(resumes()).toBe(1);
    await vi.advanceTimersByTimeAsync(9 * MINUTE);
    expect(resumes()).toBe(2);
  });

  it('asks a getToken host for a new token before the session expires, instead of resuming', async () => {
    const { app, events, gateway } = start({ signInWithToken: () => expiringIn(10 * MINUTE, 'tok-b') });
    await app.handleHostRequest('setToken', { token: 'minted' });
    await vi.advanceTimersByTimeAsync(9 * MINUTE + 1_000);
    expect(events.filter((e) => e.type === 'tokenRequested')).toHaveLength(1);
    expect(gateway().sent.map((m) => m.method)).not.toContain('resume');
  });

  it('stops renewing after sign-out', async () => {
    const { app, events, gateway } = start({
      signInWithToken: () => expiringIn(10 * MINUTE, 'tok-c'),
      signOut: () => ({ ok: true, result: null }),
    });
    await app.handleHostRequest('setToken', { token: 'minted' });
    await app.handleHostRequest('signOut', {});
    await vi.advanceTimersByTimeAsync(20 * MINUTE);
    expect(events.filter((e) => e.type === 'tokenRequested')).toHaveLength(0);
    expect(gateway().sent.map((m) => m.method)).not.toContain('resume');
  });
});
