// Fuzz target: the SDK's end of the postMessage boundary (DialerChannel and the events it hands to
// subscribers). Random and mutated dialer → SDK messages, from the dialer's window and from others:
// nothing may throw out of the message handler, a subscriber sees only well-formed events, a pending
// request settles once and only with a Net2PhoneDialerError, and the channel still works afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import { Net2PhoneDialerError } from '../src/errors';
import { FUZZ_INPUTS, FUZZ_SEED, dialerMessages, nextInput, random } from '../../protocol/test/fuzz/postmessage-inputs';
import { createDialer, settle } from './harness';

const EVENT_TYPES = ['callStateChanged', 'authStateChanged', 'connectionStateChanged', 'tokenRequested', 'audioPlaybackBlocked'];
const CALL_STATES = ['connecting', 'ringing', 'answered', 'disconnected'];

describe(`postMessage fuzz, SDK side (seed ${FUZZ_SEED}, ${FUZZ_INPUTS} inputs)`, () => {
  const errors: unknown[] = [];
  const onError = (e: ErrorEvent) => errors.push(e.error ?? e.message);
  afterEach(() => window.removeEventListener('error', onError));

  it('survives every input: no exception, only well-formed events, requests settle once with typed errors', async () => {
    window.addEventListener('error', onError);
    const { dialer, deliver, ready, posted, respond } = createDialer({ readyTimeoutMs: 600_000 });
    const seen: Array<Record<string, any>> = [];
    dialer.subscribe((event) => seen.push(event as unknown as Record<string, any>), {
      events: EVENT_TYPES as never,
    });
    ready();
    await settle();
    const settled: Array<{ ok: boolean; value: unknown }> = [];
    const pending = () => posted.map((p) => p.data.id);
    const place = () => {
      void dialer.placeCall({ to: '+12025550143' }).then(
        (value) => settled.push({ ok: true, value }),
        (value) => settled.push({ ok: false, value }),
      );
    };
    for (let i = 0; i < 5; i++) place();
    await settle();

    const r = random(FUZZ_SEED);
    const other = { postMessage() {} } as unknown as Window;
    for (let i = 0; i < FUZZ_INPUTS; i++) {
      const { data, from } = nextInput(r, dialerMessages(pending().slice(-5)));
      try {
        deliver(data, from === 'peer' ? {} : from === 'wrong-origin' ? { origin: 'https://evil.example' } : { source: other });
      } catch (e) {
        errors.push(e);
      }
      if (i % 500 === 499) {
        await settle();
        place(); // keep requests pending, so responses can match one
      }
    }
    await settle();

    expect(errors).toEqual([]);
    // The inputs did get through the guards: events reached the subscriber, responses matched requests.
    expect(seen.length).toBeGreaterThan(0);
    expect(settled.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const e of seen) {
      expect(EVENT_TYPES).toContain(e.type);
      if (e.type === 'callStateChanged') {
        expect(typeof e.call.id).toBe('string');
        expect(CALL_STATES).toContain(e.call.state);
      }
    }
    for (const s of settled) {
      if (!s.ok) expect(s.value).toBeInstanceOf(Net2PhoneDialerError);
    }
    // Still a working channel: a new request is answered and resolves.
    const state = dialer.getAuthState();
    await settle();
    const last = posted.at(-1)!;
    expect(last.data.method).toBe('getAuthState');
    respond(last.data.id, { signed_in: false, user: null });
    await expect(state).resolves.toMatchObject({ signed_in: false });
    dialer.dispose();
  }, 600_000);
});
