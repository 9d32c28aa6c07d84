// Calls that survive faults (protocol.md part 5), end to end: a real gateway, SIPp as the far end's
// signalling and a Node RTP tone peer (its own process) as the far end's media, which plays a 440 Hz
// tone; Chromium's fake microphone plays 1 kHz. Each test breaks one thing — the dialer's
// WebSocket (a TCP proxy cuts it), UDP to the gateway's WebRTC port (iptables), the host page
// (reload), the far end (SIGKILL), the gateway (SIGTERM, SIGKILL and restart on the same data), or
// shares the call between two tabs — and checks what the host page's subscriber received (every
// state change exactly once, in order, with its end_reason) and whether the far end's tone is heard
// in the dialer frame.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type BrowserContext, type Frame, type Page } from '@playwright/test';
import {
  CHROMIUM_ARGS,
  FAULTS_CALLER_MEDIA_PORT,
  FAULTS_CALLER_PORT,
  FAULTS_GATEWAY_URL,
  FAULTS_HTTP_PORT,
  FAULTS_PEER_PORT,
  FAULTS_PROXY_PORT,
  FAULTS_RTP_PORTS,
  FAULTS_RTP_TIMEOUT_S,
  FAULTS_SIP_PORT,
  FAULTS_TRUNK_MEDIA_PORT,
  FAULTS_TRUNK_PORT,
  HOST_ORIGIN,
  webRtcPortOf,
} from '../support/constants.mjs';
import { admin, assertPortsFree, createUser, signalAndWait, startGateway, stopPid } from '../support/gateway.mjs';
import { blockUdpPort, udpBlockUnavailable } from '../support/netfault.mjs';
import { checkSipp, startSipp } from '../support/sipp.mjs';
import { startTcpProxy } from '../support/tcp-proxy.mjs';
import { spawnTonePeer } from '../support/tone-peer.mjs';
import { writeToneWav } from '../support/tone.mjs';
import { expectSignedIn, hear, seenCallEvents, signIn, type SeenCallEvent } from './helpers';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/faults');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const FAR_END = '+12025550143';
const FAR_END_SHOWN = '+1 202 555 0143';
const AGENT_TONE_HZ = 1000;
const PEER_TONE_HZ = 440;
const TONE_1K = writeToneWav(path.join(WORK_DIR, `tone-${AGENT_TONE_HZ}.wav`), AGENT_TONE_HZ);
const RTP_TIMEOUT_MS = FAULTS_RTP_TIMEOUT_S * 1000;
const WEBRTC_PORT = webRtcPortOf(FAULTS_HTTP_PORT);

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    // The tone is measured with WebAudio in the iframe, which needs no click with this policy.
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${TONE_1K}`, '--autoplay-policy=no-user-gesture-required'],
  },
});
test.describe.configure({ timeout: 60_000 });

/** One user per test, so that a call left over by a failed test cannot show in the next one. */
const USERS = {
  wsdrop: { extension: '501', number: '+12025550120' },
  wsbye: { extension: '502', number: '+12025550121' },
  udpshort: { extension: '503', number: '+12025550122' },
  udplong: { extension: '504', number: '+12025550123' },
  reload: { extension: '505', number: '+12025550124' },
  farkill: { extension: '506', number: '+12025550125' },
  sigterm: { extension: '507', number: '+12025550126' },
  sigkill: { extension: '508', number: '+12025550127' },
  tabs: { extension: '509', number: '+12025550128' },
} as const;
type UserName = keyof typeof USERS;
const displayName = (u: string) => `Fault ${u[0]!.toUpperCase()}${u.slice(1)}`;

type Gateway = Awaited<ReturnType<typeof startGateway>>;
let gateway: Gateway | undefined;
let cleanups: Array<() => Promise<unknown>> = [];

const gatewayOptions = {
  httpPort: FAULTS_HTTP_PORT,
  demoPort: 0,
  allowedOrigins: [HOST_ORIGIN],
  workDir: WORK_DIR,
  env: {
    DIALER_SIP_TRUNK: `sip:127.0.0.1:${FAULTS_TRUNK_PORT}`,
    DIALER_SIP_PORT: String(FAULTS_SIP_PORT),
    // These tests model a network that loses UDP with nothing else open: no ICE-TCP to fall back to
    // (tests/network.spec.ts covers the fall-back).
    DIALER_WEBRTC_TCP_PORT: '0',
    DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
    DIALER_RTP_PORTS: FAULTS_RTP_PORTS,
    DIALER_RTP_TIMEOUT_S: String(FAULTS_RTP_TIMEOUT_S),
  },
};

function alive(pid: number | undefined) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForPortsFree(ports: number[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertPortsFree(ports);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Starts the gateway again on the same ports, data directory and admin key (after it stopped). */
async function restartGateway(name: string) {
  const old = gateway!;
  await waitForPortsFree([FAULTS_HTTP_PORT], 20_000);
  gateway = await startGateway({ ...gatewayOptions, name, dataDir: old.dataDir, adminKey: old.adminKey });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  checkSipp();
  mkdirSync(WORK_DIR, { recursive: true });
  // A worker that replaces one whose test failed may start while the old one still stops its gateway.
  await waitForPortsFree([FAULTS_HTTP_PORT, FAULTS_PROXY_PORT], 20_000);
  gateway = await startGateway({ ...gatewayOptions, name: 'faults-gateway' });
  for (const [username, u] of Object.entries(USERS)) {
    await createUser(gateway, { username, password: PASSWORD, display_name: displayName(username), ...u });
  }
});

test.afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
  // A gateway test that failed half-way leaves the gateway stopped: the next test needs it.
  if (gateway && !alive(gateway.pid)) await restartGateway('faults-gateway-recovered');
});

test.afterAll(async () => {
  if (!gateway) return;
  await stopPid(gateway.pid);
  rmSync(gateway.dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The host page and the dialer

async function frameOf(page: Page, gatewayUrl: string): Promise<Frame> {
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${gatewayUrl}/dialer/`)))).toBeTruthy();
  return frame as Frame;
}

