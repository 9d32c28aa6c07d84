// Draining a gateway node, end to end on the real jar: with a call up (SIPp is the trunk), SIGTERM makes
// /healthz answer 503 "draining", a new placeCall is refused (node_draining), an inbound INVITE gets 503
// (so a SIP edge tries another node), the call that is up goes on, and the process exits by itself once
// that call has ended. The dialer is a WebSocket client speaking the protocol (docs/protocol.md).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { admin, stopPid } from '../support/gateway.mjs';
import { startSipp } from '../support/sipp.mjs';
import { OFFER, startTrunkedGateway, startUasTrunk, WsDialer } from '../support/sip-gateway.mjs';

// This spec's ports: offsets 1600-1639 of E2E_PORT_BASE (the users/cluster block 1600-1699).
const BASE = Number(process.env.E2E_PORT_BASE || 18080);
const HTTP_PORT = BASE + 1600;
const SIP_PORT = BASE + 1601;
const TRUNK_PORT = BASE + 1602;
const TRUNK_MEDIA_PORT = BASE + 1604; // SIPp binds +1604 to +1607
const CALLER_PORT = BASE + 1608;
const CALLER_MEDIA_PORT = BASE + 1610; // SIPp binds +1610 to +1613
const WEBRTC_PORT = BASE + 1614;
const RTP_PORTS = `${BASE + 1620}-${BASE + 1639}`;

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/drain');

test.describe.configure({ timeout: 180_000 });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function healthz(url: string) {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: await res.json() };
}

test('SIGTERM with a call up: /healthz says draining, new calls are refused (placeCall and INVITE 503), the call goes on, and the node exits when it ends', async () => {
  mkdirSync(WORK_DIR, { recursive: true });
  const trunk = await startUasTrunk({ scenario: 'uas-answer-wait-bye', port: TRUNK_PORT, mediaPort: TRUNK_MEDIA_PORT, calls: 1, workDir: WORK_DIR });
  const gateway = await startTrunkedGateway({
    httpPort: HTTP_PORT, sipPort: SIP_PORT, trunkPort: TRUNK_PORT, rtpPorts: RTP_PORTS, workDir: WORK_DIR, name: 'drain',
    env: {
      DIALER_PUBLIC_ADDRESS: '127.0.0.1', DIALER_WEBRTC_PORT: String(WEBRTC_PORT),
      // The call's audio never connects (no browser): these timers must not end it during the test.
      DIALER_MEDIA_CONNECT_TIMEOUT_S: '300', DIALER_RTP_TIMEOUT_S: '300',
      DIALER_NODE_NAME: 'drain-node', DIALER_DRAIN_TIMEOUT_S: '150',
    },
    users: { drainer: { password: `pw-${randomBytes(8).toString('hex')}`, display_name: 'Drain Agent', extension: '1661' } },
  });
  let caller: Awaited<ReturnType<typeof startSipp>> | undefined;
  let dialer: WsDialer | undefined;
  try {
    const token = (await admin(gateway, 'POST', '/api/v1/users/drainer/tokens')).body.token as string;
    dialer = await WsDialer.open(gateway.url, token, 'drain');
    const d = dialer;
    await expect.poll(async () => (await healthz(gateway.url)).body).toEqual({ status: 'ok', node: 'drain-node', dialers: 1, calls: 0 });

    const placed = await d.request('placeCall', { to: '+12025550143', sdp: OFFER });
    expect(placed.ok, JSON.stringify(placed)).toBe(true);
    const callId = placed.result.call_id as string;
    await expect.poll(() => d.states.get(callId) ?? [], { timeout: 15_000 }).toContain('answered');

    process.kill(gateway.pid, 'SIGTERM');
    await expect.poll(async () => await healthz(gateway.url), { timeout: 15_000 })
      .toEqual({ status: 503, body: expect.objectContaining({ status: 'draining', node: 'drain-node', calls: 1 }) });

    const refused = await d.request('placeCall', { to: '+12025550144', sdp: OFFER });
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('node_draining');

    caller = await startSipp({ scenario: 'uac-expect-503', port: CALLER_PORT, mediaPort: CALLER_MEDIA_PORT,
      remote: `127.0.0.1:${SIP_PORT}`, service: '1661', logDir: WORK_DIR, name: 'drain-caller' });
    expect(await caller.finished(20_000), caller.log()).toBe(0);

    // The call that was up goes on: still answered, the trunk has not been sent a BYE, the node runs.
    expect(d.states.get(callId)).not.toContain('disconnected');
    expect((await trunk.finished(0)).code).toBe('timeout');
    expect(alive(gateway.pid)).toBe(true);
    expect(d.closeCode, 'a dialer with a call here stays connected').toBeNull();

    const hungUp = await d.request('hangUp', { call_id: callId });
    expect(hungUp.ok, JSON.stringify(hungUp)).toBe(true);
    await expect.poll(() => alive(gateway.pid), { timeout: 30_000, message: 'the node exits once its call ended' }).toBe(false);
    // Before it went, it told the dialer to reconnect elsewhere (a placeCall meanwhile is retried there).
    await expect.poll(() => d.closeCode, { timeout: 5_000 }).toBe(1012);
    expect((await trunk.finished(10_000)).code, 'the trunk got its BYE').toBe(0);
    const log = readFileSync(gateway.logFile, 'utf8');
    expect(log).toContain('SIGTERM: draining');
    expect(log).toContain('draining: no call left: stopping');
    expect(log).not.toContain('gateway_shutdown');
  } finally {
    dialer?.close();
    await caller?.stop();
    await stopPid(gateway.pid);
    await trunk.stop();
  }
});
