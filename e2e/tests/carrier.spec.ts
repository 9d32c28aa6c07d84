// What real carriers do before the answer, end to end in Chromium (issue: real carriers, part A): a
// carrier's early media (183 with SDP, then RTP) plays in the dialer frame while the call is still
// `connecting`; a bad number is refused before the microphone is asked for, even when it is denied.
// SIPp is the trunk; a Node RTP peer is the carrier's early media (a 440 Hz tone, heard with Goertzel).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Frame, type Page } from '@playwright/test';
import {
  CARRIER_GATEWAY_URL,
  CARRIER_HTTP_PORT,
  CARRIER_PEER_PORT,
  CARRIER_RTP_PORTS,
  CARRIER_SIP_PORT,
  CARRIER_TRUNK_MEDIA_PORT,
  CARRIER_TRUNK_PORT,
  CHROMIUM_ARGS,
  HOST_ORIGIN,
} from '../support/constants.mjs';
import { createUser, startGateway, stopPid } from '../support/gateway.mjs';
import { checkSipp, startSipp } from '../support/sipp.mjs';
import { startRtpPeer, toneRatio, writeToneWav } from '../support/tone.mjs';
import { expectSignedIn, hear, signIn } from './helpers';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/carrier');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const EARLY_TONE_HZ = 440;
const AGENT_TONE_HZ = 1000;
const TONE_1K = writeToneWav(path.join(WORK_DIR, `tone-${AGENT_TONE_HZ}.wav`), AGENT_TONE_HZ);
const USERS = {
  early: { extension: '701', number: '+12025550171' },
  nomic: { extension: '702', number: '+12025550172' },
  late: { extension: '703', number: '+12025550173' },
} as const;
type UserName = keyof typeof USERS;
const displayName = (u: string) => `Carrier ${u}`;

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    // The tone is measured with WebAudio in the iframe, which needs no click with this policy.
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${TONE_1K}`, '--autoplay-policy=no-user-gesture-required'],
  },
});
test.describe.configure({ timeout: 60_000 });

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
let cleanups: Array<() => Promise<unknown>> = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  checkSipp();
  mkdirSync(WORK_DIR, { recursive: true });
  gateway = await startGateway({
    httpPort: CARRIER_HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'carrier-gateway',
    env: {
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${CARRIER_TRUNK_PORT}`,
      DIALER_SIP_PORT: String(CARRIER_SIP_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_RTP_PORTS: CARRIER_RTP_PORTS,
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

async function agent(browser: Browser, user: UserName, { microphone = true } = {}) {
  const context = await browser.newContext({ permissions: microphone ? ['microphone'] : [] });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
  }, CARRIER_GATEWAY_URL);
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${CARRIER_GATEWAY_URL}/dialer/`)))).toBeTruthy();
  await signIn(frame!, user, PASSWORD);
  await expectSignedIn(frame!, displayName(user));
  return { page, frame: frame! };
}

function hostCall(page: Page, method: string, arg?: unknown) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => (a === undefined ? window.dialer[m as string]() : window.dialer[m as string](a))),
    [method, arg] as const,
  );
}

const lastState = (page: Page) => page.evaluate(() => (window as any).calls.list.at(-1)?.call.state ?? null);

test('rejects placeCall with InvalidPhoneNumberError for "abc" with the microphone denied, and never asks for it', async ({ browser }) => {
  const { page, frame } = await agent(browser, 'nomic', { microphone: false });
  // Count the dialer's requests for the microphone (each would be a permission prompt for a real user).
  await frame.evaluate(() => {
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia.bind(devices);
    (window as any).micRequests = 0;
    devices.getUserMedia = (c?: MediaStreamConstraints) => {
      (window as any).micRequests++;
      return original(c);
    };
  });
  const micRequests = () => frame.evaluate(() => (window as any).micRequests as number);
  const outcome = await hostCall(page, 'placeCall', { to: 'abc' });
  expect(outcome).toMatchObject({ ok: false, name: 'InvalidPhoneNumberError' });
  expect(await micRequests()).toBe(0);
  expect(await frame.locator('.mic-notice:not(.network-notice)').isHidden()).toBe(true);
  expect(await page.evaluate(() => (window as any).calls.list.length)).toBe(0);
  // A good number then meets the denied microphone as before (and the counter sees that request).
  expect(await hostCall(page, 'placeCall', { to: '+12025550143' })).toMatchObject({ ok: false, name: 'MicrophonePermissionError' });
  expect(await micRequests()).toBe(1);
});

test('a carrier’s early media (183 with SDP, then RTP) plays in the dialer while the call is connecting', async ({ browser }) => {
  const { page, frame } = await agent(browser, 'early');
  const peer = await startRtpPeer(CARRIER_PEER_PORT);
  cleanups.push(() => peer.close());
  const trunk = await startSipp({
    scenario: 'uas-early-media-until-cancel', port: CARRIER_TRUNK_PORT, mediaPort: CARRIER_TRUNK_MEDIA_PORT,
    logDir: WORK_DIR, extraArgs: ['-key', 'peer_port', String(CARRIER_PEER_PORT)],
  });
  cleanups.push(() => trunk.stop());
  expect(await hostCall(page, 'placeCall', { to: '+12025550143' })).toEqual({ ok: true, result: null });
  const messages = path.join(WORK_DIR, 'uas-early-media-until-cancel_messages.log');
  await expect.poll(() => existsSync(messages) && /m=audio \d+ RTP\/AVP/.test(readFileSync(messages, 'utf8'))).toBe(true);
  const gatewayPort = Number(/m=audio (\d+) RTP\/AVP/.exec(readFileSync(messages, 'utf8'))![1]);
  peer.sendTone('127.0.0.1', gatewayPort, EARLY_TONE_HZ);

  await expect
    .poll(async () => (await hear(frame, EARLY_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'the early media tone in the page' })
    .toBeGreaterThan(0.6);
  expect(await lastState(page)).toBe('connecting'); // heard before any answer

  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('disconnected');
  expect(await trunk.finished(), trunk.log()).toBe(0); // CANCEL, 200, 487, ACK as written
});

test('a late-offer call (INVITE without SDP, answer in the ACK) is heard both ways', async ({ browser }) => {
  const { page, frame } = await agent(browser, 'late');
  const peer = await startRtpPeer(CARRIER_PEER_PORT);
  cleanups.push(() => peer.close());
  const pbx = await startSipp({
    scenario: 'uac-late-offer-peer', port: CARRIER_TRUNK_PORT, mediaPort: CARRIER_TRUNK_MEDIA_PORT, logDir: WORK_DIR,
    remote: `127.0.0.1:${CARRIER_SIP_PORT}`, service: USERS.late.number,
    extraArgs: ['-key', 'peer_port', String(CARRIER_PEER_PORT)],
  });
  cleanups.push(() => pbx.stop());
  await expect.poll(() => lastState(page), { timeout: 15_000 }).toBe('connecting');
  expect(await hostCall(page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('answered');
  const messages = path.join(WORK_DIR, 'uac-late-offer-peer_messages.log');
  await expect.poll(() => existsSync(messages) && /m=audio \d+ RTP\/AVP 0 8/.test(readFileSync(messages, 'utf8'))).toBe(true);
  peer.sendTone('127.0.0.1', Number(/m=audio (\d+) RTP\/AVP 0 8/.exec(readFileSync(messages, 'utf8'))![1]), EARLY_TONE_HZ);

  await expect
    .poll(async () => (await hear(frame, EARLY_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'the PBX side in the page' })
    .toBeGreaterThan(0.6);
  await expect
    .poll(() => toneRatio(peer.audio(Date.now() - 1000), AGENT_TONE_HZ).ratio, { timeout: 15_000, message: 'the agent at the PBX side' })
    .toBeGreaterThan(0.6);

  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('disconnected');
  expect(await pbx.finished(), pbx.log()).toBe(0);
});
