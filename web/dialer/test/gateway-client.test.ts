import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, GatewayClient, type SocketLike } from '../src/gateway-client';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Array<Record<string, unknown>> = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor() {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(id: unknown, body: Record<string, unknown>) {
    this.onmessage?.({ data: JSON.stringify({ v: 1, type: 'response', id, ...body }) });
  }
}

function client(opts: Partial<ConstructorParameters<typeof GatewayClient>[0]> = {}) {
  const states: string[] = [];
  const c = new GatewayClient({
    url: 'ws://gw/ws',
    createSocket: () => new FakeSocket(),
    random: () => 0.5,
    onConnected: async () => {},
    onEvent: () => {},
    onStateChange: (s) => states.push(s),
    ...opts,
  });
  return { c, states };
}

describe('backoffDelay', () => {
  it('starts at 0.5 s, doubles, caps at 30 s (protocol.md part 5)', () => {
    const middle = [0, 1, 2, 3, 4, 5, 6, 7, 10, 100, 5000].map((n) => backoffDelay(n, () => 0.5));
    expect(middle).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000]);
  });
  it('jitters within ±20 %', () => {
    expect([0, 3, 6].map((n) => backoffDelay(n, () => 0))).toEqual([400, 3200, 24000]);
    expect([0, 3, 6].map((n) => backoffDelay(n, () => 1))).toEqual([600, 4800, 36000]);
  });
});

