// Call audio end to end (protocol.md part 4): Chromium's fake microphone plays a tone, the dialer's
// WebRTC leg is terminated by the gateway (ICE-lite, DTLS-SRTP) and relayed as plain RTP to the SIP
// side — SIPp echoing RTP, or a Node RTP peer that records what arrives and sends a tone of its own.
// Tones are detected with a Goertzel filter: in the dialer frame on the remote <audio> element's
// stream, and in Node on the µ-law payloads the SIP side received.
import { randomBytes } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import {
  AUDIO_GATEWAY_URL,
  AUDIO_HTTP_PORT,
  AUDIO_PEER_PORT,
  AUDIO_RTP_PORTS,
  AUDIO_SIP_PORT,
  AUDIO_TRUNK_MEDIA_PORT,
  AUDIO_TRUNK_PORT,
  CHROMIUM_ARGS,
} from '../support/constants.mjs';
import { trunkedGatewayForFile } from '../support/sip-gateway.mjs';
import { startSipp } from '../support/sipp.mjs';
import { startRtpPeer, toneRatio, writeToneWav } from '../support/tone.mjs';
import { hear, signedInDialer } from './helpers';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/audio');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const FAR_END = '+12025550143';
const AGENT_TONE_HZ = 1000;
const PEER_TONE_HZ = 440;
const OTHER_AGENT_TONE_HZ = 600;
const TONE_1K = writeToneWav(path.join(WORK_DIR, `tone-${AGENT_TONE_HZ}.wav`), AGENT_TONE_HZ);
const TONE_OTHER = writeToneWav(path.join(WORK_DIR, `tone-${OTHER_AGENT_TONE_HZ}.wav`), OTHER_AGENT_TONE_HZ);

const browserArgs = (toneFile: string) => [
  ...CHROMIUM_ARGS,
  `--use-file-for-fake-audio-capture=${toneFile}`,
  // The tone is measured with WebAudio in the iframe, which needs no click with this policy.
  '--autoplay-policy=no-user-gesture-required',
];

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: browserArgs(TONE_1K) } });
test.describe.configure({ timeout: 60_000 });

const USERS = {
  echo: { extension: '401', number: '+12025550191' },
  peer: { extension: '402', number: '+12025550192' },
  nomic: { extension: '403', number: '+12025550193' },
  exta: { extension: '404', number: '+12025550194' },
  extb: { extension: '405', number: '+12025550195' },
} as const;
type UserName = keyof typeof USERS;
const displayName = (u: string) => `Audio ${u[0]!.toUpperCase()}${u.slice(1)}`;

const { cleanup } = trunkedGatewayForFile(test, {
  name: 'audio-gateway', httpPort: AUDIO_HTTP_PORT, sipPort: AUDIO_SIP_PORT, trunkPort: AUDIO_TRUNK_PORT,
  rtpPorts: AUDIO_RTP_PORTS, workDir: WORK_DIR,
  users: Object.fromEntries(Object.entries(USERS).map(([u, x]) => [u, { password: PASSWORD, display_name: displayName(u), ...x }])),
});

/** A signed-in dialer of `user` in a new context; the microphone is granted unless `microphone: false`. */
function agent(browser: Browser, user: UserName, { microphone = true } = {}) {
  return signedInDialer(browser, user, {
    gatewayUrl: AUDIO_GATEWAY_URL, password: PASSWORD, displayName: displayName(user), cleanup, microphone,
  });
}

function hostCall(page: Page, method: string, arg?: unknown) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => (a === undefined ? window.dialer[m as string]() : window.dialer[m as string](a))),
    [method, arg] as const,
  );
}

const lastState = (page: Page) => page.evaluate(() => (window as any).calls.list.at(-1)?.call.state ?? null);

async function sipp(scenario: string, extraArgs: string[] = []) {
  const s = await startSipp({ scenario, port: AUDIO_TRUNK_PORT, mediaPort: AUDIO_TRUNK_MEDIA_PORT, logDir: WORK_DIR, extraArgs });
  cleanup(() => s.stop());
  return s;
}

/** The RTP port the gateway offered in its INVITE, read from SIPp's message log. */
function gatewayRtpPort(log: string): number {
  const m = /m=audio (\d+) RTP\/AVP/.exec(log);
  if (!m) throw new Error(`no SDP offer in SIPp's log:\n${log}`);
  return Number(m[1]);
}

