// A SIP stack none of our code shares, linphone-cli (liblinphone), as a PBX-mode phone and as the far end of a
// trunk call: Kamailio is the PBX (registrar/proxy with digest auth), linphone is extension 2002 on it (auto-answer,
// playing a 440 Hz tone, recording what it hears) and also the gateway's trunk. The user "lphuser" carries the PBX
// account gw1001; "lphtrunk" calls numbers through the trunk. Audio is checked both ways: the
// page hears linphone's tone (Goertzel on the remote audio), linphone's recording holds the browser's 1 kHz
// fake microphone.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Frame, type Page } from '@playwright/test';
import {
  CHROMIUM_ARGS,
  HOST_ORIGIN,
  LINPHONE_GATEWAY_URL,
  LINPHONE_GW_HTTP_PORT,
  LINPHONE_GW_RTP_PORTS,
  LINPHONE_GW_SIP_PORT,
  LINPHONE_GW_WEBRTC_PORT,
  LINPHONE_KAMAILIO_PORT,
  LINPHONE_RTP_PORT,
  LINPHONE_SIP_PORT,
} from '../support/constants.mjs';
import { admin, createUser, startGateway, stopPid } from '../support/gateway.mjs';
import { checkLinphone, startLinphone } from '../support/linphone.mjs';
import { checkPbxPeers, startKamailio } from '../support/pbx.mjs';
import { toneRatio, writeToneWav } from '../support/tone.mjs';
import { expectSignedIn, hear, signIn } from './helpers';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/pbx-linphone');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const GATEWAY_SIP_PASSWORD = randomBytes(12).toString('hex');
const PHONE_PASSWORD = randomBytes(12).toString('hex');
const USER = { username: 'lphuser', display_name: 'Agent Linphone', extension: '402' };
const TRUNK_USER = { username: 'lphtrunk', display_name: 'Agent Trunk', extension: '403', number: '+12025550183' };
const PHONE = '2002';
const PHONE_TONE_HZ = 440;
const AGENT_TONE_HZ = 1000;
const TONE_1K = writeToneWav(path.join(WORK_DIR, `tone-${AGENT_TONE_HZ}.wav`), AGENT_TONE_HZ);
const TONE_PHONE = writeToneWav(path.join(WORK_DIR, `tone-${PHONE_TONE_HZ}.wav`), PHONE_TONE_HZ, 60);

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${TONE_1K}`, '--autoplay-policy=no-user-gesture-required'],
  },
});
test.describe.configure({ mode: 'serial', timeout: 90_000 });

let gateway: Awaited<ReturnType<typeof startGateway>> | null = null;
let kamailio: Awaited<ReturnType<typeof startKamailio>> | null = null;
let phone: Awaited<ReturnType<typeof startLinphone>> | null = null;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  checkPbxPeers();
  checkLinphone();
  mkdirSync(WORK_DIR, { recursive: true });
  kamailio = await startKamailio({
    port: LINPHONE_KAMAILIO_PORT,
    users: { gw1001: GATEWAY_SIP_PASSWORD, [PHONE]: PHONE_PASSWORD },
    dir: path.join(WORK_DIR, 'kamailio'),
  });
  phone = await startLinphone({
    user: PHONE,
    password: PHONE_PASSWORD,
    registrar: `127.0.0.1:${LINPHONE_KAMAILIO_PORT}`,
    sipPort: LINPHONE_SIP_PORT,
    rtpPort: LINPHONE_RTP_PORT,
    playWav: TONE_PHONE,
    dir: path.join(WORK_DIR, 'linphone'),
  });
  await expect.poll(() => kamailio!.locationTable(), { timeout: 20_000, message: phone.log() }).toContain(`AoR: ${PHONE}`);
  gateway = await startGateway({
    httpPort: LINPHONE_GW_HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'pbx-linphone-gateway',
    env: {
      DIALER_SIP_PORT: String(LINPHONE_GW_SIP_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_PUBLIC_ADDRESS: '127.0.0.1',
      DIALER_WEBRTC_PORT: String(LINPHONE_GW_WEBRTC_PORT),
      DIALER_RTP_PORTS: LINPHONE_GW_RTP_PORTS,
      // linphone is also the trunk, so a user without a PBX account reaches it as a carrier's far end.
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${LINPHONE_SIP_PORT}`,
      DIALER_RING_TIMEOUT_S: '20',
    },
  });
  await createUser(gateway, {
    ...USER,
    password: PASSWORD,
    sip_account: { registrar: kamailio.uri, username: 'gw1001', password: GATEWAY_SIP_PASSWORD },
  });
  await createUser(gateway, { ...TRUNK_USER, password: PASSWORD });
});

test.afterAll(async () => {
  if (gateway) await stopPid(gateway.pid);
  if (phone) await phone.stop(); // before the registrar: it un-REGISTERs
  if (kamailio) await kamailio.stop();
  gateway = phone = kamailio = null;
});

