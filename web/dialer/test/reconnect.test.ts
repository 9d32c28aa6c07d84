import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isWsResumeParams } from '@opendialer/protocol';
import { signedIn, start, type FakeGateway } from './fake-gateway';
import { STORAGE_KEY } from '../src/auth';
import { DEVICE_KEY } from '../src/device-id';
import { wireCall } from './wire-call';

type Answers = Record<string, (p: Record<string, unknown>) => object>;
const deviceOf = (socket: FakeGateway) => socket.sent.find((m) => m.method === 'hello')!.params.device;
const answeredAt = '2026-11-24T10:00:02.000Z';

/** A dialer restored from a stored session; `resume` answers run `replay` (events sent before the answer). */
async function restored(answers: Answers = {}, replay: (params: Record<string, unknown>, socket: FakeGateway) => void = () => {}) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ token: 'tok', expires_at: '2030-01-01T00:00:00Z' }));
  const dialer = start({
    resume: (p) => {
      replay(p, dialer.gateway());
      return signedIn('tok');
    },
    ...answers,
  });
  await dialer.app.handleHostRequest('getAuthState', {});
  return dialer;
}

/** Drops the WebSocket and waits for the dialer's next one to be handshaken. */
async function reconnect(dialer: { gateway(): FakeGateway; app: { handleHostRequest(m: string, p: object): Promise<unknown> } }) {
  const socket = dialer.gateway();
  socket.readyState = 3;
  socket.onclose?.({});
  await vi.waitFor(() => expect(dialer.gateway()).not.toBe(socket), { timeout: 3000 });
  await dialer.app.handleHostRequest('getAuthState', {});
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

describe('hello device', () => {
  it('sends a 22-character base64url device id, the same from every dialer that shares localStorage', async () => {
    const first = start({});
    await first.app.handleHostRequest('getAuthState', {});
    const second = start({});
    await second.app.handleHostRequest('getAuthState', {});
    const id = deviceOf(first.gateway());
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(deviceOf(second.gateway())).toBe(id);
    expect(localStorage.getItem(DEVICE_KEY)).toBe(id);
  });

  it('keeps the id across reconnects', async () => {
    const dialer = await restored();
    const id = deviceOf(dialer.gateway());
    await reconnect(dialer);
    expect(deviceOf(dialer.gateway())).toBe(id);
  });

  it('without storage, each dialer instance has an id of its own', async () => {
    const a = start({}, { storage: null });
    const b = start({}, { storage: null });
    await a.app.handleHostRequest('getAuthState', {});
    await b.app.handleHostRequest('getAuthState', {});
    expect(deviceOf(a.gateway())).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(deviceOf(b.gateway())).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(deviceOf(a.gateway())).not.toBe(deviceOf(b.gateway()));
  });

  it('replaces a stored value that is not a valid device id', async () => {
    localStorage.setItem(DEVICE_KEY, 'not valid!');
    const dialer = start({});
    await dialer.app.handleHostRequest('getAuthState', {});
    expect(deviceOf(dialer.gateway())).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(localStorage.getItem(DEVICE_KEY)).toBe(deviceOf(dialer.gateway()));
  });
});

describe('resume after a reconnect', () => {
  it('lists the calls shown that have not ended, with the last seq of each', async () => {
    const dialer = await restored();
    expect(dialer.gateway().sent.find((m) => m.method === 'resume')!.params).toEqual({ session_token: 'tok' });
    const gw = dialer.gateway();
    gw.event({ type: 'callStateChanged', call: wireCall() });
    gw.event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: answeredAt, seq: 2 }) });
    gw.event({ type: 'callStateChanged', call: wireCall({ id: 'call-2', seq: 1 }) });
    gw.event({
      type: 'callStateChanged',
      call: wireCall({ id: 'call-2', state: 'disconnected', result: 'not_answered', end_time: answeredAt, end_reason: 'busy', seq: 2 }),
    });
    gw.event({ type: 'callStateChanged', call: wireCall({ id: 'in-3', direction: 'inbound', seq: 4 }) });
    await reconnect(dialer);
    const params = dialer.gateway().sent.find((m) => m.method === 'resume')!.params;
    expect(params).toEqual({ session_token: 'tok', calls: [{ call_id: 'call-1', seq: 2 }, { call_id: 'in-3', seq: 4 }] });
    expect(isWsResumeParams(params)).toBe(true);
  });

  it('shows and forwards each missed state once: a replayed seq the dialer already has is dropped', async () => {
    let replays = 0;
    const dialer = await restored({}, (_p, socket) => {
      if (replays++ === 0) return;
      // What the gateway replays: a state this dialer has (seq 2) and the one it missed (seq 3).
      socket.event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: answeredAt, seq: 2 }) });
      socket.event({
        type: 'callStateChanged',
        call: wireCall({ state: 'disconnected', result: 'answered', answer_time: answeredAt, end_time: answeredAt, end_reason: 'remote_hangup', seq: 3 }),
      });
      socket.event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: answeredAt, seq: 2 }) });
    });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: answeredAt, seq: 2 }) });
    await reconnect(dialer);
    const seqs = dialer.events.filter((e) => e.type === 'callStateChanged').map((e) => (e.call as { seq: number }).seq);
    expect(seqs).toEqual([2, 3]);
    expect(dialer.root.querySelector('.call-status')?.textContent).toBe('Call ended — the other party hung up');
  });
});