/** The harness with a dialer of `gatewayUrl`, recording callStateChanged and connectionStateChanged from the start. */
async function openHost(page: Page, gatewayUrl: string, { reload = false } = {}): Promise<Frame> {
  if (reload) await page.reload();
  else await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
    (window as any).connection = window.harness.record(['connectionStateChanged']);
  }, gatewayUrl);
  return frameOf(page, gatewayUrl);
}

interface Agent {
  context: BrowserContext;
  page: Page;
  frame: Frame;
  gatewayUrl: string;
}

/** A signed-in dialer of `user` in a new browser context (a device of its own). */
async function agent(browser: Browser, user: UserName, gatewayUrl = FAULTS_GATEWAY_URL): Promise<Agent> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const frame = await openHost(page, gatewayUrl);
  await signIn(frame, user, PASSWORD);
  await expectSignedIn(frame, displayName(user));
  return { context, page, frame, gatewayUrl };
}

function hostCall(page: Page, method: string, arg?: unknown) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => (a === undefined ? window.dialer[m as string]() : window.dialer[m as string](a))),
    [method, arg] as const,
  );
}

type SeenCall = Omit<SeenCallEvent, 'name'>;

/** What the host's subscriber saw (helpers.ts), without the caller's name. */
async function seen(page: Page): Promise<SeenCall[]> {
  return (await seenCallEvents(page)).map(({ name: _name, ...rest }) => rest);
}

/** The events without the call id (checked separately: one call per list). */
async function seenStates(page: Page) {
  return (await seen(page)).map(({ id: _id, ...rest }) => rest);
}

const lastState = async (page: Page) => (await seen(page)).at(-1)?.state ?? null;

/**
 * Waits (up to `timeoutMs`) until the subscriber saw the call end, then a second longer, so that a
 * late repeat or an extra event would show; returns the events (without ids) and checks they are of one call.
 */
async function seenUntilEnd(page: Page, timeoutMs = 15_000) {
  await expect.poll(() => lastState(page), { timeout: timeoutMs, message: 'the host page sees the call end' }).toBe('disconnected');
  await page.waitForTimeout(1000);
  const list = await seen(page);
  expect(new Set(list.map((c) => c.id)).size, 'one call').toBe(1);
  return list.map(({ id: _id, ...rest }) => rest);
}

const connectionState = (frame: Frame) => frame.locator('p.connection');
const callStatus = (frame: Frame) => frame.locator('.call-panel .call-status');

