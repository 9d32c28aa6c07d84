// The 200 OK may change the media address and codec of the early dialog (issue 13 item 1): after the answer
// the relay toward the far end follows the 200's SDP, not the 183's. SIPp is the trunk (it orders the 183s and
// the 200 with <pause>); Node RTP peers of the test are the ports the SDPs name, so the test sees where the
// gateway sends the dialer's microphone (a 1 kHz tone) and which peer's tone the dialer plays.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../support/constants.mjs';
import { trunkedGatewayForFile } from '../support/sip-gateway.mjs';
import { startSipp } from '../support/sipp.mjs';
import { startRtpPeer, toneRatio, writeToneWav } from '../support/tone.mjs';
import { hear, signedInDialer } from './helpers';

// Every port in the block base+2100..2199 (E2E_PORT_BASE, default 18080), WebRTC included.
const BASE = Number(process.env.E2E_PORT_BASE || 18080);
const HTTP_PORT = BASE + 2100;
const SIP_PORT = BASE + 2101;
const TRUNK_PORT = BASE + 2102;
const TRUNK_MEDIA_PORT = BASE + 2104; // SIPp binds +2104 to +2107
const PEER_PORTS = { a: BASE + 2110, b: BASE + 2112, c: BASE + 2114 };
const GATEWAY_URL = `http://127.0.0.1:${HTTP_PORT}`;

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/answer-elsewhere');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const AGENT_TONE_HZ = 1000;
const TONE_1K = writeToneWav(path.join(WORK_DIR, `tone-${AGENT_TONE_HZ}.wav`), AGENT_TONE_HZ);
const TONES = { a: 440, b: 620, c: 800 } as const;
const USERS = { moved: { extension: '721', number: '+12025550181' }, forked: { extension: '722', number: '+12025550182' } };
type UserName = keyof typeof USERS;
type PeerName = keyof typeof PEER_PORTS;
const PT = { PCMU: 0, PCMA: 8 } as const;

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${TONE_1K}`, '--autoplay-policy=no-user-gesture-required'],
  },
});
test.describe.configure({ timeout: 90_000 });

const { cleanup } = trunkedGatewayForFile(test, {
  name: 'answer-elsewhere-gateway', httpPort: HTTP_PORT, sipPort: SIP_PORT, trunkPort: TRUNK_PORT,
  rtpPorts: `${BASE + 2120}-${BASE + 2139}`, workDir: WORK_DIR, env: { DIALER_WEBRTC_PORT: String(BASE + 2150) },
  users: Object.fromEntries(Object.entries(USERS).map(([u, x]) => [u, { password: PASSWORD, display_name: `Fork ${u}`, ...x }])),
});

function agent(browser: Browser, user: UserName) {
  return signedInDialer(browser, user, { gatewayUrl: GATEWAY_URL, password: PASSWORD, displayName: `Fork ${user}`, cleanup });
}

const lastState = (page: Page) => page.evaluate(() => (window as any).calls.list.at(-1)?.call.state ?? null);
const hostCall = (page: Page, method: string, arg?: unknown) =>
  page.evaluate(([m, a]) => window.harness.outcome(() => window.dialer[m as string](a)), [method, arg] as const);

/**
 * Places a call against `scenario`, with RTP peers on `early` (each sending its tone, in its law, to the
 * gateway's port from the moment the INVITE is seen) and on `answering` (sending only once the call is
 * answered, so whatever the dialer then plays from it came after the 200). Checks, after the answer: the
 * dialer's microphone reaches `answering` in its law; the dialer plays `answering`'s tone; no early peer
 * receives anything once the answer was seen.
 */
async function callAnsweredElsewhere(browser: Browser, user: UserName, scenario: string,
  early: Array<[PeerName, keyof typeof PT]>, answering: [PeerName, keyof typeof PT]) {
  const { page, frame } = await agent(browser, user);
  const peers = Object.fromEntries(await Promise.all((Object.keys(PEER_PORTS) as PeerName[]).map(async (n) => {
    const peer = await startRtpPeer(PEER_PORTS[n]);
    cleanup(() => peer.close());
    return [n, peer] as const;
  }))) as Record<PeerName, Awaited<ReturnType<typeof startRtpPeer>>>;
  const keys = (Object.keys(PEER_PORTS) as PeerName[]).flatMap((n) => ['-key', `${n}_port`, String(PEER_PORTS[n])]);
  const trunk = await startSipp({ scenario, port: TRUNK_PORT, mediaPort: TRUNK_MEDIA_PORT, logDir: WORK_DIR, extraArgs: keys });
  cleanup(() => trunk.stop());

  expect(await hostCall(page, 'placeCall', { to: '+12025550143' })).toEqual({ ok: true, result: null });
  const messages = path.join(WORK_DIR, `${scenario}_messages.log`);
  await expect.poll(() => existsSync(messages) && /m=audio \d+ RTP\/AVP/.test(readFileSync(messages, 'utf8'))).toBe(true);
  const gatewayPort = Number(/m=audio (\d+) RTP\/AVP/.exec(readFileSync(messages, 'utf8'))![1]);
  for (const [n, law] of early) peers[n].sendTone('127.0.0.1', gatewayPort, TONES[n], PT[law]);

  await expect.poll(() => lastState(page), { timeout: 20_000 }).toBe('answered');
  const answeredAt = Date.now();
  // What the early dialogs got before the answer (the dialer's microphone, once its media is up): a figure for
  // the record, not a check (how soon the browser's media is up before the 200 is not ordered).
  for (const [n] of early) test.info().annotations.push({ type: `early peer ${n}`, description: `${peers[n].packets.length} packets before the answer` });
  for (const [n] of early) peers[n].stopTone();
  const [to, law] = answering;
  peers[to].sendTone('127.0.0.1', gatewayPort, TONES[to], PT[law]);

  await expect
    .poll(() => toneRatio(peers[to].audio(Date.now() - 1000, Date.now(), PT[law]), AGENT_TONE_HZ).ratio,
      { timeout: 15_000, message: `the dialer's microphone at the answering peer ${to}, in ${law}` })
    .toBeGreaterThan(0.6);
  await expect
    .poll(async () => (await hear(frame, TONES[to], 1000)).ratio, { timeout: 15_000, message: `peer ${to}'s tone in the dialer` })
    .toBeGreaterThan(0.6);
  // The answering peer hears the dialer: the relay sends to it now, and a relay sends to one address only. So
  // from here on no early peer may receive anything, shown against the answering peer's next 25 packets (order,
  // not time: before it sent its first packet, a stray early packet may latch the relay for a moment, which
  // on a loaded machine is longer than any fixed grace after `answered`).
  const switchedAt = Date.now();
  await expect.poll(() => peers[to].since(switchedAt, PT[law]).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(25);
  for (const [n] of early) {
    expect(peers[n].since(switchedAt).length, `packets at early peer ${n} once the answering peer hears the dialer`).toBe(0);
  }
  for (const [n] of early) {
    test.info().annotations.push({ type: `early peer ${n}`, description: `${peers[n].since(answeredAt).length} packets after the answer was seen` });
  }
  expect(await lastState(page)).toBe('answered');

  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => lastState(page)).toBe('disconnected');
  expect(await trunk.finished(), trunk.log()).toBe(0); // ACK and BYE in the dialog that answered
  return peers;
}

test('a 200 OK naming another port and codec than the 183 moves the relay there: PCMA both ways with the new port', async ({ browser }) => {
  await callAnsweredElsewhere(browser, 'moved', 'uas-early-then-answer-elsewhere', [['a', 'PCMU']], ['b', 'PCMA']);
});

test('forked 183s, then the second fork answers from a third port: the relay follows the fork that answered', async ({ browser }) => {
  await callAnsweredElsewhere(browser, 'forked', 'uas-forked-answer-elsewhere', [['a', 'PCMU'], ['b', 'PCMA']], ['c', 'PCMU']);
});
