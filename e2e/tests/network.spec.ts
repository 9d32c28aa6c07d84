// Audio through networks that block it (issue 14, items 1 and 5): the gateway's passive ICE-TCP
// candidate when UDP to it is blocked, coturn as a TURN server over TCP and TLS when only that is open,
// and media_failed with the dialer's advice when nothing gets through. iptables rules are scoped to this
// suite's ports and removed in `finally`. The far end is the sandbox's echo number: the fake
// microphone's 1 kHz tone comes back and is heard in the dialer frame.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, HOST_ORIGIN } from '../support/constants.mjs';
import { coturnUnavailable, startCoturn } from '../support/coturn.mjs';
import { createUser, startGateway, stopPid } from '../support/gateway.mjs';
import { block, dropTcpTo, dropUdpTo, dropped } from '../support/netblock.mjs';
import { udpBlockUnavailable } from '../support/netfault.mjs';
import { writeToneWav } from '../support/tone.mjs';
import { hear, signedInDialer } from './helpers';

const BASE = Number(process.env.E2E_PORT_BASE || 18080);
const HTTP_PORT = BASE + 440;
const WEBRTC_PORT = BASE + 740; // UDP, and the ICE-TCP port (same number, the default)
const SIP_PORT = BASE + 741;
const RTP_PORTS = `${BASE + 480}-${BASE + 519}`; // the sandbox takes the 200 above (680-719)
const TURN_PORT = BASE + 442; // UDP and TCP
const TURN_TLS_PORT = BASE + 443;
const RELAY_PORTS = `${BASE + 902}:${BASE + 949}`;
const GATEWAY_URL = `http://127.0.0.1:${HTTP_PORT}`;
const ECHO = '+16505550100';
const CONNECT_TIMEOUT_S = 10;

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/network');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const TURN_SECRET = randomBytes(16).toString('hex');
const TONE_HZ = 1000;
const TONE = writeToneWav(path.join(WORK_DIR, `tone-${TONE_HZ}.wav`), TONE_HZ);

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${TONE}`, '--autoplay-policy=no-user-gesture-required'],
  },
});
test.describe.configure({ mode: 'serial', timeout: 60_000 });

const USERS = ['icetcp', 'turntcp', 'turntls', 'blocked'] as const;
type UserName = (typeof USERS)[number];

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
let coturn: Awaited<ReturnType<typeof startCoturn>> | undefined;
let cleanups: Array<() => Promise<unknown>> = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const why = udpBlockUnavailable() ?? coturnUnavailable();
  test.skip(why !== null, why ?? '');
  mkdirSync(WORK_DIR, { recursive: true });
  coturn = await startCoturn({
    port: TURN_PORT,
    tlsPort: TURN_TLS_PORT,
    relayMin: BASE + 902,
    relayMax: BASE + 949,
    secret: TURN_SECRET,
    workDir: WORK_DIR,
  });
  gateway = await startGateway({
    httpPort: HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'network-gateway',
    env: {
      DIALER_WEBRTC_PORT: String(WEBRTC_PORT),
      DIALER_SIP_PORT: String(SIP_PORT),
      DIALER_RTP_PORTS: RTP_PORTS,
      DIALER_TURN_URLS: [
        `turn:127.0.0.1:${TURN_PORT}?transport=udp`,
        `turn:127.0.0.1:${TURN_PORT}?transport=tcp`,
        `turns:127.0.0.1:${TURN_TLS_PORT}?transport=tcp`,
      ].join(','),
      DIALER_TURN_SECRET: TURN_SECRET,
      DIALER_MEDIA_CONNECT_TIMEOUT_S: String(CONNECT_TIMEOUT_S),
    },
  });
  for (const [i, username] of USERS.entries()) {
    await createUser(gateway, { username, password: PASSWORD, display_name: `Net ${username}`, extension: `70${i}` });
  }
});

test.afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

test.afterAll(async () => {
  if (gateway) await stopPid(gateway.pid);
  if (coturn) await coturn.stop();
});

function agent(browser: Browser, user: UserName) {
  const cleanup = (fn: () => Promise<unknown>) => cleanups.push(fn);
  return signedInDialer(browser, user, { gatewayUrl: GATEWAY_URL, password: PASSWORD, displayName: `Net ${user}`, cleanup });
}

const events = (page: Page) =>
  page.evaluate(() => (window as any).calls.list.map((e: any) => ({ state: e.call.state, end_reason: e.call.end_reason ?? null, at: Date.now() })));
const lastCall = (page: Page) => page.evaluate(() => (window as any).calls.list.at(-1)?.call ?? null);

function hostCall(page: Page, method: string, arg?: unknown) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => (a === undefined ? window.dialer[m as string]() : window.dialer[m as string](a))),
    [method, arg] as const,
  );
}

/** Places a call to the echo number under `rules`, expects the tone back, hangs up; the rules' counters show what was blocked. */
async function echoHeardWith(browser: Browser, user: UserName, rules: string[][]) {
  const { page, frame } = await agent(browser, user);
  const unblock = block(rules);
  try {
    expect(await hostCall(page, 'placeCall', { to: ECHO })).toEqual({ ok: true, result: null });
    await expect.poll(async () => (await lastCall(page))?.state).toBe('answered');
    await expect
      .poll(async () => (await hear(frame, TONE_HZ, 1000)).ratio, { timeout: 20_000, message: 'the echoed tone in the page' })
      .toBeGreaterThan(0.6);
    expect((await hear(frame, TONE_HZ)).rms).toBeGreaterThan(0.01);
    const counts = rules.map((r) => dropped(r));
    expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
    await expect.poll(async () => (await lastCall(page))?.end_reason).toBe('local_hangup');
    return counts;
  } finally {
    unblock();
  }
}

test('UDP to the gateway blocked: the call is heard over the passive ICE-TCP candidate', async ({ browser }) => {
  // Every UDP path to the WebRTC port fails (also coturn's relayed UDP); TURN's own ports are blocked too.
  const counts = await echoHeardWith(browser, 'icetcp', [
    dropUdpTo(WEBRTC_PORT),
    dropUdpTo(TURN_PORT),
    dropTcpTo(TURN_PORT),
    dropTcpTo(TURN_TLS_PORT),
  ]);
  expect(counts[0], 'the browser did try UDP first and it was dropped').toBeGreaterThan(0);
});

test('only TCP to the TURN server open: the call is heard through coturn (TURN over TCP)', async ({ browser }) => {
  const before = allocations();
  const counts = await echoHeardWith(browser, 'turntcp', [
    dropUdpTo(WEBRTC_PORT, RELAY_PORTS), // the browser's own UDP is dropped; coturn's relay ports get through
    dropTcpTo(WEBRTC_PORT), // no ICE-TCP
    dropUdpTo(TURN_PORT), // TURN over UDP blocked
    dropTcpTo(TURN_TLS_PORT),
  ]);
  expect(counts[0], 'direct UDP was tried and dropped').toBeGreaterThan(0);
  expect(allocations(), 'coturn allocated a relay for the call').toBeGreaterThan(before);
});

test('only TLS to the TURN server open: the call is heard through coturn (TURN over TLS, turns:)', async () => {
  // coturn's certificate is self-signed, made by this test: Chromium checks a turns: server's certificate like
  // a web site's, so this test's own browser accepts it (test-only; production uses a real certificate).
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${TONE}`, '--autoplay-policy=no-user-gesture-required',
      '--ignore-certificate-errors'],
  });
  cleanups.push(() => browser.close());
  const before = allocations();
  await echoHeardWith(browser, 'turntls', [
    dropUdpTo(WEBRTC_PORT, RELAY_PORTS),
    dropTcpTo(WEBRTC_PORT),
    dropUdpTo(TURN_PORT),
    dropTcpTo(TURN_PORT), // plain TURN over TCP blocked as well: only turns: is left
  ]);
  expect(allocations(), 'coturn allocated a relay for the call').toBeGreaterThan(before);
});