/** An outbound call of `user` as the host page's subscriber sees it. */
const out = (user: UserName, rest: Partial<SeenCall>) => ({
  state: 'connecting',
  direction: 'outbound',
  result: null,
  end_reason: null,
  from: USERS[user].number,
  to: FAR_END,
  dates: 'S--',
  ...rest,
});
const outConnecting = (user: UserName) => out(user, {});
const outAnswered = (user: UserName) => out(user, { state: 'answered', dates: 'SA-' });
const outEnded = (user: UserName, end_reason: string) => out(user, { state: 'disconnected', result: 'answered', end_reason, dates: 'SAE' });

// ---------------------------------------------------------------------------------------------
// Audio

/** The far end's tone in `frame`: median share of energy at 440 Hz over one second. */
const farTone = async (frame: Frame) => (await hear(frame, PEER_TONE_HZ, 1000)).ratio;

async function expectTone(frame: Frame, message: string, timeout = 15_000) {
  await expect.poll(() => farTone(frame), { timeout, message, intervals: [0] }).toBeGreaterThan(0.6);
}

async function expectNoTone(frame: Frame, message: string, timeout = 10_000) {
  await expect.poll(() => farTone(frame), { timeout, message, intervals: [0] }).toBeLessThan(0.2);
}

// ---------------------------------------------------------------------------------------------
// The far end

type Sipp = Awaited<ReturnType<typeof startSipp>>;
const messageLog = (name: string) => path.join(WORK_DIR, `${name}_messages.log`);

/** The RTP port the gateway put in its SDP (offer or answer), read from SIPp's message log. */
function gatewayRtpPort(name: string): number {
  const file = messageLog(name);
  if (!existsSync(file)) return 0;
  for (const m of readFileSync(file, 'utf8').matchAll(/m=audio (\d+) RTP\/AVP/g)) {
    if (Number(m[1]) !== FAULTS_PEER_PORT) return Number(m[1]);
  }
  return 0;
}

/** The far end's media: a tone peer process on FAULTS_PEER_PORT, bound now, playing once `playTo(sipp)`. */
async function tonePeer() {
  const peer = await spawnTonePeer({ port: FAULTS_PEER_PORT, freq: PEER_TONE_HZ });
  cleanups.push(() => peer.kill('SIGKILL'));
  return {
    ...peer,
    /** Waits for the gateway's SDP in `name`'s SIPp log and plays the tone to its RTP port. */
    async playTo(name: string) {
      let port = 0;
      await expect.poll(() => (port = gatewayRtpPort(name)), { message: `the gateway's RTP port in ${name}'s SIPp log` }).toBeGreaterThan(0);
      peer.sendTo(port);
    },
  };
}

/** SIPp as the trunk, with a unique log name per test; the far end's media is the tone peer. */
async function trunk(scenario: string, name: string, extraArgs: string[] = []): Promise<Sipp> {
  rmSync(messageLog(name), { force: true });
  const s = await startSipp({
    scenario,
    name,
    port: FAULTS_TRUNK_PORT,
    mediaPort: FAULTS_TRUNK_MEDIA_PORT,
    logDir: WORK_DIR,
    extraArgs: ['-key', 'peer_port', String(FAULTS_PEER_PORT), '-timeout', '90s', ...extraArgs],
  });
  cleanups.push(() => s.stop());
  return s;
}

/**
 * An answered outbound call of `user` to the trunk (SIPp `scenario`, `uas-media-peer` by default:
 * it waits for the gateway's BYE), with the far end's tone heard in the dialer.
 */
