// A secure trunk end to end (sip-trunks.md "TLS and SRTP"): the gateway's trunk is Kamailio over TLS
// (DIALER_SIP_TRUNK=sips:..., its certificate verified against a CA made by this test) and the audio
// toward it is SRTP with SDES keys (DIALER_SIP_SRTP=required). Kamailio hands the media to rtpengine,
// which decrypts it and relays plain RTP to SIPp echoing it; the echo comes back the same way. The
// page hears its own tone only if both SRTP directions and the TLS signalling work.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Frame, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, HOST_ORIGIN } from '../support/constants.mjs';
import { createUser, startGateway, stopPid } from '../support/gateway.mjs';
import {
  KAMAILIO_TLS_PORT,
  SECURE_GATEWAY_URL,
  SECURE_HTTP_PORT,
  SECURE_RTP_PORTS,
  SECURE_SIP_PORT,
  SECURE_SIP_TLS_PORT,
  SECURE_WEBRTC_PORT,
  SIPP_MEDIA_PORT,
  SIPP_PORT,
  checkSecureTrunkPeers,
  makeCertificates,
  startRtpengine,
  startTlsKamailio,
} from '../support/secure-trunk.mjs';
import { checkSipp, startSipp } from '../support/sipp.mjs';
import { writeToneWav } from '../support/tone.mjs';
import { expectSignedIn, hear, signIn } from './helpers';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/secure-trunk');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const TONE_HZ = 1000;
const TONE = writeToneWav(path.join(WORK_DIR, `tone-${TONE_HZ}.wav`), TONE_HZ);
const USER = { username: 'secure', display_name: 'Secure Agent', extension: '451', number: '+12025550151' };

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${TONE}`, '--autoplay-policy=no-user-gesture-required'],
  },
});
test.describe.configure({ timeout: 90_000 });

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
const stops: Array<() => Promise<unknown>> = [];

test.beforeAll(async () => {
  test.setTimeout(150_000);
  checkSipp();
  checkSecureTrunkPeers();
  mkdirSync(WORK_DIR, { recursive: true });
  const certs = makeCertificates(path.join(WORK_DIR, 'pki'));
  const rtpengine = await startRtpengine(WORK_DIR);
  stops.push(() => rtpengine.stop());
  const kamailio = await startTlsKamailio(path.join(WORK_DIR, 'kamailio'), certs);
  stops.push(() => kamailio.stop());
  (globalThis as any).secureTrunkLogs = { kamailio: kamailio.log, rtpengine: rtpengine.log };
  gateway = await startGateway({
    httpPort: SECURE_HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'secure-gateway',
    env: {
      DIALER_SIP_TRUNK: `sips:127.0.0.1:${KAMAILIO_TLS_PORT}`,
      DIALER_SIP_TLS_CA_FILE: certs.ca,
      DIALER_SIP_SRTP: 'required',
      DIALER_SIP_PORT: String(SECURE_SIP_PORT),
      DIALER_SIP_TLS_PORT: String(SECURE_SIP_TLS_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_WEBRTC_PORT: String(SECURE_WEBRTC_PORT),
      DIALER_RTP_PORTS: SECURE_RTP_PORTS,
    },
  });
  await createUser(gateway, { password: PASSWORD, ...USER });
});

test.afterAll(async () => {
  if (gateway) await stopPid(gateway.pid);
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
});

async function dialer(page: Page): Promise<Frame> {
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
  }, SECURE_GATEWAY_URL);
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${SECURE_GATEWAY_URL}/dialer/`)))).toBeTruthy();
  await signIn(frame!, USER.username, PASSWORD);
  await expectSignedIn(frame!, USER.display_name);
  return frame!;
}

const hostCall = (page: Page, method: string, arg?: unknown) =>
  page.evaluate(
    ([m, a]) => window.harness.outcome(() => (a === undefined ? window.dialer[m as string]() : window.dialer[m as string](a))),
    [method, arg] as const,
  );
const lastState = (page: Page) => page.evaluate(() => (window as any).calls.list.at(-1)?.call.state ?? null);

test('a call over TLS with SRTP: the agent’s tone goes out encrypted, rtpengine decrypts it for SIPp’s echo, and the page hears it back', async ({ page }) => {
  const logs = (globalThis as any).secureTrunkLogs;
  const frame = await dialer(page);
  const trunk = await startSipp({ scenario: 'uas-answer-wait-bye-rr', port: SIPP_PORT, mediaPort: SIPP_MEDIA_PORT, logDir: WORK_DIR, extraArgs: ['-rtp_echo'] });
  stops.push(() => trunk.stop());
  expect(await hostCall(page, 'placeCall', { to: '+12025550143' })).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page), { timeout: 20_000, message: `kamailio:\n${logs.kamailio()}` }).toBe('answered');
  await expect
    .poll(async () => (await hear(frame, TONE_HZ, 1000)).ratio, { timeout: 20_000, message: 'the echoed tone in the page' })
    .toBeGreaterThan(0.6);
  // Kamailio got our RTP/SAVP offer with its key over TLS; SIPp saw plain RTP. The answer we got was
  // rtpengine's RTP/SAVP with its key: with DIALER_SIP_SRTP=required a plain one would have ended the call.
  expect(logs.kamailio()).toContain('SDES offer over tls');
  const sippLog = readFileSync(path.join(WORK_DIR, 'uas-answer-wait-bye-rr_messages.log'), 'utf8');
  expect(sippLog).toMatch(/m=audio \d+ RTP\/AVP/);
  expect(sippLog).not.toContain('a=crypto');
  expect(sippLog).toContain('SIP/2.0/TLS 127.0.0.1:');
  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('disconnected');
  expect(await trunk.finished(), trunk.log()).toBe(0);
});