test('the agent’s 1 kHz tone reaches the far end and comes back: SIPp echoes RTP, the page hears the tone', async ({ browser }) => {
  const { page, frame } = await agent(browser, 'echo');
  const trunk = await sipp('uas-answer-wait-bye', ['-rtp_echo']);
  expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('answered');
  await expect
    .poll(async () => (await hear(frame, AGENT_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'the echoed tone in the page' })
    .toBeGreaterThan(0.6);
  const heard = await hear(frame, AGENT_TONE_HZ);
  expect(heard.rms).toBeGreaterThan(0.01);
  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('disconnected');
  expect(await trunk.finished(), trunk.log()).toBe(0);
});

test('the far end’s tone plays in the page; the agent’s tone, DTMF, mute and hold reach the far end', async ({ browser }) => {
  const { page, frame } = await agent(browser, 'peer');
  const peer = await startRtpPeer(AUDIO_PEER_PORT);
  cleanup(() => peer.close());
  // This call lasts longer than SIPp's default limit of 30 s on a loaded machine (the later -timeout wins).
  const trunk = await sipp('uas-media-peer', ['-key', 'peer_port', String(AUDIO_PEER_PORT), '-timeout', '90s']);
  expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('answered');
  const messages = path.join(WORK_DIR, 'uas-media-peer_messages.log');
  await expect.poll(() => existsSync(messages) && /m=audio \d+ RTP\/AVP/.test(readFileSync(messages, 'utf8'))).toBe(true);
  peer.sendTone('127.0.0.1', gatewayRtpPort(readFileSync(messages, 'utf8')), PEER_TONE_HZ);

  // Far end → page.
  await expect
    .poll(async () => (await hear(frame, PEER_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'the far end’s tone in the page' })
    .toBeGreaterThan(0.6);
  // Page → far end: the agent's tone, as PCMU, without transcoding.
  await expect
    .poll(() => toneRatio(peer.audio(Date.now() - 1000), AGENT_TONE_HZ).ratio, { timeout: 15_000, message: 'the agent’s tone at the far end' })
    .toBeGreaterThan(0.6);

  // DTMF: RFC 4733 events with the payload type the far end negotiated (101).
  expect(await hostCall(page, 'sendDtmf', '15#')).toEqual({ ok: true, result: null });
  await expect.poll(() => peer.digits(101), { timeout: 10_000 }).toBe('15#');

  // Mute: the far end receives silence (or nothing), then the tone again.
  // A second of silence is waited for, not assumed after a fixed delay (the browser's pipeline lags on a
  // loaded machine); a mute that never silences the far end fails the poll.
  expect(await hostCall(page, 'mute', true)).toEqual({ ok: true, result: null });
  const mutedAt = Date.now();
  await expect
    .poll(() => Date.now() - mutedAt >= 1000 && toneRatio(peer.audio(Date.now() - 1000), AGENT_TONE_HZ).rms < 0.005, { timeout: 10_000, message: 'a second of silence at the far end' })
    .toBe(true);
  expect(await hostCall(page, 'mute', false)).toEqual({ ok: true, result: null });
  await expect.poll(() => toneRatio(peer.audio(Date.now() - 1000), AGENT_TONE_HZ).ratio, { timeout: 10_000 }).toBeGreaterThan(0.6);

  // Hold: a re-INVITE with a=sendonly, and no audio relayed; resume restores both.
  expect(await hostCall(page, 'hold', true)).toEqual({ ok: true, result: null });
  await expect.poll(() => readFileSync(messages, 'utf8').includes('a=sendonly'), { timeout: 10_000 }).toBe(true);
  const heldAt = Date.now();
  await expect
    .poll(() => Date.now() - heldAt >= 1000 && peer.since(Date.now() - 1000, 0).length === 0, { timeout: 10_000, message: 'a second without audio at the far end' })
    .toBe(true);
  expect(await hostCall(page, 'hold', false)).toEqual({ ok: true, result: null });
  await expect.poll(() => peer.since(Date.now() - 500, 0).length, { timeout: 10_000 }).toBeGreaterThan(5);
  await expect.poll(() => toneRatio(peer.audio(Date.now() - 1000), AGENT_TONE_HZ).ratio, { timeout: 10_000 }).toBeGreaterThan(0.6);

  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('disconnected');
  expect(await trunk.finished(), trunk.log()).toBe(0);
});

test('a denied microphone: placeCall rejects with MicrophonePermissionError and no INVITE is sent', async ({ browser }) => {
  const trunk = await sipp('uas-answer-wait-bye');
  const { page, frame } = await agent(browser, 'nomic', { microphone: false });
  const outcome = await hostCall(page, 'placeCall', { to: FAR_END });
  expect(outcome).toMatchObject({ ok: false, name: 'MicrophonePermissionError' });
  expect(outcome.classes).toContain('MicrophonePermissionError');
  await expect(frame.getByText(/microphone/i).first()).toBeVisible();
  await page.waitForTimeout(1500);
  expect(trunk.received()).toEqual([]);
  expect(await page.evaluate(() => (window as any).calls.list.length)).toBe(0);
});

test('extension to extension: each browser hears the other’s tone through the gateway', async ({ browser }) => {
  // The callee runs in a second Chromium whose fake microphone plays another tone.
  const other = await chromium.launch({ executablePath: '/usr/bin/chromium', args: browserArgs(TONE_OTHER) });
  cleanup(() => other.close());
  const a = await agent(browser, 'exta');
  const b = await agent(other, 'extb');
  expect(await hostCall(a.page, 'placeCall', { to: USERS.extb.extension })).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(b.page)).toBe('connecting');
  expect(await hostCall(b.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(a.page)).toBe('answered');
  await expect
    .poll(async () => (await hear(a.frame, OTHER_AGENT_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'callee’s tone at the caller' })
    .toBeGreaterThan(0.6);
  await expect
    .poll(async () => (await hear(b.frame, AGENT_TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'caller’s tone at the callee' })
    .toBeGreaterThan(0.6);
  expect(await hostCall(a.page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(b.page)).toBe('disconnected');
});
