// A dialer for the benchmarks that speaks docs/protocol.md over a WebSocket (the `ws` package of e2e/):
// no browser, so one Node process can hold many of them. Also SIPp's message log → INVITE times.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../e2e/support/gateway.mjs';
import { OFFER } from '../e2e/support/sip-gateway.mjs';

const WebSocket = createRequire(path.join(REPO_ROOT, 'e2e/package.json'))('ws');

/** Epoch ms with sub-ms resolution (the host clock SIPp's log also reads). */
export const now = () => performance.timeOrigin + performance.now();

/** A WebRTC offer whose audio never connects: the gateway answers it and places the call as a browser's. */
export { OFFER };

/** `onCall(call, t)` sees every callStateChanged with its arrival time; `waitFor` takes it over until it resolves. */
export class WsDialer {
  next = 0;
  pending = new Map();
  onCall = () => {};
  closedWith = null;
  constructor(ws) {
    this.ws = ws;
    ws.on('message', (data) => {
      const t = now();
      const frame = JSON.parse(String(data));
      if (frame.type === 'response') this.pending.get(frame.id)?.(frame);
      if (frame.type === 'event' && frame.event.type === 'callStateChanged') this.onCall(frame.event.call, t);
    });
    ws.on('close', (code) => (this.closedWith = code));
  }
  /** Opens `<url>/ws` (Origin: url), says hello and signs in with a token from the admin API. */
  static async open(url, token) {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, { origin: url, perMessageDeflate: false });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const d = new WsDialer(ws);
    await d.request('hello', { protocol: 1, device: `bench-${randomBytes(4).toString('hex')}` });
    await d.request('signInWithToken', { token });
    return d;
  }
  request(method, params, timeoutMs = 15_000) {
    const id = `r${this.next++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no response in ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, (frame) => {
        clearTimeout(timer);
        this.pending.delete(id);
        frame.ok ? resolve(frame.result) : reject(new Error(`${method}: ${JSON.stringify(frame.error)}`));
      });
      this.ws.send(JSON.stringify({ v: 1, type: 'request', id, method, params }));
    });
  }
  /** Resolves with the first call event `pred` accepts (and its time). */
  waitFor(pred, what, timeoutMs = 15_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.onCall = (call, t) => {
        if (pred(call)) {
          clearTimeout(timer);
          this.onCall = () => {};
          resolve({ call, t });
        }
      };
    });
  }
  close() {
    this.ws.terminate();
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Places `count` calls to `to` one at a time: each is answered (the trunk's doing), hung up, and 50 ms pass
 * before the next. Returns when each placeCall was sent (epoch ms), in order: the start of placeCall → INVITE.
 */
export async function placeOneAtATime(dialer, count, to) {
  const placed = [];
  for (let i = 0; i < count; i++) {
    const answered = dialer.waitFor((c) => c.state === 'answered' || c.state === 'disconnected', `answered (call ${i})`);
    answered.catch(() => {}); // awaited below unless placeCall fails first
    const t = now();
    const { call_id } = await dialer.request('placeCall', { to, sdp: OFFER });
    const { call } = await answered;
    if (call.state !== 'answered') throw new Error(`outbound call ${i} ended: ${call.end_reason}`);
    const ended = dialer.waitFor((c) => c.state === 'disconnected', `disconnected (call ${i})`);
    await dialer.request('hangUp', { call_id });
    await ended;
    placed.push(t);
    await sleep(50);
  }
  return placed;
}

/** SIPp's message log → the first `direction` ("received" / "sent") INVITE per Call-ID, epoch ms, in order. */
export function inviteTimes(file, direction) {
  const text = readFileSync(file, 'utf8');
  const seen = new Map();
  for (const block of text.split(/^-{20,} (?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\s*$)/m).slice(1)) {
    const m = block.match(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{6})\s*\n(\w+) message (received|sent)/);
    if (!m || m[5] !== direction) continue;
    const lines = block.split('\n').map((l) => l.trim());
    if (!(lines.find((l) => /^(SIP\/2\.0 \d{3}|[A-Z]+ sip:)/.test(l)) || '').startsWith('INVITE ')) continue;
    const callId = (lines.find((l) => /^(Call-ID|i):/i.test(l)) || '').replace(/^[^:]+:\s*/, '');
    // A sent INVITE carries SIPp's clock from before the write (X-Bench-Written); the log's stamp may come later.
    const stamp = (lines.find((l) => /^X-Bench-Written:/i.test(l)) || '').match(/(\d{9,})\.(\d{6})\s*$/);
    const t = stamp ? Number(stamp[1]) * 1000 + Number(stamp[2]) / 1000 : Date.parse(`${m[1]}T${m[2]}Z`) + Number(m[3]) / 1000;
    if (callId && !seen.has(callId)) seen.set(callId, t);
  }
  return [...seen.values()];
}
