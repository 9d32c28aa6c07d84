// What real carriers do before the answer, end to end in Chromium (issue: real carriers, part A): a
// carrier's early media (183 with SDP, then RTP) plays in the dialer frame while the call is still
// `connecting`; a bad number is refused before the microphone is asked for, even when it is denied.
// SIPp is the trunk; a Node RTP peer is the carrier's early media (a 440 Hz tone, heard with Goertzel).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
import { trunkedGatewayForFile } from '../support/sip-gateway.mjs';
import { startSipp } from '../support/sipp.mjs';
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
  ringback: { extension: '704', number: '+12025550174' },
  ringanswer: { extension: '705', number: '+12025550175' },
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

const { cleanup } = trunkedGatewayForFile(test, {
  name: 'carrier-gateway', httpPort: CARRIER_HTTP_PORT, sipPort: CARRIER_SIP_PORT, trunkPort: CARRIER_TRUNK_PORT,
  rtpPorts: CARRIER_RTP_PORTS, workDir: WORK_DIR,
  users: Object.fromEntries(Object.entries(USERS).map(([u, x]) => [u, { password: PASSWORD, display_name: displayName(u), ...x }])),
});

async function agent(browser: Browser, user: UserName, { microphone = true, tap = false } = {}) {
  const context = await browser.newContext({ permissions: microphone ? ['microphone'] : [] });
  cleanup(() => context.close());
  const page = await context.newPage();
  if (tap) await tapWebAudio(page);
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
  cleanup(() => peer.close());
  const trunk = await startSipp({
    scenario: 'uas-early-media-until-cancel', port: CARRIER_TRUNK_PORT, mediaPort: CARRIER_TRUNK_MEDIA_PORT,
    logDir: WORK_DIR, extraArgs: ['-key', 'peer_port', String(CARRIER_PEER_PORT)],
  });
  cleanup(() => trunk.stop());
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
  cleanup(() => peer.close());
  const pbx = await startSipp({
    scenario: 'uac-late-offer-peer', port: CARRIER_TRUNK_PORT, mediaPort: CARRIER_TRUNK_MEDIA_PORT, logDir: WORK_DIR,
    remote: `127.0.0.1:${CARRIER_SIP_PORT}`, service: USERS.late.number,
    extraArgs: ['-key', 'peer_port', String(CARRIER_PEER_PORT)],
  });
  cleanup(() => pbx.stop());
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

/**
 * Taps every sound a frame's WebAudio plays (the local ringback is generated there, the call's own audio is an
 * <audio> element and is not included): each AudioContext gets an AnalyserNode fed from whatever connects to its
 * destination.
 */
async function tapWebAudio(page: Page) {
  await page.context().addInitScript(() => {
    const connect = AudioNode.prototype.connect as (this: AudioNode, ...a: unknown[]) => unknown;
    (AudioNode.prototype as any).connect = function (this: AudioNode, destination: unknown, ...rest: unknown[]) {
      const result = connect.call(this, destination, ...rest);
      if (destination instanceof AudioDestinationNode) {
        const ctx = this.context as any;
        if (!ctx.__tap) {
          ctx.__tap = ctx.createAnalyser();
          ctx.__tap.fftSize = 8192;
          ((window as any).__taps ??= []).push(ctx.__tap);
        }
        connect.call(this, ctx.__tap);
      }
      return result;
    };
  });
}

/**
 * Samples the frame's WebAudio output every 50 ms for `ms`: whether a tone sounds (RMS of the last 20 ms) and, over
 * the last 170 ms, the Goertzel share of the energy at each of `freqs` (the helpers' measure, on the tap).
 */
function sampleWebAudio(frame: Frame, freqs: number[], ms: number) {
  return frame.evaluate(
    async ([fs, duration]) => {
      const taps: AnalyserNode[] = (window as any).__taps ?? [];
      const out: Array<{ t: number; rms: number; ratios: number[] }> = [];
      const start = performance.now();
      while (performance.now() - start < duration) {
        await new Promise((r) => setTimeout(r, 50));
        let best = { rms: 0, ratios: fs.map(() => 0) };
        for (const tap of taps) {
          const buf = new Float32Array(tap.fftSize);
          tap.getFloatTimeDomainData(buf);
          const recent = buf.subarray(buf.length - Math.round(tap.context.sampleRate * 0.02));
          const rms = Math.sqrt(recent.reduce((a, x) => a + x * x, 0) / recent.length);
          let total = 0;
          for (const x of buf) total += x * x;
          const ratios = fs.map((f) => {
            const k = 2 * Math.cos((2 * Math.PI * f) / tap.context.sampleRate);
            let s1 = 0;
            let s2 = 0;
            for (const x of buf) {
              const s0 = x + k * s1 - s2;
              s2 = s1;
              s1 = s0;
            }
            return total > 1e-9 ? (2 * (s1 * s1 + s2 * s2 - k * s1 * s2)) / buf.length / total : 0;
          });
          if (rms > best.rms) best = { rms, ratios };
        }
        out.push({ t: performance.now() - start, ...best });
      }
      return out;
    },
    [freqs, ms] as const,
  );
}

/** The lengths (s) of the complete on and off runs in a sampled timeline (the first and last runs are cut). */
function runs(samples: Array<{ t: number; rms: number }>, threshold: number) {
  const on: number[] = [];
  const off: number[] = [];
  let since = -1;
  for (let i = 1; i < samples.length; i++) {
    const was = samples[i - 1].rms > threshold;
    const is = samples[i].rms > threshold;
    if (was === is) continue;
    if (since >= 0) (was ? on : off).push((samples[i].t - since) / 1000);
    since = samples[i].t;
  }
  return { on, off };
}

test('a 180 without SDP plays the US local ringback (440+480 Hz, 2 s on, 4 s off) until the 183 brings early media', async ({ browser }) => {
  test.setTimeout(90_000);
  const { page, frame } = await agent(browser, 'ringback', { tap: true });
  const peer = await startRtpPeer(CARRIER_PEER_PORT);
  cleanup(() => peer.close());
  const trunk = await startSipp({
    scenario: 'uas-ringing-then-early-media-until-cancel', port: CARRIER_TRUNK_PORT, mediaPort: CARRIER_TRUNK_MEDIA_PORT,
    // 15 s of ringing: the 9 s sample below fits in it wherever the first 6 s it starts; then the 183.
    logDir: WORK_DIR, extraArgs: ['-key', 'peer_port', String(CARRIER_PEER_PORT), '-d', '15000', '-timeout', '60s'],
  });
  cleanup(() => trunk.stop());
  expect(await hostCall(page, 'placeCall', { to: '+12025550143' })).toEqual({ ok: true, result: null });

  // The ringback starts with its 'on' part: wait for it, then 9 s hold a complete off and a complete on run.
  await expect
    .poll(async () => (await sampleWebAudio(frame, [], 200)).some((s) => s.rms > 0.02), { timeout: 15_000, message: 'the local ringback' })
    .toBe(true);
  const samples = await sampleWebAudio(frame, [440, 480, 1000], 9_000);
  expect(await lastState(page)).toBe('connecting');
  const { on, off } = runs(samples, 0.02);
  const timeline = JSON.stringify({ on, off });
  expect(on.length, timeline).toBeGreaterThanOrEqual(1);
  expect(off.length, timeline).toBeGreaterThanOrEqual(1);
  for (const d of on) expect(Math.abs(d - 2), `on ${d} s: ${timeline}`).toBeLessThan(0.4);
  for (const d of off) expect(Math.abs(d - 4), `off ${d} s: ${timeline}`).toBeLessThan(0.4);
  const loud = samples.filter((s) => s.rms > 0.02 && s.ratios.length === 3);
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
  expect(median(loud.map((s) => s.ratios[0])), 'share at 440 Hz').toBeGreaterThan(0.25);
  expect(median(loud.map((s) => s.ratios[1])), 'share at 480 Hz').toBeGreaterThan(0.25);
  expect(median(loud.map((s) => s.ratios[2])), 'share at 1 kHz').toBeLessThan(0.05);

  // The 183 with SDP: the carrier's own audio replaces the ringback, still before any answer.
  const messages = path.join(WORK_DIR, 'uas-ringing-then-early-media-until-cancel_messages.log');
  await expect.poll(() => existsSync(messages) && /m=audio \d+ RTP\/AVP/.test(readFileSync(messages, 'utf8')), { timeout: 15_000 }).toBe(true);
  peer.sendTone('127.0.0.1', Number(/m=audio (\d+) RTP\/AVP/.exec(readFileSync(messages, 'utf8'))![1]), EARLY_TONE_HZ);
  await expect
    // Silent for longer than the cadence's 4 s pause: stopped, not between two rings.
    .poll(async () => (await sampleWebAudio(frame, [], 5_000)).every((s) => s.rms < 0.005), { timeout: 25_000, message: 'the ringback stops at the 183' })
    .toBe(true);
  await expect
    .poll(async () => (await hear(frame, EARLY_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'the early media tone in the page' })
    .toBeGreaterThan(0.6);
  expect(await lastState(page)).toBe('connecting');

  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('disconnected');
  expect(await trunk.finished(), trunk.log()).toBe(0);
});

test('the local ringback stops when the far end answers (200 OK after a 180 without SDP)', async ({ browser }) => {
  const { page, frame } = await agent(browser, 'ringanswer', { tap: true });
  const trunk = await startSipp({
    scenario: 'uas-ringing-then-answer-wait-bye', port: CARRIER_TRUNK_PORT, mediaPort: CARRIER_TRUNK_MEDIA_PORT,
    logDir: WORK_DIR, extraArgs: ['-d', '6000', '-timeout', '60s'],
  });
  cleanup(() => trunk.stop());
  expect(await hostCall(page, 'placeCall', { to: '+12025550143' })).toEqual({ ok: true, result: null });
  await expect
    .poll(async () => (await sampleWebAudio(frame, [], 200)).some((s) => s.rms > 0.02), { timeout: 15_000, message: 'the local ringback' })
    .toBe(true);
  await expect.poll(() => lastState(page), { timeout: 20_000 }).toBe('answered');
  expect((await sampleWebAudio(frame, [], 5_000)).every((s) => s.rms < 0.005), 'no ringback after the answer').toBe(true);
  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('disconnected');
  expect(await trunk.finished(), trunk.log()).toBe(0);
});
