// Inputs for the postMessage fuzz targets (sdk/test/postmessage-fuzz.test.ts and
// dialer/test/postmessage-fuzz.test.ts): valid envelopes of both directions, mutated, and random
// structured-cloneable values, from a seeded generator so that a failure is reproduced by its seed.
// FUZZ_INPUTS (per target) and FUZZ_SEED come from the environment: `./dialer test` keeps the small
// defaults below, `./dialer fuzz --inputs N --seed S` raises them.

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
export const FUZZ_SEED = Number(env.FUZZ_SEED || 20261205);
export const FUZZ_INPUTS = Number(env.FUZZ_INPUTS || 3000);

/** mulberry32: a small, fast, seedable PRNG (not for secrets). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const header = { ns: 'net2phone-dialer', v: 1 } as const;

export const WIRE_CALL = {
  id: 'call-1', state: 'answered', direction: 'outbound', result: null, from: '101', to: '+15551234567',
  caller: { caller_display_name: null }, start_time: '2026-11-24T10:00:00.000Z',
  answer_time: '2026-11-24T10:00:04.500Z', end_time: null, end_reason: null, seq: 1,
};

/** Valid requests, SDK → dialer, one per method. */
export const REQUESTS: object[] = [
  { ...header, kind: 'request', id: 'r-1', method: 'getAuthState', params: {} },
  { ...header, kind: 'request', id: 'r-2', method: 'placeCall', params: { to: '+12025550143' } },
  { ...header, kind: 'request', id: 'r-3', method: 'hangUp', params: { call_id: 'call-1' } },
  { ...header, kind: 'request', id: 'r-4', method: 'answer', params: {} },
  { ...header, kind: 'request', id: 'r-5', method: 'reject', params: { call_id: 'call-1' } },
  { ...header, kind: 'request', id: 'r-6', method: 'setToken', params: { token: 'minted' } },
  { ...header, kind: 'request', id: 'r-7', method: 'signOut', params: {} },
  { ...header, kind: 'request', id: 'r-8', method: 'mute', params: { muted: true } },
  { ...header, kind: 'request', id: 'r-9', method: 'hold', params: { held: false } },
  { ...header, kind: 'request', id: 'r-10', method: 'sendDtmf', params: { digits: '12#' } },
];

/** Valid messages, dialer → SDK; `ids` are the ids of requests the SDK has pending. */
export function dialerMessages(ids: readonly string[]): object[] {
  const id = ids[0] ?? 'x-1';
  return [
    { ...header, kind: 'ready' },
    { ...header, kind: 'response', id, ok: true, result: null },
    { ...header, kind: 'response', id, ok: true, result: { signed_in: true, user: { username: 'u', display_name: 'U', extension: '101', number: null } } },
    { ...header, kind: 'response', id, ok: false, error: { name: 'DestinationNotAllowedError', message: 'no' } },
    { ...header, kind: 'response', id, ok: false, error: { name: 'CallInProgressError', message: 'busy' } },
    { ...header, kind: 'event', event: { type: 'callStateChanged', call: WIRE_CALL } },
    { ...header, kind: 'event', event: { type: 'authStateChanged', signed_in: false, user: null, reason: 'signed_out' } },
    { ...header, kind: 'event', event: { type: 'connectionStateChanged', state: 'connected' } },
    { ...header, kind: 'event', event: { type: 'tokenRequested' } },
    { ...header, kind: 'event', event: { type: 'audioPlaybackBlocked' } },
  ];
}

const STRINGS = ['', ' ', 'a', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'then',
  'net2phone-dialer', 'request', 'response', 'event', 'ready', 'placeCall', 'getAuthState', 'callStateChanged',
  '+12025550143', '+19005550100', '\u202e', '\u0000', '<img src=x onerror=alert(1)>', '😀'.repeat(3), 'r-1', 'call-1'];

/** A random structured-cloneable value (what postMessage can carry), at most `depth` levels deep. */
export function randomValue(r: Rand, depth = 3): unknown {
  const k = Math.floor(r() * (depth > 0 ? 12 : 9));
  switch (k) {
    case 0: return undefined;
    case 1: return null;
    case 2: return r() < 0.5;
    case 3: return pick(r, [0, -0, 1, -1, 2, 2 ** 31, 2 ** 53 + 1, NaN, Infinity, -Infinity, 1e308, 0.5]);
    case 4: return pick(r, STRINGS);
    case 5: return 'x'.repeat(Math.floor(r() * 4) === 0 ? 100_000 : Math.floor(r() * 300));
    case 6: return String.fromCharCode(...Array.from({ length: Math.floor(r() * 20) }, () => Math.floor(r() * 0xffff)));
    case 7: return new Date(Math.floor(r() * 4e12));
    case 8: return Math.floor(r() * 1e6);
    case 9: return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth - 1));
    case 10: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 5); i > 0; i--) o[pick(r, STRINGS) || 'k'] = randomValue(r, depth - 1);
      return o;
    }
    default: return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** `value` with one to three random changes at random depths: a key removed, retyped, added, or the whole replaced. */
export function mutate(r: Rand, value: unknown): unknown {
  let out = clone(value);
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    if (out === null || typeof out !== 'object' || r() < 0.05) {
      out = randomValue(r);
      continue;
    }
    // Walk down a random path, then change one key there.
    let node = out as Record<string, unknown>;
    while (r() < 0.5) {
      const keys = Object.keys(node).filter((key) => node[key] !== null && typeof node[key] === 'object');
      if (keys.length === 0) break;
      node = node[pick(r, keys)] as Record<string, unknown>;
    }
    const keys = Object.keys(node);
    const action = Math.floor(r() * 4);
    if (action === 0 && keys.length > 0) delete node[pick(r, keys)];
    else if (action === 1 && keys.length > 0) node[pick(r, keys)] = randomValue(r, 2);
    else if (action === 2) node[pick(r, STRINGS) || 'extra'] = randomValue(r, 2);
    else if (keys.length > 0) {
      const key = pick(r, keys);
      const v = node[key];
      const asText = typeof v === 'object' && v !== null ? '[object]' : String(v);
      node[key] = pick(r, [asText, [v], { value: v }, Number(asText), typeof v === 'number' ? asText : 0]);
    }
  }
  return out;
}

export type Sender = 'peer' | 'wrong-origin' | 'wrong-source';

/** The next fuzz input: mostly mutations of `templates`, some unchanged, some random; now and then from the wrong window or origin. */
export function nextInput(r: Rand, templates: readonly object[]): { data: unknown; from: Sender } {
  const roll = r();
  const data = roll < 0.1 ? clone(pick(r, templates)) : roll < 0.85 ? mutate(r, pick(r, templates)) : randomValue(r);
  const from: Sender = r() < 0.9 ? 'peer' : r() < 0.5 ? 'wrong-origin' : 'wrong-source';
  return { data, from };
}
