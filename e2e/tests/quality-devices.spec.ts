// Chromium media beyond the call itself (issue 14 items 3 and 4), on a gateway of its own with the sandbox.
// Audio devices: Chromium's fake devices listed by getAudioDevices, and the microphone, output and ringer
// switched during an echo call, which is still heard after it.
// Call quality of the SIP leg (issue 14 item 4, issue 17's call.ended summary): the gateway measures the
// SIP side of the call from its RTP and RTCP, sends the dialer `sipQuality`, which the SDK's callQuality
// event carries as `legs.sip`, and keeps a summary per call in the call log. The far end is the sandbox's
// tone number (its own tone, no echo), so loss on the SIP side shows in legs.sip, and loss injected with
// iptables (`statistic`, only this spec's RTP ports, removed in `finally`) on the packets the far end
// sends to the gateway raises high_packet_loss, then clears. Ports: base+1300 to base+1331 (the sandbox
// takes its RTP ports from just above the gateway's range).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Frame, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, HOST_ORIGIN } from '../support/constants.mjs';
import { admin, createUser, startGateway, stopPid } from '../support/gateway.mjs';
import { loseUdpToPorts, udpBlockUnavailable } from '../support/netfault.mjs';
import { writeToneWav } from '../support/tone.mjs';
import { hear, signIn } from './helpers';

const BASE = Number(process.env.E2E_PORT_BASE || 18080);
const HTTP_PORT = BASE + 1300;
const WEBRTC_PORT = BASE + 1301;
const SIP_PORT = BASE + 1302;
const RTP_MIN = BASE + 1310;
const RTP_MAX = BASE + 1329;
const GATEWAY_URL = `http://127.0.0.1:${HTTP_PORT}`;
const TONE_NUMBER = '+16505550101';
const ECHO_NUMBER = '+16505550100';
const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/quality');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const MIC = writeToneWav(path.join(WORK_DIR, 'tone-1000.wav'), 1000);

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${MIC}`, '--autoplay-policy=no-user-gesture-required'],
  },
});
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const why = udpBlockUnavailable();
  test.skip(why !== null, why ?? '');
  gateway = await startGateway({
    httpPort: HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'quality-gateway',
    env: { DIALER_WEBRTC_PORT: String(WEBRTC_PORT), DIALER_SIP_PORT: String(SIP_PORT), DIALER_RTP_PORTS: `${RTP_MIN}-${RTP_MAX}` },
  });
  await createUser(gateway, { username: 'sipq', password: PASSWORD, display_name: 'Quality Agent', extension: '731' });
  await createUser(gateway, { username: 'devq', password: PASSWORD, display_name: 'Devices Agent', extension: '732' });
});

test.afterAll(async () => {
  if (gateway) await stopPid(gateway.pid);
});

interface Quality {
  callId: string;
  mos: number | null;
  packet_loss_pct: number | null;
  warnings: string[];
  legs: { browser: { packet_loss_pct: number | null }; sip: { mos: number | null; packet_loss_pct: number | null; jitter_ms: number | null } | null };
}

async function agent(browser: Browser, user = 'sipq', name = 'Quality Agent'): Promise<{ page: Page; frame: Frame }> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
    (window as any).quality = window.harness.record(['callQuality']);
  }, GATEWAY_URL);
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${GATEWAY_URL}/dialer/`)))).toBeTruthy();
  await signIn(frame!, user, PASSWORD);
  // Argon2 on two loaded cores may take tens of seconds.
  await expect(frame!.getByRole('heading', { name })).toBeVisible({ timeout: 60_000 });
  await expect(frame!.getByRole('status')).toHaveText('Connected');
  return { page, frame: frame! };
}

const quality = (page: Page): Promise<Quality[]> => page.evaluate(() => (window as any).quality.list);
const lastCall = (page: Page) => page.evaluate(() => (window as any).calls.list.at(-1)?.call ?? null);
const hostCall = (page: Page, method: string, arg?: unknown) =>
  page.evaluate(([m, a]) => window.harness.outcome(() => window.dialer[m as string](a)), [method, arg] as const);

