// Transfers the gateway joins itself (protocol.md part 7, decisions/0018): a trunk caller transferred
// blind to a phone number (bridge mode: a second trunk leg, RTP relayed to RTP), and an attended transfer
// of a trunk caller to another user's extension. SIPp plays the caller and the trunk; Node RTP peers are
// their audio, so each tone is checked at the other SIP leg. Its own gateway and ports, E2E_PORT_BASE +
// 1400 to + 1449 (WebRTC and SIP ports set inside that block).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, test, type Browser, type Frame, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, HOST_ORIGIN } from '../support/constants.mjs';
import { createUser, startGateway, stopPid } from '../support/gateway.mjs';
import { checkSipp, startSipp } from '../support/sipp.mjs';
import { startRtpPeer, toneRatio, writeToneWav } from '../support/tone.mjs';
import { expectSignedIn, hear, signIn } from './helpers';

const BASE = Number(process.env.E2E_PORT_BASE || 18080) + 1400;
const HTTP_PORT = BASE;
const WEBRTC_PORT = BASE + 1;
const SIP_PORT = BASE + 2;
const CALLER_PORT = BASE + 4;
const CALLER_MEDIA_PORT = BASE + 6; // SIPp binds +6 to +9
const TRUNK_PORT = BASE + 10;
const TRUNK_MEDIA_PORT = BASE + 12; // +12 to +15
const CALLER_PEER_PORT = BASE + 16;
const TARGET_PEER_PORT = BASE + 18;
const RTP_PORTS = `${BASE + 20}-${BASE + 49}`;
const GATEWAY_URL = `http://127.0.0.1:${HTTP_PORT}`;

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/transfer-bridge');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const AGENT_TONE_HZ = 1000;
const CONSULTED_TONE_HZ = 600;
const CALLER_TONE_HZ = 500;
const NUMBER_TONE_HZ = 750;
const TONE_AGENT = writeToneWav(path.join(WORK_DIR, `tone-${AGENT_TONE_HZ}.wav`), AGENT_TONE_HZ);
const TONE_CONSULTED = writeToneWav(path.join(WORK_DIR, `tone-${CONSULTED_TONE_HZ}.wav`), CONSULTED_TONE_HZ);
const browserArgs = (toneFile: string) => [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${toneFile}`, '--autoplay-policy=no-user-gesture-required'];
const TARGET_NUMBER = '+14155550199';

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: browserArgs(TONE_AGENT) } });
test.describe.configure({ timeout: 120_000 });

const USERS = {
  bridger: { extension: '741', number: '+12025550741' },
  attended: { extension: '742', number: '+12025550742' },
  consulted: { extension: '743', number: '+12025550743' },
  busyTarget: { extension: '744', number: '+12025550744' },
} as const;
type UserName = keyof typeof USERS;
const displayName = (u: string) => `Desk ${u[0]!.toUpperCase()}${u.slice(1)}`;

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
let cleanups: Array<() => Promise<unknown>> = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  checkSipp();
  mkdirSync(WORK_DIR, { recursive: true });
  gateway = await startGateway({
    httpPort: HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'transfer-bridge-gateway',
    env: {
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${TRUNK_PORT}`,
      DIALER_SIP_PORT: String(SIP_PORT),
      DIALER_WEBRTC_PORT: String(WEBRTC_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_RTP_PORTS: RTP_PORTS,
    },
  });
  for (const [username, u] of Object.entries(USERS)) {
    await createUser(gateway, { username, password: PASSWORD, display_name: displayName(username), ...u });
  }
});

test.afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

test.afterAll(async () => {
  if (gateway) await stopPid(gateway.pid);
});