describe('GatewayClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  it('checks an idle connection with hello every 25 s; no answer within 10 s: disconnected, and a new socket is tried', async () => {
    const { c, states } = client();
    c.start();
    FakeSocket.all[0].open();
    await vi.advanceTimersByTimeAsync(0);
    expect(states).toEqual(['connecting', 'connected']);
    await vi.advanceTimersByTimeAsync(25_000);
    const first = FakeSocket.all[0];
    expect(first.sent.map((m) => m.method)).toEqual(['hello']);
    first.reply(first.sent[0].id, { ok: true, result: { protocol: 1, server: 'opendialer', version: 't' } });
    await vi.advanceTimersByTimeAsync(25_000);
    expect(first.sent.map((m) => m.method)).toEqual(['hello', 'hello']);
    expect(states[states.length - 1]).toBe('connected'); // the first one was answered
    await vi.advanceTimersByTimeAsync(9_999);
    expect(states[states.length - 1]).toBe('connected');
    await vi.advanceTimersByTimeAsync(1);
    expect(states[states.length - 1]).toBe('disconnected');
    expect(first.readyState).toBe(3);
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(first.sent).toHaveLength(2); // nothing more on the dead socket
    c.stop();
  });

  it('reconnects after 500, 1000, 2000 … ms (random 0.5) up to 30 s and resets after a successful connect', async () => {
    const { c } = client();
    c.start();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = FakeSocket.all.length;
      FakeSocket.all[before - 1].close();
      const start = Date.now();
      while (FakeSocket.all.length === before) await vi.advanceTimersByTimeAsync(1);
      delays.push(Date.now() - start);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000]);

    FakeSocket.all[FakeSocket.all.length - 1].open();
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[FakeSocket.all.length - 1].close();
    await vi.advanceTimersByTimeAsync(499);
    const count = FakeSocket.all.length;
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all.length).toBe(count + 1);
  });

  it('holds a request until the socket is open and the handshake is done', async () => {
    const { c, states } = client({ onConnected: (cl) => cl.send('hello', { protocol: 1 }).then(() => {}) });
    c.start();
    const result = c.request('placeCall', { to: '+16502530000' });
    const socket = FakeSocket.all[0];
    await vi.advanceTimersByTimeAsync(2000);
    socket.open();
    expect(socket.sent.map((m) => m.method)).toEqual(['hello']);
    socket.reply(socket.sent[0].id, { ok: true, result: { protocol: 1 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.sent.map((m) => m.method)).toEqual(['hello', 'placeCall']);
    expect(socket.sent[1]).toMatchObject({ v: 1, type: 'request', params: { to: '+16502530000' } });
    socket.reply(socket.sent[1].id, { ok: true, result: { call_id: 'c1' } });
    await expect(result).resolves.toEqual({ call_id: 'c1' });
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('rejects a request with ConnectionError when the socket does not open within 10 s', async () => {
    const { c } = client();
    c.start();
    const result = c.request('placeCall', { to: '1' });
    const check = expect(result).rejects.toMatchObject({ errorName: 'ConnectionError' });
    await vi.advanceTimersByTimeAsync(10_000);
    await check;
  });

  it('rejects a request the gateway does not answer within 30 s with ConnectionError', async () => {
    const { c } = client();
    c.start();
    FakeSocket.all[0].open();
    await vi.advanceTimersByTimeAsync(0);
    const result = c.request('placeCall', { to: '1' });
    const check = expect(result).rejects.toMatchObject({ errorName: 'ConnectionError' });
    await vi.advanceTimersByTimeAsync(29_999);
    let settled = false;
    result.catch(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await check;
  });

  it('maps gateway error codes to SDK error names and keeps the message', async () => {
    const { c } = client();
    c.start();
    const socket = FakeSocket.all[0];
    socket.open();
    await vi.advanceTimersByTimeAsync(0);
    const a = c.request('placeCall', { to: 'abc' });
    const b = c.request('placeCall', { to: '+16502530000' });
    await vi.advanceTimersByTimeAsync(0);
    socket.reply(socket.sent[0].id, { ok: false, error: { code: 'invalid_phone_number', message: 'Not a number.' } });
    socket.reply(socket.sent[1].id, { ok: false, error: { code: 'calls_unavailable', message: 'Calls are not available yet.' } });
    await expect(a).rejects.toMatchObject({ errorName: 'InvalidPhoneNumberError', message: 'Not a number.', code: 'invalid_phone_number' });
    await expect(b).rejects.toMatchObject({ errorName: 'Net2PhoneDialerError', code: 'calls_unavailable' });
  });

  it('fails in-flight requests with ConnectionError when the socket closes, then reconnects', async () => {
    const { c, states } = client();
    c.start();
    FakeSocket.all[0].open();
    await vi.advanceTimersByTimeAsync(0);
    const r = c.request('signOut');
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[0].close();
    await expect(r).rejects.toMatchObject({ errorName: 'ConnectionError' });
    expect(states).toEqual(['connecting', 'connected', 'disconnected']);
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeSocket.all.length).toBe(2);
  });

  it('after close 4001 (signed out too long) stays quiet, then reconnects when a request needs the gateway', async () => {
    const { c, states } = client();
    c.start();
    FakeSocket.all[0].open();
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[0].onclose?.({ code: 4001 });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.all.length).toBe(1);
    expect(states).toEqual(['connecting', 'connected']);

    const r = c.request('signIn', { username: 'a', password: 'b' });
    expect(FakeSocket.all.length).toBe(2);
    FakeSocket.all[1].open();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeSocket.all[1].sent.map((m) => m.method)).toEqual(['signIn']);
    FakeSocket.all[1].reply(FakeSocket.all[1].sent[0].id, { ok: false, error: { code: 'rate_limited', message: 'Too many sign-in attempts from your address. Try again in 5 s.' } });
    await expect(r).rejects.toMatchObject({ errorName: 'AuthenticationError', code: 'rate_limited' });
  });

  it('treats any other close code as a lost connection', async () => {
    const { c, states } = client();
    c.start();
    FakeSocket.all[0].open();
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[0].onclose?.({ code: 1008 });
    expect(states).toEqual(['connecting', 'connected', 'disconnected']);
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeSocket.all.length).toBe(2);
  });
});

