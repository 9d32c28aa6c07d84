// Operating the gateway, end to end: Prometheus metrics scraped during real calls (SIPp is the trunk) and
// checked with promtool and against what the test did; call webhooks that reach a receiver that was down
// while the calls happened and while the gateway was stopped (SIGTERM) and killed (SIGKILL) the moment a
// call was answered, verified with the Standard Webhooks authors' own library. The dialer here is a
// WebSocket client speaking the protocol (docs/protocol.md) with a WebRTC offer whose audio never
// connects: the calls are real SIP calls.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import {
  OPS_HTTP_PORT,
  OPS_METRICS_PORT,
  OPS_RTP_PORTS,
  OPS_SIP_PORT,
  OPS_TRUNK_MEDIA_PORT,
  OPS_TRUNK_PORT,
  OPS_WEBHOOK_PORT,
} from '../support/constants.mjs';
import { admin, signalAndWait, stopPid } from '../support/gateway.mjs';
import { OFFER, startTrunkedGateway, startUasTrunk, WsDialer } from '../support/sip-gateway.mjs';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/operations');
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const FAR_END = '+12025550143';

test.describe.configure({ timeout: 180_000 });

/** The Standard Webhooks receiver: every delivery verified by the spec authors' library, or refused with 400. */
function startReceiver() {
  const verifier = new Webhook(SECRET);
  const got: Array<{ id: string; type: string; call: any }> = [];
  const refused: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        const payload = verifier.verify(body, req.headers as Record<string, string>) as any;
        got.push({ id: String(req.headers['webhook-id']), type: payload.type, call: payload.data.call });
        res.writeHead(204).end();
      } catch (e) {
        refused.push(String(e));
        res.writeHead(400).end();
      }
    });
  });
  return new Promise<{ server: Server; got: typeof got; refused: string[] }>((resolve) =>
    server.listen(OPS_WEBHOOK_PORT, '127.0.0.1', () => resolve({ server, got, refused })),
  );
}