async function registered(): Promise<boolean> {
  const res = await admin(gateway!, 'GET', `/api/v1/users/${USER.username}`);
  return res.body?.sip_account?.registered === true;
}

async function agent(browser: Browser, user: { username: string; display_name: string } = USER) {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
  }, LINPHONE_GATEWAY_URL);
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${LINPHONE_GATEWAY_URL}/dialer/`)))).toBeTruthy();
  await signIn(frame!, user.username, PASSWORD);
  await expectSignedIn(frame!, user.display_name);
  return { context, page, frame: frame! };
}

function hostCall(page: Page, method: string, arg?: unknown) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => (a === undefined ? window.dialer[m as string]() : window.dialer[m as string](a))),
    [method, arg] as const,
  );
}

const states = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as any).calls.list.map((e: any) => e.call.state + (e.call.end_reason ? `/${e.call.end_reason}` : '')));

/**
 * The share of 1 kHz in what linphone recorded (the file is complete once its call has ended): the median over the
 * 100 ms windows that carry sound, so a gap or a concealed lost packet on a loaded machine does not decide it.
 */
function agentHeardByPhone(): number {
  const { samples, rate } = phone!.heard();
  const window = Math.round(rate / 10);
  const ratios: number[] = [];
  for (let i = rate; i + window <= samples.length - rate; i += window) { // the call's set-up and end left out
    const r = toneRatio(samples.subarray(i, i + window), AGENT_TONE_HZ, rate);
    if (r.rms > 0.01) ratios.push(r.ratio);
  }
  if (ratios.length < 10) return 0; // under a second of sound: not heard
  return [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)];
}

test('the dialer calls linphone (2002) through Kamailio: answered, each side hears the other', async ({ browser }) => {
  const { page, frame, context } = await agent(browser);
  await expect.poll(registered, { timeout: 15_000 }).toBe(true);
  phone!.resetHeard();
  expect(await hostCall(page, 'placeCall', { to: PHONE })).toEqual({ ok: true, result: null });
  await expect.poll(() => states(page), { timeout: 20_000, message: phone!.log() }).toEqual(['connecting', 'answered']);
  await expect
    .poll(async () => (await hear(frame, PHONE_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'linphone heard in the page' })
    .toBeGreaterThan(0.6);
  await page.waitForTimeout(2000); // two more seconds of the agent's tone into linphone's recording
  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => states(page)).toEqual(['connecting', 'answered', 'disconnected/local_hangup']);
  await expect.poll(agentHeardByPhone, { timeout: 10_000, message: 'the agent heard by linphone' }).toBeGreaterThan(0.5);
  await context.close();
});

test('linphone calls gw1001 through Kamailio: the dialer rings, answers, each side hears the other; linphone hangs up', async ({ browser }) => {
  const { page, frame, context } = await agent(browser);
  await expect.poll(registered, { timeout: 15_000 }).toBe(true);
  phone!.resetHeard();
  phone!.send(`call sip:gw1001@127.0.0.1:${LINPHONE_KAMAILIO_PORT}`);
  await expect.poll(() => states(page), { timeout: 20_000, message: phone!.log() }).toEqual(['connecting']);
  expect(await hostCall(page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(() => states(page), { timeout: 15_000 }).toEqual(['connecting', 'answered']);
  await expect
    .poll(async () => (await hear(frame, PHONE_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'linphone heard in the page' })
    .toBeGreaterThan(0.6);
  await page.waitForTimeout(2000);
  phone!.send('terminate');
  await expect.poll(() => states(page), { timeout: 15_000 }).toEqual(['connecting', 'answered', 'disconnected/remote_hangup']);
  await expect.poll(agentHeardByPhone, { timeout: 10_000, message: 'the agent heard by linphone' }).toBeGreaterThan(0.5);
  await context.close();
});

test('linphone as the far end behind the trunk: a call to a number is answered, each side hears the other', async ({ browser }) => {
  const { page, frame, context } = await agent(browser, TRUNK_USER);
  phone!.resetHeard();
  expect(await hostCall(page, 'placeCall', { to: '+12025550199' })).toEqual({ ok: true, result: null });
  await expect.poll(() => states(page), { timeout: 20_000, message: phone!.log() }).toEqual(['connecting', 'answered']);
  await expect
    .poll(async () => (await hear(frame, PHONE_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'linphone heard in the page' })
    .toBeGreaterThan(0.6);
  await page.waitForTimeout(2000);
  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => states(page)).toEqual(['connecting', 'answered', 'disconnected/local_hangup']);
  await expect.poll(agentHeardByPhone, { timeout: 10_000, message: 'the agent heard by linphone' }).toBeGreaterThan(0.5);
  await context.close();
});