test(`everything blocked: the call ends as media_failed within ${CONNECT_TIMEOUT_S} s of the answer and the dialer says what to open`, async ({ browser }) => {
  const { page, frame } = await agent(browser, 'blocked');
  const unblock = block([
    dropUdpTo(WEBRTC_PORT),
    dropTcpTo(WEBRTC_PORT),
    dropUdpTo(TURN_PORT),
    dropTcpTo(TURN_PORT),
    dropTcpTo(TURN_TLS_PORT),
  ]);
  try {
    expect(await hostCall(page, 'placeCall', { to: ECHO })).toEqual({ ok: true, result: null });
    await expect.poll(async () => (await lastCall(page))?.end_reason, { timeout: (CONNECT_TIMEOUT_S + 10) * 1000 }).toBe('media_failed');
    const seen = await events(page);
    expect(seen.map((e: { state: string; end_reason: string | null }) => [e.state, e.end_reason])).toEqual([
      ['connecting', null],
      ['answered', null],
      ['disconnected', 'media_failed'],
    ]);
    const call = await lastCall(page);
    const afterAnswer = new Date(call.end_time).getTime() - new Date(call.answer_time).getTime();
    expect(afterAnswer, 'ended by the connect timeout, not before').toBeGreaterThanOrEqual(CONNECT_TIMEOUT_S * 1000 - 500);
    expect(afterAnswer, 'within the connect timeout (+ the relay timer tick)').toBeLessThan(CONNECT_TIMEOUT_S * 1000 + 2000);
    await expect(frame.getByRole('alert').filter({ hasText: 'Your network blocks call audio' })).toContainText(
      `Ask your IT team to allow UDP port ${WEBRTC_PORT} or TCP port ${WEBRTC_PORT} to 127.0.0.1, or the TURN server's ports.`,
    );
    await expect(frame.getByText('Call ended — your network blocks the call audio')).toBeVisible();
  } finally {
    unblock();
  }
});

function allocations(): number {
  return (coturn?.log().match(/ALLOCATE processed, success/g) ?? []).length;
}
