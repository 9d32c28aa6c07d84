// A gateway whose SIP trunk is SIPp on loopback, SIPp playing that trunk, and a dialer that speaks the
// WebSocket protocol (docs/protocol.md) without a browser: how the specs that place real SIP calls
// (audio, carrier, drain, operations) start them, written once.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { startSippTrunk } from '../../bench/lib.mjs';
import { HOST_ORIGIN } from './constants.mjs';
import { createUser, startGateway, stopPid } from './gateway.mjs';
import { checkSipp, SCENARIO_DIR } from './sipp.mjs';

/**
 * Starts a gateway (startGateway) whose trunk is `sip:127.0.0.1:<trunkPort>`, with SIP on `sipPort` and RTP
 * in `rtpPorts`, the host page's origin allowed and the demo site off, then creates `users`
 * (`{ username: { password, display_name, extension, number } }`). `env` and the other options (dataDir,
 * adminKey) go to startGateway.
 */
export async function startTrunkedGateway({ name, httpPort, sipPort, trunkPort, rtpPorts, workDir, env = {}, users = {}, ...rest }) {
  const gateway = await startGateway({
    httpPort, demoPort: 0, allowedOrigins: [HOST_ORIGIN], workDir, name, ...rest,
    env: {
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${trunkPort}`,
      DIALER_SIP_PORT: String(sipPort),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_RTP_PORTS: rtpPorts,
      ...env,
    },
  });
  try {
    for (const [username, user] of Object.entries(users)) await createUser(gateway, { username, ...user });
  } catch (e) {
    await stopPid(gateway.pid);
    throw e;
  }
  return gateway;
}

/**
 * One trunked gateway for a whole spec file (startTrunkedGateway's options), with Playwright hooks: started
 * before its tests (SIPp checked, the work directory made), what a test hands to `cleanup` undone after it
 * (last first, failures ignored), stopped after the last. Call at the top level of the spec.
 */
export function trunkedGatewayForFile(test, options) {
  let gateway;
  let cleanups = [];
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    checkSipp();
    mkdirSync(options.workDir, { recursive: true });
    gateway = await startTrunkedGateway(options);
  });
  test.afterEach(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups = [];
  });
  test.afterAll(async () => {
    if (gateway) await stopPid(gateway.pid);
  });
  return { cleanup: (fn) => cleanups.push(fn) };
}

/**
 * SIPp as the trunk, for `calls` calls of `e2e/sipp/<scenario>.xml`, kept by its PID (bench/lib.mjs
 * startSippTrunk); its errors go to `<workDir>/trunk_errors.log`.
 */
export function startUasTrunk({ scenario, port, mediaPort, calls, workDir }) {
  const errorLog = path.join(workDir, 'trunk_errors.log');
  return startSippTrunk({
    args: ['-sf', path.join(SCENARIO_DIR, `${scenario}.xml`), '-i', '127.0.0.1', '-p', String(port),
      '-mi', '127.0.0.1', '-mp', String(mediaPort), '-m', String(calls), '-nostdin',
      '-trace_err', '-error_file', errorLog],
    port, cwd: workDir, errorLog,
  });
}

/** A browser's WebRTC offer whose audio never connects (nobody answers its ICE): the SIP call is real. */
export const OFFER = [
  'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 0 8 101', 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:wsd1', 'a=ice-pwd:wsdialerwsdialerwsdialer',
  'a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99',
  'a=setup:actpass', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000', '',
].join('\r\n');

/** A dialer over the WebSocket protocol: requests with ids, the states of the calls it is sent, its close code. */
export class WsDialer {
  #next = 0;
  #pending = new Map();
  /** call id → the states it was sent, in order */
  states = new Map();
  /** the WebSocket close code, null while open */
  closeCode = null;

  constructor(ws) {
    this.ws = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'response') this.#pending.get(frame.id)?.(frame);
      if (frame.type === 'event' && frame.event.type === 'callStateChanged') {
        const c = frame.event.call;
        this.states.set(c.id, [...(this.states.get(c.id) ?? []), c.state]);
      }
    });
    ws.on('close', (code) => (this.closeCode = code));
  }

  /** Connects to the gateway at `url`, says hello as device `<prefix>-<random>`, signs in with `token`. */
  static async open(url, token, prefix = 'ws') {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, { origin: url });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const d = new WsDialer(ws);
    await d.call('hello', { protocol: 1, device: `${prefix}-${randomBytes(4).toString('hex')}` });
    await d.call('signInWithToken', { token });
    return d;
  }

  /** The response frame: `{ ok, result }` or `{ ok: false, error }`; rejects after 15 s without one. */
  request(method, params) {
    const id = `r${this.#next++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no response`)), 15_000);
      this.#pending.set(id, (frame) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        resolve(frame);
      });
      this.ws.send(JSON.stringify({ v: 1, type: 'request', id, method, params }));
    });
  }

  /** The result of a request that must succeed; rejects with the error frame otherwise. */
  async call(method, params) {
    const frame = await this.request(method, params);
    if (!frame.ok) throw new Error(`${method}: ${JSON.stringify(frame.error)}`);
    return frame.result;
  }

  /** Waits until call `callId` has been sent `state`. */
  async waitForState(callId, state, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(this.states.get(callId) ?? []).includes(state)) {
      if (Date.now() > deadline) {
        throw new Error(`call ${callId} not ${state} within ${timeoutMs} ms; states ${JSON.stringify(this.states.get(callId) ?? [])}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close() {
    this.ws.close();
  }
}