async function answeredCall(browser: Browser, user: UserName, { gatewayUrl = FAULTS_GATEWAY_URL, scenario = 'uas-media-peer', sippArgs = [] as string[] } = {}) {
  const a = await agent(browser, user, gatewayUrl);
  const peer = await tonePeer();
  const name = `${scenario}-${user}`;
  const sipp = await trunk(scenario, name, sippArgs);
  expect(await hostCall(a.page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(a.page), { message: 'the call is answered' }).toBe('answered');
  await peer.playTo(name);
  await expectTone(a.frame, 'the far end’s tone in the dialer');
  return { ...a, peer, sipp };
}

// ---------------------------------------------------------------------------------------------

test.describe('the dialer’s WebSocket drops during an answered call', () => {
  test('media keeps flowing while it is down; the dialer reconnects by itself; hangUp afterwards: connecting, answered, local_hangup, each once', async ({ browser }) => {
    const proxy = await startTcpProxy({ port: FAULTS_PROXY_PORT, targetPort: FAULTS_HTTP_PORT });
    cleanups.push(() => proxy.close());
    const call = await answeredCall(browser, 'wsdrop', { gatewayUrl: proxy.url });
    const { page, frame } = call;
    expect(await seenStates(page)).toEqual([outConnecting('wsdrop'), outAnswered('wsdrop')]);

    proxy.cut();
    await expect(connectionState(frame), 'the dialer sees its WebSocket gone').not.toHaveAttribute('data-state', 'connected');
    await expectTone(frame, 'the far end’s tone while the WebSocket is down');
    // Still down, and the dialer did try to come back (each try is a connection the proxy closed).
    await expect.poll(() => proxy.accepted, { message: 'reconnect attempts while down' }).toBeGreaterThan(1);
    await expect(connectionState(frame)).not.toHaveAttribute('data-state', 'connected');

    proxy.restore();
    await expect(connectionState(frame), 'the dialer reconnects by itself').toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    await expectTone(frame, 'the far end’s tone after the reconnect');
    await expect(callStatus(frame)).toHaveText(/^In call \d+:\d\d$/);
    expect(await seenStates(page), 'nothing repeated by the reconnect').toEqual([outConnecting('wsdrop'), outAnswered('wsdrop')]);
    expect(await page.evaluate(() => (window as any).connection.list.map((e: any) => e.state))).toContain('disconnected');

    expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
    expect(await seenUntilEnd(page)).toEqual([outConnecting('wsdrop'), outAnswered('wsdrop'), outEnded('wsdrop', 'local_hangup')]);
    expect(await call.sipp.finished(), call.sipp.log()).toBe(0);
    expect(call.sipp.received().some((l) => l.startsWith('BYE '))).toBe(true);
  });

  test('the far end hangs up while it is down: after the reconnect the host receives disconnected remote_hangup exactly once', async ({ browser }) => {
    const proxy = await startTcpProxy({ port: FAULTS_PROXY_PORT, targetPort: FAULTS_HTTP_PORT });
    cleanups.push(() => proxy.close());
    const a = await agent(browser, 'wsbye', proxy.url);
    const peer = await tonePeer();
    const name = 'uas-media-peer-bye-later-wsbye';
    // The far end sends its BYE 8 s after the answer; the WebSocket is cut as soon as the host sees the answer.
    const sipp = await trunk('uas-media-peer-bye-later', name, ['-d', '8000']);
    expect(await hostCall(a.page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
    await expect.poll(() => lastState(a.page)).toBe('answered');
    proxy.cut();
    const cutAt = Date.now();
    await peer.playTo(name);
    await expect(connectionState(a.frame)).not.toHaveAttribute('data-state', 'connected');
    await expectTone(a.frame, 'the far end’s tone while the WebSocket is down', 7_000);

    // The BYE is sent and answered while the dialer cannot hear about it.
    expect(await sipp.finished(20_000), sipp.log()).toBe(0);
    expect(Date.now() - cutAt).toBeGreaterThan(1000);
    expect(proxy.open, 'the WebSocket is still down when the BYE is done').toBe(0);
    await expectNoTone(a.frame, 'no far-end tone once the call ended');
    expect(await seenStates(a.page)).toEqual([outConnecting('wsbye'), outAnswered('wsbye')]);

    proxy.restore();
    await expect(connectionState(a.frame)).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    expect(await seenUntilEnd(a.page)).toEqual([outConnecting('wsbye'), outAnswered('wsbye'), outEnded('wsbye', 'remote_hangup')]);
    await expect(callStatus(a.frame)).toHaveText('Call ended — the other party hung up');
  });
});

test.describe('UDP to the gateway’s WebRTC port is blocked during an answered call', () => {
  test.beforeEach(() => {
    const why = udpBlockUnavailable();
    test.skip(why !== null, `cannot block UDP: ${why}`);
  });

  test(`for 3 s (under DIALER_RTP_TIMEOUT_S=${FAULTS_RTP_TIMEOUT_S}): the tone stops, comes back after, the call stays answered with no extra event`, async ({ browser }) => {
    test.setTimeout(90_000);
    const call = await answeredCall(browser, 'udpshort');
    const { page, frame } = call;
    let unblock: (() => void) | null = blockUdpPort(WEBRTC_PORT);
    try {
      const blockedAt = Date.now();
      await expectNoTone(frame, 'no far-end tone while UDP is blocked', 2500);
      // The fault lasts 3 s in all; the check above took part of it.
      await page.waitForTimeout(Math.max(0, 3000 - (Date.now() - blockedAt)));
      unblock();
      unblock = null;
    } finally {
      unblock?.();
    }
    // The ICE restart after the fault takes a few round trips through a loaded machine: a generous wait.
    await expectTone(frame, 'the far end’s tone once UDP flows again', 30_000);
    await expect(callStatus(frame)).toHaveText(/^In call \d+:\d\d$/);
    expect(await seenStates(page), 'the call stayed answered').toEqual([outConnecting('udpshort'), outAnswered('udpshort')]);
    expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
    expect(await seenUntilEnd(page)).toEqual([outConnecting('udpshort'), outAnswered('udpshort'), outEnded('udpshort', 'local_hangup')]);
    expect(await call.sipp.finished(), call.sipp.log()).toBe(0);
  });

  test(`longer than DIALER_RTP_TIMEOUT_S=${FAULTS_RTP_TIMEOUT_S}: disconnected media_timeout (the dialer is still connected), the far end gets a BYE`, async ({ browser }) => {
    const call = await answeredCall(browser, 'udplong');
    const { page, frame } = call;
    const unblock = blockUdpPort(WEBRTC_PORT);
    try {
      const blockedAt = Date.now();
      await expectNoTone(frame, 'no far-end tone while UDP is blocked', 2500);
      expect(await seenUntilEnd(page, RTP_TIMEOUT_MS + 10_000)).toEqual([
        outConnecting('udplong'),
        outAnswered('udplong'),
        outEnded('udplong', 'media_timeout'),
      ]);
      expect(Date.now() - blockedAt, 'ended by the timeout, not at once').toBeGreaterThan(RTP_TIMEOUT_MS - 1500);
      await expect(connectionState(frame), 'the dialer kept its WebSocket').toHaveAttribute('data-state', 'connected');
    } finally {
      unblock();
    }
    await expect(callStatus(frame)).toHaveText('Call ended — the audio connection was lost');
    expect(await call.sipp.finished(), call.sipp.log()).toBe(0);
    expect(call.sipp.received().some((l) => l.startsWith('BYE '))).toBe(true);
  });
});

test('the host page reloads during an answered call: the new subscribe sees answered, the tone plays again without a click; hangUp → local_hangup', async ({ browser }) => {
  const call = await answeredCall(browser, 'reload');
  const { page } = call;
  expect(await seenStates(page)).toEqual([outConnecting('reload'), outAnswered('reload')]);
  const frame = await openHost(page, FAULTS_GATEWAY_URL, { reload: true });
  await expect(connectionState(frame)).toHaveAttribute('data-state', 'connected');
  await expect.poll(() => seenStates(page), { message: 'the new subscriber sees the current state' }).toEqual([outAnswered('reload')]);
  // No click anywhere: the reloaded dialer re-attaches the call's audio by itself.
  await expectTone(frame, 'the far end’s tone in the reloaded dialer, without a click');
  await expect(callStatus(frame)).toHaveText(/^In call \d+:\d\d$/);
  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  expect(await seenUntilEnd(page)).toEqual([outAnswered('reload'), outEnded('reload', 'local_hangup')]);
  expect(await call.sipp.finished(), call.sipp.log()).toBe(0);
  expect(call.sipp.received().some((l) => l.startsWith('BYE '))).toBe(true);
});

test(`the far end is killed (SIGKILL to SIPp and its RTP peer): disconnected media_timeout within DIALER_RTP_TIMEOUT_S=${FAULTS_RTP_TIMEOUT_S} + 6 s`, async ({ browser }) => {
  const call = await answeredCall(browser, 'farkill');
  const { page, frame } = call;
  process.kill(call.sipp.pid!, 'SIGKILL');
  await call.peer.kill('SIGKILL');
  const killedAt = Date.now();
  await expectNoTone(frame, 'no far-end tone once it is killed');
  expect(await seenUntilEnd(page, RTP_TIMEOUT_MS + 6000)).toEqual([
    outConnecting('farkill'),
    outAnswered('farkill'),
    outEnded('farkill', 'media_timeout'),
  ]);
  expect(Date.now() - killedAt).toBeLessThan(RTP_TIMEOUT_MS + 7000);
  await expect(callStatus(frame)).toHaveText('Call ended — the audio connection was lost');
});

test.describe('the gateway stops during an answered call', () => {
  test('SIGTERM: the far end gets a BYE; the host receives disconnected gateway_shutdown once (at once or after the restarted gateway is back)', async ({ browser }) => {
    test.setTimeout(100_000); // the restart: see the SIGKILL test
    const call = await answeredCall(browser, 'sigterm');
    const { page, frame } = call;
    expect(await signalAndWait(gateway!.pid, 'SIGTERM', 20_000), 'the gateway exits on SIGTERM').toBe(true);
    expect(await call.sipp.finished(5000), call.sipp.log()).toBe(0);
    expect(call.sipp.received().some((l) => l.startsWith('BYE '))).toBe(true);
    // Restarted in the background: the final state may arrive before the gateway exits or after the dialer is back.
    const restarted = restartGateway('faults-gateway-after-sigterm');
    restarted.catch(() => undefined);
    expect(await seenUntilEnd(page, 45_000)).toEqual([outConnecting('sigterm'), outAnswered('sigterm'), outEnded('sigterm', 'gateway_shutdown')]);
    // The ended call stays on the panel for 10 s.
    await expect(callStatus(frame)).toHaveText('Call ended — the phone service was stopped');
    await restarted;
    await expect(connectionState(frame), 'the dialer reconnects by itself').toHaveAttribute('data-state', 'connected', { timeout: 40_000 });
    await page.waitForTimeout(1000);
    expect(await seenStates(page), 'no repeat after the reconnect').toEqual([
      outConnecting('sigterm'),
      outAnswered('sigterm'),
      outEnded('sigterm', 'gateway_shutdown'),
    ]);
  });

  test('SIGKILL, then a restart on the same ports and data: the dialer reconnects by itself, the host receives disconnected gateway_restart once, the call log lists the call', async ({ browser }) => {
    // The gateway's JVM takes 10-15 s to start on 2 loaded cores, and the dialer's backoff is then up to 16 s.
    test.setTimeout(100_000);
    const call = await answeredCall(browser, 'sigkill');
    const { page, frame } = call;
    const callId = (await seen(page))[0]!.id;
    expect(await signalAndWait(gateway!.pid, 'SIGKILL', 10_000), 'the gateway is dead').toBe(true);
    await expect(connectionState(frame)).not.toHaveAttribute('data-state', 'connected');
    await restartGateway('faults-gateway-after-sigkill');
    await expect(connectionState(frame), 'the dialer reconnects by itself').toHaveAttribute('data-state', 'connected', { timeout: 40_000 });
    expect(await seenUntilEnd(page, 30_000)).toEqual([outConnecting('sigkill'), outAnswered('sigkill'), outEnded('sigkill', 'gateway_restart')]);
    await expect(callStatus(frame)).toHaveText('Call ended — the phone service restarted');
    // The dialer's recent calls (from the call log) and the admin API's call log show the call, ended.
    const recent = frame.locator('.recent-call').first();
    await expect(recent).toContainText(FAR_END_SHOWN);
    await expect(recent).toContainText('Outgoing');
    const logged = await admin(gateway!, 'GET', '/api/v1/calls?limit=20');
    expect(logged.status).toBe(200);
    const entry = (logged.body as any).calls.find((c: any) => c.id === callId);
    expect(entry, JSON.stringify(logged.body)).toMatchObject({ username: 'sigkill', end_reason: 'gateway_restart' });
    expect(entry.end_time).not.toBeNull();
  });
});

test('two tabs of one browser (one device): an inbound call rings in both; answered in A, B shows it read-only and hears nothing; "Take the call here" in B moves the tone to B; a call placed from B shows in A', async ({ browser }) => {
  test.setTimeout(90_000);
  const a = await agent(browser, 'tabs');
  const pageB = await a.context.newPage();
  const frameB = await openHost(pageB, FAULTS_GATEWAY_URL);
  await expectSignedIn(frameB, displayName('tabs')); // the session is resumed from storage
  const frameA = a.frame;

  // Inbound: SIPp calls the user, its media is the tone peer.
  const peer = await tonePeer();
  const callerName = 'uac-media-peer-wait-bye-tabs';
  rmSync(messageLog(callerName), { force: true });
  const caller = await startSipp({
    scenario: 'uac-media-peer-wait-bye',
    name: callerName,
    port: FAULTS_CALLER_PORT,
    mediaPort: FAULTS_CALLER_MEDIA_PORT,
    remote: `127.0.0.1:${FAULTS_SIP_PORT}`,
    service: USERS.tabs.number,
    logDir: WORK_DIR,
    extraArgs: ['-key', 'peer_port', String(FAULTS_PEER_PORT), '-timeout', '90s'],
  });
  cleanups.push(() => caller.stop());
  for (const frame of [frameA, frameB]) {
    await expect(frame.locator('.call-panel').getByRole('heading', { name: 'Incoming call' })).toBeVisible();
  }
  await frameA.getByRole('button', { name: 'Answer' }).click();
  await peer.playTo(callerName);
  await expectTone(frameA, 'the caller’s tone in tab A, which answered');

  const inbound = { direction: 'inbound', from: '+12025550160', to: USERS.tabs.number, result: null, end_reason: null };
  const ringing = { ...inbound, state: 'connecting', dates: 'S--' };
  const answered = { ...inbound, state: 'answered', dates: 'SA-' };
  // Same device: B is not told answered_elsewhere; it follows the call read-only.
  await expect.poll(() => seenStates(pageB), { message: 'tab B’s host sees the answer' }).toEqual([ringing, answered]);
  expect(await seenStates(a.page)).toEqual([ringing, answered]);
  const panelB = frameB.locator('.call-panel');
  await expect(panelB).toContainText('On a call in another tab');
  await expect(panelB.getByRole('button', { name: 'Take the call here' })).toBeVisible();
  await expect(panelB).toHaveAttribute('data-audio-elsewhere', 'true');
  await expect(frameA.locator('.call-panel')).toHaveAttribute('data-audio-elsewhere', 'false');
  expect(await farTone(frameB), 'no tone in tab B: A owns the audio').toBeLessThan(0.2);

  await panelB.getByRole('button', { name: 'Take the call here' }).click();
  await expectTone(frameB, 'the caller’s tone in tab B after "Take the call here"');
  const panelA = frameA.locator('.call-panel');
  await expect(panelA).toContainText('On a call in another tab');
  await expect(panelA.getByRole('button', { name: 'Take the call here' })).toBeVisible();
  await expect(panelA).toHaveAttribute('data-audio-elsewhere', 'true');
  await expect(panelB).toHaveAttribute('data-audio-elsewhere', 'false');
  await expectNoTone(frameA, 'no tone in tab A once B took the call');
  expect(await seenStates(a.page), 'moving the audio is no call state change').toEqual([ringing, answered]);
  expect(await seenStates(pageB)).toEqual([ringing, answered]);

  expect(await hostCall(pageB, 'hangUp')).toEqual({ ok: true, result: null });
  const ended = { ...inbound, state: 'disconnected', result: 'answered', end_reason: 'local_hangup', dates: 'SAE' };
  expect(await seenUntilEnd(pageB)).toEqual([ringing, answered, ended]);
  expect(await seenUntilEnd(a.page)).toEqual([ringing, answered, ended]);
  expect(await caller.finished(), caller.log()).toBe(0);
  await peer.kill('SIGKILL');

  // Outbound from B: it shows in A too (read-only), and A's host page follows it.
  const outPeer = await tonePeer();
  const trunkName = 'uas-media-peer-tabs';
  const sipp = await trunk('uas-media-peer', trunkName);
  const before = (await seen(a.page)).length;
  expect(await hostCall(pageB, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(pageB)).toBe('answered');
  await outPeer.playTo(trunkName);
  await expectTone(frameB, 'the far end’s tone in tab B, which placed the call');
  await expect.poll(async () => (await seenStates(a.page)).slice(before), { message: 'tab A’s host follows the call placed in B' }).toEqual([
    outConnecting('tabs'),
    outAnswered('tabs'),
  ]);
  await expect(panelA).toContainText('On a call in another tab');
  await expect(panelA).toContainText(FAR_END_SHOWN);
  expect(await farTone(frameA), 'no tone in tab A').toBeLessThan(0.2);
  // hangUp is accepted from any dialer that is shown the call.
  expect(await hostCall(a.page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await seenStates(pageB)).slice(3)).toEqual([outConnecting('tabs'), outAnswered('tabs'), outEnded('tabs', 'local_hangup')]);
  await expect.poll(async () => (await seenStates(a.page)).slice(before)).toEqual([outConnecting('tabs'), outAnswered('tabs'), outEnded('tabs', 'local_hangup')]);
  expect(await sipp.finished(), sipp.log()).toBe(0);
});
