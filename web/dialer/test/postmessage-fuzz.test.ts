// Fuzz target: the dialer's end of the postMessage boundary (HostChannel's guard, then the real
// DialerApp's request handler behind it). Random and mutated SDK → dialer messages, from the parent
// and from other windows and origins: nothing throws out of the handler, every accepted request gets
// exactly one response whose error (if any) is one the SDK can rebuild, and the app still answers.
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_NAMES, isResponseMessage } from '@opendialer/protocol';
import { HostChannel } from '../src/host-channel';
import { FUZZ_INPUTS, FUZZ_SEED, REQUESTS, nextInput, random } from '../../protocol/test/fuzz/postmessage-inputs';
import { authRequired, start } from './fake-gateway';

const PARENT = 'https://crm.example';
const flush = () => new Promise((r) => setTimeout(r, 0));

describe(`postMessage fuzz, dialer side (seed ${FUZZ_SEED}, ${FUZZ_INPUTS} inputs)`, () => {
  let channel: HostChannel | undefined;
  const errors: unknown[] = [];
  const onError = (e: ErrorEvent) => errors.push(e.error ?? e.message);
  afterEach(() => {
    channel?.close();
    window.removeEventListener('error', onError);
  });

  it('survives every input: one response per accepted request, only known error names, app still answers', async () => {
    window.addEventListener('error', onError);
    localStorage.clear();
    const { app } = start({ resume: () => authRequired, signInWithToken: () => authRequired });
    const responses: Array<Record<string, any>> = [];
    const parent = { postMessage: (m: unknown) => responses.push(m as Record<string, any>) } as unknown as Window;
    channel = new HostChannel(window, parent, PARENT, (m, p) => app.handleHostRequest(m, p));
    const other = { postMessage() {} } as unknown as Window;
    const r = random(FUZZ_SEED ^ 0x5eed);
    for (let i = 0; i < FUZZ_INPUTS; i++) {
      const { data, from } = nextInput(r, REQUESTS);
      try {
        window.dispatchEvent(new MessageEvent('message', {
          data,
          origin: from === 'wrong-origin' ? 'https://evil.example' : PARENT,
          source: from === 'wrong-source' ? other : parent,
        }));
      } catch (e) {
        errors.push(e);
      }
      if (i % 200 === 199) await flush();
    }
    for (let i = 0; i < 50; i++) await flush();

    expect(errors).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(channel.stats.accepted + channel.stats.ignored).toBe(FUZZ_INPUTS);
    expect(channel.stats.accepted).toBeGreaterThan(0);
    expect(channel.stats.ignored).toBeGreaterThan(0);
    expect(responses).toHaveLength(channel.stats.accepted);
    for (const response of responses) {
      expect(isResponseMessage(response)).toBe(true);
      if (!response.ok) expect(ERROR_NAMES).toContain(response.error.name);
    }
    // Still answering: a valid getAuthState gets a valid AuthState.
    window.dispatchEvent(new MessageEvent('message', {
      data: { ns: 'net2phone-dialer', v: 1, kind: 'request', id: 'after-fuzz', method: 'getAuthState', params: {} },
      origin: PARENT,
      source: parent,
    }));
    for (let i = 0; i < 20; i++) await flush();
    const last = responses[responses.length - 1]!;
    expect(last).toMatchObject({ id: 'after-fuzz', ok: true, result: { signed_in: false, user: null } });
  }, 600_000);
});