async function agent(browser: Browser, user: UserName) {
  const context = await browser.newContext({ permissions: ['microphone'] });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
  }, GATEWAY_URL);
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${GATEWAY_URL}/dialer/`)))).toBeTruthy();
  await signIn(frame as Frame, user, PASSWORD);
  await expectSignedIn(frame as Frame, displayName(user));
  return { page, frame: frame as Frame };
}

function hostCall(page: Page, method: string, ...args: unknown[]) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => window.dialer[m as string](...(a as unknown[]))),
    [method, args] as const,
  );
}

/** "state/end_reason" of every call event the host page saw, per call id in order of appearance. */
const events = (page: Page) =>
  page.evaluate(() => {
    const byCall = new Map<string, string[]>();
    for (const e of (window as any).calls.list) {
      const list = byCall.get(e.call.id) ?? [];
      list.push(e.call.end_reason ? `${e.call.state}/${e.call.end_reason}` : e.call.state);
      byCall.set(e.call.id, list);
    }
    return [...byCall.values()];
  });
const lastCall = (page: Page) => page.evaluate(() => (window as any).calls.list.at(-1)?.call ?? null);

/** The gateway's RTP port in a SIPp's message log: an m=audio port that is not the SIPp side's own. */
function gatewayPort(log: string, own: number): number | null {
  for (const m of log.matchAll(/m=audio (\d+) RTP\/AVP/g)) if (Number(m[1]) !== own) return Number(m[1]);
  return null;
}

async function sippCaller(user: UserName, peerPort: number, extraArgs: string[] = []) {
  const s = await startSipp({
    scenario: 'uac-media-peer-wait-bye',
    port: CALLER_PORT,
    mediaPort: CALLER_MEDIA_PORT,
    remote: `127.0.0.1:${SIP_PORT}`,
    service: USERS[user].number,
    logDir: WORK_DIR,
    name: `caller-${user}`,
    extraArgs: ['-key', 'peer_port', String(peerPort), '-timeout', '100s', ...extraArgs],
  });
  cleanups.push(() => s.stop());
  return s;
}

test('blind transfer to a phone number: the gateway bridges the caller’s SIP leg to a new trunk leg, each hears the other’s tone, and the agent’s call ends transferred', async ({ browser }) => {
  const desk = await agent(browser, 'bridger');
  const callerPeer = await startRtpPeer(CALLER_PEER_PORT);
  const numberPeer = await startRtpPeer(TARGET_PEER_PORT);
  cleanups.push(() => callerPeer.close(), () => numberPeer.close());
  // The number answers and hangs up 25 s later: its BYE must reach the caller through the bridge.
  const trunk = await startSipp({
    scenario: 'uas-media-peer-bye-later',
    port: TRUNK_PORT,
    mediaPort: TRUNK_MEDIA_PORT,
    logDir: WORK_DIR,
    name: 'number',
    extraArgs: ['-key', 'peer_port', String(TARGET_PEER_PORT), '-d', '25000', '-timeout', '100s'],
  });
  cleanups.push(() => trunk.stop());
  const caller = await sippCaller('bridger', CALLER_PEER_PORT);
  await expect.poll(async () => (await lastCall(desk.page))?.state).toBe('connecting');
  expect(await hostCall(desk.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(() => gatewayPort(caller.log(), CALLER_PEER_PORT), { timeout: 10_000 }).not.toBeNull();
  callerPeer.sendTone('127.0.0.1', gatewayPort(caller.log(), CALLER_PEER_PORT)!, CALLER_TONE_HZ);
  await expect.poll(async () => (await hear(desk.frame, CALLER_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'the agent hears the caller' }).toBeGreaterThan(0.6);

  expect(await hostCall(desk.page, 'transfer', { to: TARGET_NUMBER })).toEqual({ ok: true, result: null });
  expect(await events(desk.page)).toEqual([['connecting', 'answered', 'disconnected/transferred']]);
  expect(trunk.log()).toContain(`INVITE sip:${TARGET_NUMBER}@`);
  const numberSide = gatewayPort(trunk.log(), TARGET_PEER_PORT);
  expect(numberSide).not.toBeNull();
  numberPeer.sendTone('127.0.0.1', numberSide!, NUMBER_TONE_HZ);
  await expect
    .poll(() => toneRatio(numberPeer.audio(Date.now() - 1000), CALLER_TONE_HZ).ratio, { timeout: 15_000, message: 'the number hears the caller' })
    .toBeGreaterThan(0.6);
  await expect
    .poll(() => toneRatio(callerPeer.audio(Date.now() - 1000), NUMBER_TONE_HZ).ratio, { timeout: 15_000, message: 'the caller hears the number' })
    .toBeGreaterThan(0.6);
  expect(await trunk.finished(60_000), trunk.log()).toBe(0);
  expect(await caller.finished(30_000), caller.log()).toBe(0); // the number's BYE, forwarded by the bridge
});

test('blind transfer to a number that is busy at once (486, no 180): transfer() rejects with TransferFailedError and the same call goes on, audio both ways', async ({ browser }) => {
  const desk = await agent(browser, 'busyTarget');
  const callerPeer = await startRtpPeer(CALLER_PEER_PORT);
  cleanups.push(() => callerPeer.close());
  const trunk = await startSipp({ scenario: 'uas-busy', port: TRUNK_PORT, mediaPort: TRUNK_MEDIA_PORT, logDir: WORK_DIR, name: 'busy-number', extraArgs: ['-timeout', '100s'] });
  cleanups.push(() => trunk.stop());
  const caller = await sippCaller('busyTarget', CALLER_PEER_PORT);
  await expect.poll(async () => (await lastCall(desk.page))?.state).toBe('connecting');
  expect(await hostCall(desk.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(() => gatewayPort(caller.log(), CALLER_PEER_PORT), { timeout: 10_000 }).not.toBeNull();
  callerPeer.sendTone('127.0.0.1', gatewayPort(caller.log(), CALLER_PEER_PORT)!, CALLER_TONE_HZ);
  await expect.poll(async () => (await hear(desk.frame, CALLER_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'the agent hears the caller' }).toBeGreaterThan(0.6);

  const failed = (await hostCall(desk.page, 'transfer', { to: TARGET_NUMBER })) as { ok: boolean; classes?: string[]; message?: string };
  expect(failed.ok).toBe(false);
  expect(failed.classes).toContain('TransferFailedError');
  expect(failed.message).toMatch(/busy/);
  expect(await events(desk.page)).toEqual([['connecting', 'answered']]);
  // Audio restored both ways (decisions/0022): the caller hears the agent's tone, the agent the caller's.
  await expect
    .poll(() => toneRatio(callerPeer.audio(Date.now() - 1000), AGENT_TONE_HZ).ratio, { timeout: 15_000, message: 'the caller hears the agent again' })
    .toBeGreaterThan(0.6);
  await expect.poll(async () => (await hear(desk.frame, CALLER_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'the agent hears the caller again' }).toBeGreaterThan(0.6);
  expect(await hostCall(desk.page, 'hangUp')).toEqual({ ok: true, result: null });
  expect(await caller.finished(30_000), caller.log()).toBe(0);
});

test('attended transfer: hold the caller, consult another user’s extension, transfer({ callId, toCallId }) joins them; both of the agent’s calls end transferred', async ({ browser }) => {
  const desk = await agent(browser, 'attended');
  const consultedBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: browserArgs(TONE_CONSULTED) });
  cleanups.push(() => consultedBrowser.close());
  const consulted = await agent(consultedBrowser, 'consulted');
  const caller = await sippCaller('attended', CALLER_MEDIA_PORT, ['-rtp_echo']); // echoes what it hears
  await expect.poll(async () => (await lastCall(desk.page))?.state).toBe('connecting');
  const firstId = (await lastCall(desk.page)).id as string;
  expect(await hostCall(desk.page, 'answer')).toEqual({ ok: true, result: null });
  expect(await hostCall(desk.page, 'hold', true)).toEqual({ ok: true, result: null });
  expect(await hostCall(desk.page, 'placeCall', { to: USERS.consulted.extension })).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(consulted.page))?.state, { timeout: 10_000 }).toBe('connecting');
  expect(await hostCall(consulted.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(desk.page))?.state).toBe('answered');
  const consultationId = (await lastCall(desk.page)).id as string;
  expect(consultationId).not.toBe(firstId);
  await expect(desk.frame.locator('button.join')).toBeVisible(); // the dialer's own way to do it

  expect(await hostCall(desk.page, 'transfer', { callId: firstId, toCallId: consultationId })).toEqual({ ok: true, result: null });
  await expect.poll(() => events(desk.page)).toEqual([
    ['connecting', 'answered', 'disconnected/transferred'],
    ['connecting', 'answered', 'disconnected/transferred'],
  ]);
  // The consulted user now talks to the caller, who echoes their tone back.
  await expect
    .poll(async () => (await hear(consulted.frame, CONSULTED_TONE_HZ, 1000)).ratio, { timeout: 20_000, message: 'the consulted user hears the caller (echo)' })
    .toBeGreaterThan(0.6);
  expect(await hostCall(consulted.page, 'hangUp')).toEqual({ ok: true, result: null });
  expect(await caller.finished(30_000), caller.log()).toBe(0);
  expect(await events(consulted.page)).toEqual([['connecting', 'answered', 'disconnected/local_hangup']]);
});