test('loss on the SIP side shows in callQuality legs.sip (high_packet_loss, 3-30 %), clears after, and the call log keeps the summary', async ({ browser }) => {
  const { page } = await agent(browser);
  expect(await hostCall(page, 'placeCall', { to: TONE_NUMBER })).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(page))?.state).toBe('answered');
  const callId = (await lastCall(page)).id;

  // The gateway's figures arrive within a report interval or two; a clean SIP side first.
  await expect
    .poll(async () => (await quality(page)).some((q) => q.legs.sip !== null && q.legs.sip.packet_loss_pct !== null && q.legs.sip.packet_loss_pct < 1),
      { timeout: 20_000, message: 'a callQuality event with a clean legs.sip' })
    .toBe(true);

  const restore = loseUdpToPorts(RTP_MIN, RTP_MAX, 0.1);
  let raised: Quality | undefined;
  try {
    await expect
      .poll(async () => (raised = (await quality(page)).find((q) => (q.legs.sip?.packet_loss_pct ?? 0) >= 3 && q.warnings.includes('high_packet_loss'))) !== undefined,
        { timeout: 20_000, message: 'high_packet_loss from the SIP leg under 10 % loss' })
      .toBe(true);
  } finally {
    restore();
  }
  expect(raised!.callId).toBe(callId);
  expect(raised!.legs.sip!.packet_loss_pct).toBeLessThanOrEqual(30);
  expect(raised!.packet_loss_pct).toBeGreaterThanOrEqual(raised!.legs.sip!.packet_loss_pct!); // the worse of both legs
  expect(raised!.legs.sip!.mos).toBeLessThan(4);
  const before = (await quality(page)).length;
  await expect
    .poll(async () => {
      const list = await quality(page);
      const last = list.at(-1)!;
      return list.length > before && !last.warnings.includes('high_packet_loss') && (last.legs.sip?.packet_loss_pct ?? 99) < 2;
    }, { timeout: 25_000, message: 'high_packet_loss cleared once the loss stopped' })
    .toBe(true);

  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(page))?.end_reason).toBe('local_hangup');
  const log = await admin(gateway, 'GET', '/api/v1/calls?limit=5');
  const row = log.body.calls.find((c: { id: string }) => c.id === callId);
  expect(row.quality, 'the call log keeps the call’s quality summary').not.toBeNull();
  expect(row.quality.samples).toBeGreaterThanOrEqual(3);
  expect(row.quality.legs.sip.packet_loss_pct_max).toBeGreaterThanOrEqual(3);
  expect(row.quality.legs.sip.packet_loss_pct_max).toBeLessThanOrEqual(30);
  expect(row.quality.legs.browser.samples).toBeGreaterThanOrEqual(1);
  expect(row.quality.mos_min).toBeLessThan(4);
  expect(row.quality.mos_avg).toBeGreaterThanOrEqual(row.quality.mos_min);
  await page.context().close();
});

test('audio devices: Chromium’s fake devices are listed; microphone, output and ringer switched during a call, the echo is still heard', async ({ browser }) => {
  const { page, frame } = await agent(browser, 'devq', 'Devices Agent');
  // Which microphone the dialer opens: every getUserMedia call's deviceId, recorded in the dialer's frame.
  await frame.evaluate(() => {
    const md = navigator.mediaDevices;
    const original = md.getUserMedia.bind(md);
    (window as any).opened = [];
    md.getUserMedia = (c?: MediaStreamConstraints) => {
      const audio = c?.audio;
      (window as any).opened.push(typeof audio === 'object' && audio ? (audio as any).deviceId ?? null : null);
      return original(c);
    };
  });
  const listed = (await hostCall(page, 'getAudioDevices')) as { ok: boolean; result: { inputs: { id: string; label: string }[]; outputs: { id: string; label: string }[] } };
  expect(listed.ok, JSON.stringify(listed)).toBe(true);
  const { inputs, outputs } = listed.result;
  expect(inputs.length, `Chromium’s fake microphones: ${JSON.stringify(inputs)}`).toBeGreaterThanOrEqual(2);
  expect(inputs.every((d) => d.label.length > 0), 'labels once the microphone was allowed').toBe(true);
  expect(outputs.length, `Chromium’s fake outputs: ${JSON.stringify(outputs)}`).toBeGreaterThanOrEqual(1);

  expect(await hostCall(page, 'placeCall', { to: ECHO_NUMBER })).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(page))?.state).toBe('answered');
  await expect.poll(async () => (await hear(frame, 1000, 1000)).ratio, { timeout: 20_000, message: 'the echo before switching' }).toBeGreaterThan(0.6);

  const mic = inputs.at(-1)!;
  const [ringer, output] = [outputs[0]!, outputs.at(-1)!];
  expect(await hostCall(page, 'setAudioDevices', { input: mic.id, output: output.id, ringer: ringer.id })).toEqual({ ok: true, result: null });
  const opened = await frame.evaluate(() => (window as any).opened as unknown[]);
  expect(JSON.stringify(opened.at(-1)), 'the chosen microphone was opened').toContain(mic.id);
  expect(await frame.evaluate(() => (document.querySelector('audio[data-role="remote-audio"]') as HTMLAudioElement).sinkId)).toBe(output.id);
  expect(await frame.evaluate(() => (document.querySelector('audio[data-role="ringer-audio"]') as HTMLAudioElement).sinkId)).toBe(ringer.id);
  // replaceTrack, no renegotiation: the same call goes on and the new microphone's tone comes back.
  await expect
    .poll(async () => (await hear(frame, 1000, 1000)).ratio, { timeout: 20_000, message: 'the echo after switching' })
    .toBeGreaterThan(0.6);
  expect((await lastCall(page)).state).toBe('answered');
  const wrong = (await hostCall(page, 'setAudioDevices', { input: 'no-such-device' })) as { ok: boolean; error?: { name: string } };
  expect(wrong.ok).toBe(false);
  expect(JSON.stringify(wrong)).toContain('InvalidOptionsError');
  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(page))?.end_reason).toBe('local_hangup');
  await page.context().close();
});