async function scrape(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${OPS_METRICS_PORT}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

test('metrics during calls pass promtool and count what happened; webhooks of every call arrive after the receiver, the gateway (SIGTERM, SIGKILL right after an answer and a hang-up) and the calls were down', async () => {
  mkdirSync(WORK_DIR, { recursive: true });
  const trunk = await startUasTrunk({ scenario: 'uas-answer-wait-bye', port: OPS_TRUNK_PORT, mediaPort: OPS_TRUNK_MEDIA_PORT, calls: 50, workDir: WORK_DIR });
  const options = {
    httpPort: OPS_HTTP_PORT, sipPort: OPS_SIP_PORT, trunkPort: OPS_TRUNK_PORT, rtpPorts: OPS_RTP_PORTS, workDir: WORK_DIR,
    env: {
      DIALER_METRICS_PORT: String(OPS_METRICS_PORT),
      DIALER_WEBHOOK_URL: `http://127.0.0.1:${OPS_WEBHOOK_PORT}/hooks`, DIALER_WEBHOOK_SECRET: SECRET,
    },
  };
  let gateway = await startTrunkedGateway({
    ...options, name: 'ops-1',
    users: { ops: { password: `pw-${randomBytes(8).toString('hex')}`, display_name: 'Ops Agent', extension: '601', number: '+12025550160' } },
  });
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  const placed: string[] = [];
  const place = async (d: WsDialer) => {
    const { call_id } = await d.call('placeCall', { to: FAR_END, sdp: OFFER });
    placed.push(call_id);
    await d.waitForState(call_id, 'answered');
    return call_id as string;
  };
  try {
    const token = async () => (await admin(gateway, 'POST', '/api/v1/users/ops/tokens')).body.token as string;
    let dialer = await WsDialer.open(gateway.url, await token(), 'ops');

    // Three calls, answered and hung up, with nothing listening on the webhook port.
    for (let i = 0; i < 3; i++) {
      const callId = await place(dialer);
      if (i === 2) {
        // A scrape taken while a call is up: valid for promtool, and one call live.
        const during = await scrape();
        const check = spawnSync('promtool', ['check', 'metrics'], { input: during, encoding: 'utf8' });
        expect(check.status, check.stdout + check.stderr).toBe(0);
        expect(value(during, 'dialer_calls_live')).toBe(1);
        expect(value(during, 'dialer_dialers_connected')).toBe(1);
      }
      await dialer.call('hangUp', { call_id: callId });
      await dialer.waitForState(callId, 'disconnected');
    }
    const after = await scrape();
    expect(value(after, 'dialer_calls_started_total{direction="outbound"}')).toBe(3);
    expect(value(after, 'dialer_calls_ended_total{direction="outbound",end_reason="local_hangup",result="answered"}')).toBe(3);
    expect(value(after, 'dialer_calls_live')).toBe(0);
    expect(value(after, 'dialer_sip_responses_total{method="INVITE",status="200"}')).toBe(3);
    expect(value(after, 'dialer_sign_ins_total{method="signInWithToken",outcome="ok"}')).toBe(1);
    expect(value(after, 'dialer_place_call_to_invite_seconds_count')).toBe(3);
    expect(value(after, 'dialer_answer_to_event_seconds_count')).toBe(3);
    expect(value(after, 'dialer_webhook_queue_depth')).toBeGreaterThan(0);
    expect(after).not.toContain(FAR_END);
    expect(after).not.toContain('"ops"');

    // A call up when the gateway is stopped (SIGTERM ends it with gateway_shutdown)...
    await place(dialer);
    dialer.close();
    expect(await signalAndWait(gateway.pid, 'SIGTERM', 30_000)).toBe(true);

    // ...then one hung up and one up when the gateway is killed the moment the dialer has seen it answered
    // (the restart ends it with gateway_restart). The webhook rows are written before a dialer is told of a
    // state, and H2 writes each commit before it returns (WRITE_DELAY=0): nothing may be lost, no wait here.
    gateway = await startTrunkedGateway({ ...options, name: 'ops-2', dataDir: gateway.dataDir, adminKey: gateway.adminKey });
    dialer = await WsDialer.open(gateway.url, await token(), 'ops');
    const hungUp = await place(dialer);
    await dialer.call('hangUp', { call_id: hungUp });
    await dialer.waitForState(hungUp, 'disconnected');
    await place(dialer);
    expect(await signalAndWait(gateway.pid, 'SIGKILL', 10_000)).toBe(true);
    dialer.close();

    receiver = await startReceiver();
    gateway = await startTrunkedGateway({ ...options, name: 'ops-3', dataDir: gateway.dataDir, adminKey: gateway.adminKey });
    const got = receiver.got;
    await expect
      .poll(() => got.filter((g) => g.type === 'call.ended').length, {
        timeout: 60_000,
        message: `placed ${JSON.stringify(placed)}; received ${JSON.stringify(got.map((g) => [g.type, g.call.id]))}`,
      })
      .toBe(placed.length);
    expect(receiver.refused).toEqual([]);
    for (const id of placed) {
      const events = got.filter((g) => g.call.id === id);
      // At least once: a retry may repeat a delivery (same webhook-id), never reorder a call's events.
      const unique = events.filter((e, i) => events.findIndex((f) => f.id === e.id) === i);
      expect(unique.map((e) => e.type), id).toEqual(['call.started', 'call.answered', 'call.ended']);
      const ended = unique[2]!.call;
      expect(ended.user).toEqual({ username: 'ops', extension: '601', number: '+12025550160' });
      expect(ended.to).toBe(FAR_END);
      expect(ended.direction).toBe('outbound');
      expect(typeof ended.duration).toBe('number');
    }
    const reasons = placed.map((id) => got.find((g) => g.call.id === id && g.type === 'call.ended')!.call.end_reason);
    expect(reasons).toEqual(['local_hangup', 'local_hangup', 'local_hangup', 'gateway_shutdown', 'local_hangup', 'gateway_restart']);
    const left = await admin(gateway, 'GET', '/api/v1/webhooks/deliveries');
    expect(left.status).toBe(200);
    expect(left.body.deliveries).toEqual([]);
  } finally {
    await stopPid(gateway.pid);
    await trunk.stop();
    receiver?.server.close();
  }
});