describe('GatewayClient in a cluster (docs/decisions/0021)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  it('reconnects with ?node=<name> when the gateway closes with 4009 naming the node of the live call', async () => {
    const urls: string[] = [];
    const { c } = client({ createSocket: (url: string) => (urls.push(url), new FakeSocket()) });
    c.start();
    FakeSocket.all[0].open();
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[0].onclose?.({ code: 4009, reason: 'node-2' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(urls).toEqual(['ws://gw/ws', 'ws://gw/ws?node=node-2']);
    c.stop();
  });

  it('ignores a 4009 whose reason is not a node name', async () => {
    const urls: string[] = [];
    const { c } = client({ createSocket: (url: string) => (urls.push(url), new FakeSocket()) });
    c.start();
    FakeSocket.all[0].open();
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[0].onclose?.({ code: 4009, reason: 'x/y?z' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(urls).toEqual(['ws://gw/ws', 'ws://gw/ws']);
    c.stop();
  });
});

describe('GatewayClient when a node drains (1012, node_draining: protocol.md part 2)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  async function connected() {
    const urls: string[] = [];
    const { c } = client({ createSocket: (url: string) => (urls.push(url), new FakeSocket()) });
    c.start();
    FakeSocket.all[0].open();
    await vi.advanceTimersByTimeAsync(0);
    return { c, urls };
  }

  it('a placeCall refused node_draining is sent once more on the connection the 1012 close leads to', async () => {
    const { c } = await connected();
    const result = c.requestOnLiveNode('placeCall', { to: '+12025550100', sdp: 'offer' });
    await vi.advanceTimersByTimeAsync(0);
    const first = FakeSocket.all[0];
    first.reply(first.sent[0].id, { ok: false, error: { code: 'node_draining', message: 'shutting down' } });
    await vi.advanceTimersByTimeAsync(300);
    expect(FakeSocket.all).toHaveLength(1); // still on the draining node: nothing sent twice there
    first.onclose?.({ code: 1012, reason: 'restarting' });
    await vi.advanceTimersByTimeAsync(1_000);
    const second = FakeSocket.all[1];
    second.open();
    await vi.advanceTimersByTimeAsync(200);
    expect(first.sent.map((m) => m.method)).toEqual(['placeCall']);
    expect(second.sent.map((m) => [m.method, m.params])).toEqual([['placeCall', { to: '+12025550100', sdp: 'offer' }]]);
    second.reply(second.sent[0].id, { ok: true, result: { call_id: 'c1', sdp: 'answer' } });
    await expect(result).resolves.toEqual({ call_id: 'c1', sdp: 'answer' });
    c.stop();
  });

  it('a placeCall still unanswered when the node closes 1012 is sent again on the next connection', async () => {
    const { c } = await connected();
    const result = c.requestOnLiveNode('placeCall', { to: '+12025550101' });
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[0].onclose?.({ code: 1012, reason: 'restarting' });
    await vi.advanceTimersByTimeAsync(1_000);
    FakeSocket.all[1].open();
    await vi.advanceTimersByTimeAsync(0);
    const second = FakeSocket.all[1];
    expect(second.sent.map((m) => m.method)).toEqual(['placeCall']);
    second.reply(second.sent[0].id, { ok: true, result: { call_id: 'c2' } });
    await expect(result).resolves.toEqual({ call_id: 'c2' });
    c.stop();
  });

  it('retries only once, and only node_draining: a second refusal and other errors reach the caller', async () => {
    const { c } = await connected();
    const other = c.requestOnLiveNode('placeCall', { to: '+12025550102' });
    const otherRejected = expect(other).rejects.toMatchObject({ code: 'calls_unavailable' });
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[0].reply(FakeSocket.all[0].sent[0].id, { ok: false, error: { code: 'calls_unavailable', message: 'no trunk' } });
    await otherRejected;

    const twice = c.requestOnLiveNode('placeCall', { to: '+12025550103' });
    const twiceRejected = expect(twice).rejects.toMatchObject({ code: 'node_draining' });
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[0].onclose?.({ code: 1012, reason: 'restarting' });
    await vi.advanceTimersByTimeAsync(1_000);
    FakeSocket.all[1].open();
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[1].reply(FakeSocket.all[1].sent[0].id, { ok: false, error: { code: 'node_draining', message: 'also draining' } });
    await twiceRejected;
    expect(FakeSocket.all.map((s) => s.sent.filter((m) => m.method === 'placeCall').length)).toEqual([2, 1]);
    c.stop();
  });

  it('gives up with the refusal when the draining node keeps the connection past the open timeout', async () => {
    const { c } = await connected();
    const result = c.requestOnLiveNode('placeCall', { to: '+12025550104' });
    const rejected = expect(result).rejects.toMatchObject({ code: 'node_draining', message: 'busy here' });
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[0].reply(FakeSocket.all[0].sent[0].id, { ok: false, error: { code: 'node_draining', message: 'busy here' } });
    await vi.advanceTimersByTimeAsync(10_500);
    await rejected;
    expect(FakeSocket.all[0].sent.map((m) => m.method)).toEqual(['placeCall']);
    c.stop();
  });

  it('drops the ?node= hint on 1012: the named node is going away', async () => {
    const { c, urls } = await connected();
    FakeSocket.all[0].onclose?.({ code: 4009, reason: 'node2' });
    await vi.advanceTimersByTimeAsync(1_000);
    FakeSocket.all[1].open();
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.all[1].onclose?.({ code: 1012, reason: 'restarting' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(urls).toEqual(['ws://gw/ws', 'ws://gw/ws?node=node2', 'ws://gw/ws']);
    c.stop();
  });
});
