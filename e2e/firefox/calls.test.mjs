// The call tests in Firefox ESR (puppeteer-core over WebDriver BiDi, see browser.mjs): sign-in,
// an outbound call with two-way audio (the far end's tone heard in the page, Firefox's fake
// microphone heard at the far end), an inbound call answered, hang-up, a reload during a call
// (audio re-attached without a click), two tabs, choosing audio devices during a call, and the
// callQuality event under 10 % packet loss. The same real peers as the Chromium suite:
// the gateway jar, SIPp as the trunk or caller, Node RTP tone peers. The gateway offers its ICE-TCP
// candidate (the default): with UDP blocked the call connects over TCP, and otherwise stays on UDP.
// Run: node --test firefox/
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkBuildOutputs, createUser, startFixtureServer, startGateway, stopPid } from '../support/gateway.mjs';
import { checkSipp, startSipp } from '../support/sipp.mjs';
import { webRtcPortOf } from '../support/constants.mjs';
import { blockUdpPort, loseUdpFromPort, udpBlockUnavailable } from '../support/netfault.mjs';
import { spawnTonePeer } from '../support/tone-peer.mjs';
import { startRtpPeer, toneRatio } from '../support/tone.mjs';
import { FAKE_MIC_HZ, clickButton, dialerFrame, hear, launchFirefox, poll, textOf } from './browser.mjs';
import * as P from './ports.mjs';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/firefox');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const FAR_END = '+12025550143';
const PEER_TONE_HZ = 440;
const USERS = {
  ffsignin: { extension: '601', number: '+12025550161' },
  ffout: { extension: '602', number: '+12025550162' },
  ffin: { extension: '603', number: '+12025550163' },
  ffreload: { extension: '604', number: '+12025550164' },
  fftabs: { extension: '605', number: '+12025550165' },
  ffdevices: { extension: '606', number: '+12025550166' },
  ffquality: { extension: '607', number: '+12025550167' },
  fftcp: { extension: '608', number: '+12025550168' },
};
const displayName = (u) => `Firefox ${u.slice(2)}`;

let gateway;
let fixtures;
let browser;
let cleanups = [];

before(async () => {
  checkBuildOutputs();
  checkSipp();
  mkdirSync(WORK_DIR, { recursive: true });
  gateway = await startGateway({
    httpPort: P.FF_HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [P.FF_HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'firefox-gateway',
    env: {
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${P.FF_TRUNK_PORT}`,
      DIALER_SIP_PORT: String(P.FF_SIP_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_RTP_PORTS: P.FF_RTP_PORTS,
      // ICE-TCP on (the default): Firefox nominates aggressively (USE-CANDIDATE on every check), yet its audio
      // must stay on UDP while UDP works (the loss test drops UDP from the WebRTC port only). With
      // DIALER_LOG_LEVEL=debug the gateway logs each leg's media path ("media path UDP ...").
    },
  });
  fixtures = await startFixtureServer({ ports: [P.FF_HOST_PORT], gatewayUrl: gateway.url, adminKey: gateway.adminKey, workDir: WORK_DIR });
  for (const [username, u] of Object.entries(USERS)) {
    await createUser(gateway, { username, password: PASSWORD, display_name: displayName(username), ...u });
  }
  browser = await launchFirefox();
});

afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

after(async () => {
  await browser?.close().catch(() => undefined);
  if (fixtures) await stopPid(fixtures.pid);
  if (gateway) {
    await stopPid(gateway.pid);
    rmSync(gateway.dataDir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------

/** The harness page with a dialer, recording callStateChanged from the start. */
async function openHost(page, { reload = false } = {}) {
  if (reload) await page.reload();
  else await page.goto(`${P.FF_HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    window.calls = window.harness.record();
    window.quality = window.harness.record(['callQuality']);
  }, gateway.url);
  return dialerFrame(page, gateway.url);
}

async function signIn(frame, user) {
  await frame.waitForSelector('#username');
  await frame.type('#username', user);
  await frame.type('#password', PASSWORD);
  await frame.click('form.sign-in button[type=submit]');
  await expectSignedIn(frame, user);
}

async function expectSignedIn(frame, user) {
  await poll(() => textOf(frame, 'h1.user-name'), (t) => t === displayName(user), { message: `signed in as ${user}` });
  await poll(() => textOf(frame, '[role=status]'), (t) => t === 'Connected', { message: 'connected' });
}

/** A signed-in dialer of `user` in a fresh browser context (a device of its own). */
async function agent(user) {
  const context = await browser.createBrowserContext();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const frame = await openHost(page);
  await signIn(frame, user);
  return { context, page, frame };
}

const hostCall = (page, method, arg) =>
  page.evaluate((m, a) => window.harness.outcome(() => (a === null ? window.dialer[m]() : window.dialer[m](a))), method, arg ?? null);

/** What the host's subscriber saw: state and end_reason of each callStateChanged. */
const seen = (page) => page.evaluate(() => window.calls.list.map((e) => `${e.call.state}${e.call.end_reason ? `:${e.call.end_reason}` : ''}`));
const lastState = async (page) => (await seen(page)).at(-1) ?? null;

async function expectState(page, state, message = state) {
  await poll(() => lastState(page), (s) => s === state, { message: `the host page sees ${message}` });
}

async function expectTone(frame, freq, message) {
  await poll(() => hear(frame, freq), (h) => h.ratio > 0.6, { message, interval: 0 });
}

const messageLog = (name) => path.join(WORK_DIR, `${name}_messages.log`);

/** The gateway's RTP port in its SDP (offer or answer), read from SIPp's message log; 0 until there. */
function gatewayRtpPort(name, peerPort) {
  const file = messageLog(name);
  if (!existsSync(file)) return 0;
  for (const m of readFileSync(file, 'utf8').matchAll(/m=audio (\d+) RTP\/AVP/g)) if (Number(m[1]) !== peerPort) return Number(m[1]);
  return 0;
}

/** SIPp as the trunk, answering with the RTP peer on FF_PEER_PORT as its media. */
async function trunk(name) {
  rmSync(messageLog(name), { force: true });
  const s = await startSipp({
    scenario: 'uas-media-peer',
    name,
    port: P.FF_TRUNK_PORT,
    mediaPort: P.FF_TRUNK_MEDIA_PORT,
    logDir: WORK_DIR,
    extraArgs: ['-key', 'peer_port', String(P.FF_PEER_PORT), '-timeout', '90s'],
  });
  cleanups.push(() => s.stop());
  return s;
}

/** The far end's media: records what arrives on FF_PEER_PORT and plays a 440 Hz tone once told where. */
async function farEnd(sippName) {
  const peer = await startRtpPeer(P.FF_PEER_PORT);
  cleanups.push(() => peer.close());
  const port = await poll(() => gatewayRtpPort(sippName, P.FF_PEER_PORT), (p) => p > 0, { message: `the gateway's RTP port in ${sippName}'s log` });
  peer.sendTone('127.0.0.1', port, PEER_TONE_HZ);
  return peer;
}

/** An answered outbound call of `user` to SIPp, with the far end's tone playing. */
async function answeredCall(user, name) {
  const a = await agent(user);
  const sipp = await trunk(name);
  assert.deepEqual(await hostCall(a.page, 'placeCall', { to: FAR_END }), { ok: true, result: null });
  await expectState(a.page, 'answered');
  const peer = await farEnd(name);
  return { ...a, sipp, peer };
}

// ---------------------------------------------------------------------------------------------

test('sign-in: the form signs in, the dialer shows the user and Connected, getAuthState agrees', async () => {
  const { page } = await agent('ffsignin');
  const auth = await hostCall(page, 'getAuthState');
  assert.equal(auth.ok, true);
  assert.equal(auth.result.signed_in, true);
  assert.equal(auth.result.user.display_name, displayName('ffsignin'));
});

test('outbound call: the far end’s tone plays in the page, the fake microphone’s 1 kHz tone reaches the far end; hangUp ends it', async () => {
  const { page, frame, sipp, peer } = await answeredCall('ffout', 'ff-out');
  await expectTone(frame, PEER_TONE_HZ, 'the far end’s 440 Hz tone in the page');
  const heard = await hear(frame, PEER_TONE_HZ);
  assert.ok(heard.rms > 0.01, `audible: rms ${heard.rms}`);
  await poll(() => toneRatio(peer.audio(Date.now() - 1000), FAKE_MIC_HZ).ratio, (r) => r > 0.6, {
    message: 'Firefox’s fake microphone (1 kHz) at the far end, as PCMU',
  });
  assert.deepEqual(await hostCall(page, 'hangUp'), { ok: true, result: null });
  await expectState(page, 'disconnected:local_hangup');
  assert.deepEqual(await seen(page), ['connecting', 'answered', 'disconnected:local_hangup']);
  assert.equal(await sipp.finished(), 0, sipp.log());
});

test('inbound call: rings in the dialer, answered with its Answer button, the caller’s tone plays; hangUp sends BYE', async () => {
  const { page, frame } = await agent('ffin');
  const name = 'ff-in';
  rmSync(messageLog(name), { force: true });
  const peer = await spawnTonePeer({ port: P.FF_PEER_PORT, freq: PEER_TONE_HZ });
  cleanups.push(() => peer.kill('SIGKILL'));
  const caller = await startSipp({
    scenario: 'uac-media-peer-wait-bye',
    name,
    port: P.FF_CALLER_PORT,
    mediaPort: P.FF_CALLER_MEDIA_PORT,
    remote: `127.0.0.1:${P.FF_SIP_PORT}`,
    service: USERS.ffin.number,
    logDir: WORK_DIR,
    extraArgs: ['-key', 'peer_port', String(P.FF_PEER_PORT), '-timeout', '90s'],
  });
  cleanups.push(() => caller.stop());
  await poll(() => textOf(frame, '.call-panel h2, .call-panel h1'), (t) => t === 'Incoming call', { message: 'the incoming call in the dialer' });
  await clickButton(frame, 'Answer', '.call-panel');
  await expectState(page, 'answered');
  peer.sendTo(await poll(() => gatewayRtpPort(name, P.FF_PEER_PORT), (p) => p > 0, { message: 'the gateway’s SDP answer' }));
  await expectTone(frame, PEER_TONE_HZ, 'the caller’s tone in the page');
  assert.deepEqual(await hostCall(page, 'hangUp'), { ok: true, result: null });
  await expectState(page, 'disconnected:local_hangup');
  assert.equal(await caller.finished(), 0, caller.log());
});

test('reload during an answered call: the new subscriber sees answered and the tone plays again without a click', async () => {
  const { page, frame, sipp } = await answeredCall('ffreload', 'ff-reload');
  await expectTone(frame, PEER_TONE_HZ, 'the far end’s tone before the reload');
  const reloaded = await openHost(page, { reload: true });
  await expectSignedIn(reloaded, 'ffreload');
  await poll(() => seen(page), (s) => s.length === 1 && s[0] === 'answered', { message: 'the reloaded page’s subscriber sees the call answered' });
  await expectTone(reloaded, PEER_TONE_HZ, 'the far end’s tone in the reloaded dialer');
  assert.deepEqual(await hostCall(page, 'hangUp'), { ok: true, result: null });
  await expectState(page, 'disconnected:local_hangup');
  assert.equal(await sipp.finished(), 0, sipp.log());
});

test('two tabs: a call placed in A shows read-only in B; "Take the call here" moves the tone to B', async () => {
  const a = await answeredCall('fftabs', 'ff-tabs');
  await expectTone(a.frame, PEER_TONE_HZ, 'the far end’s tone in tab A');
  const pageB = await a.context.newPage();
  const frameB = await openHost(pageB);
  await expectSignedIn(frameB, 'fftabs'); // the session is resumed from the iframe's storage
  await poll(() => textOf(frameB, '.call-panel'), (t) => t?.includes('On a call in another tab'), { message: 'tab B shows the call read-only' });
  assert.ok((await hear(frameB, PEER_TONE_HZ)).ratio < 0.2, 'no tone in tab B: A carries the audio');
  await clickButton(frameB, 'Take the call here', '.call-panel');
  await expectTone(frameB, PEER_TONE_HZ, 'the far end’s tone in tab B after "Take the call here"');
  await poll(() => textOf(a.frame, '.call-panel'), (t) => t?.includes('On a call in another tab'), { message: 'tab A now shows the call read-only' });
  assert.deepEqual(await hostCall(pageB, 'hangUp'), { ok: true, result: null });
  await expectState(a.page, 'disconnected:local_hangup');
  await expectState(pageB, 'disconnected:local_hangup');
  assert.equal(await a.sipp.finished(), 0, a.sipp.log());
});

test('audio devices: Firefox’s fake devices are listed; output, ringer and microphone switched during a call, the audio goes on; the choice is remembered', async () => {
  const { page, frame, sipp, peer } = await answeredCall('ffdevices', 'ff-devices');
  await expectTone(frame, PEER_TONE_HZ, 'the far end’s tone before switching');
  const listed = await hostCall(page, 'getAudioDevices');
  assert.equal(listed.ok, true, JSON.stringify(listed));
  const { inputs, outputs } = listed.result;
  assert.ok(inputs.length >= 1, `a fake microphone: ${JSON.stringify(inputs)}`);
  assert.ok(outputs.length >= 2, `Firefox’s two fake outputs: ${JSON.stringify(outputs)}`);
  const [speaker, headset] = [outputs[0], outputs.at(-1)];
  assert.deepEqual(await hostCall(page, 'setAudioDevices', { output: headset.id, ringer: speaker.id, input: inputs[0].id }), { ok: true, result: null });
  assert.equal(await frame.evaluate(() => document.querySelector('audio[data-role="remote-audio"]').sinkId), headset.id);
  assert.equal(await frame.evaluate(() => document.querySelector('audio[data-role="ringer-audio"]').sinkId), speaker.id);
  // The microphone was replaced in place: still the fake 1 kHz tone at the far end, and still the far end's tone here.
  const switched = Date.now();
  await poll(() => toneRatio(peer.audio(Math.max(switched, Date.now() - 1000)), FAKE_MIC_HZ).ratio, (r) => r > 0.6, {
    message: 'the microphone’s tone at the far end after the switch',
  });
  await expectTone(frame, PEER_TONE_HZ, 'the far end’s tone on the chosen output');
  const wrong = await hostCall(page, 'setAudioDevices', { output: 'no-such-device' });
  assert.equal(wrong.name, 'InvalidOptionsError', JSON.stringify(wrong));
  assert.deepEqual(await hostCall(page, 'hangUp'), { ok: true, result: null });
  await expectState(page, 'disconnected:local_hangup');
  assert.equal(await sipp.finished(), 0, sipp.log());
  // Remembered for this browser: the reloaded dialer's Audio settings show the choice.
  const reloaded = await openHost(page, { reload: true });
  await expectSignedIn(reloaded, 'ffdevices');
  await reloaded.evaluate(() => {
    const details = document.querySelector('details.audio-settings');
    details.open = true;
  });
  await poll(() => reloaded.evaluate(() => document.querySelector('#device-output')?.value), (id) => id === headset.id, {
    message: 'the remembered output in Audio settings after a reload',
  });
  assert.equal(await reloaded.evaluate(() => document.querySelector('#device-ringer').value), speaker.id);
});

test('call quality: 10 % loss on the gateway’s WebRTC port raises high_packet_loss within 15 s (loss 3–30 %), cleared once the loss stops', { skip: udpBlockUnavailable() ?? false }, async () => {
  const { page, frame, sipp } = await answeredCall('ffquality', 'ff-quality');
  await expectTone(frame, PEER_TONE_HZ, 'the far end’s tone');
  const quality = () => page.evaluate(() => window.quality.list.map((e) => ({ callId: e.callId, mos: e.mos, loss: e.packet_loss_pct, warnings: e.warnings })));
  // The first sample may carry the call's start-up (e.g. the first round trips): wait for a clean one.
  await poll(quality, (l) => l.some((e) => e.warnings.length === 0 && e.loss < 1 && e.mos > 4), { message: 'a callQuality event of a clean call' });
  let restore = loseUdpFromPort(webRtcPortOf(P.FF_HTTP_PORT), 0.1);
  try {
    const lossy = await poll(quality, (l) => l.some((e) => e.warnings.includes('high_packet_loss')), { timeout: 15_000, message: 'high_packet_loss under 10 % loss' });
    const raised = lossy.find((e) => e.warnings.includes('high_packet_loss'));
    assert.ok(raised.loss >= 3 && raised.loss <= 30, `packet_loss_pct ${raised.loss}`);
    assert.ok(await frame.evaluate(() => document.querySelector('.signal')?.dataset.warnings?.includes('high_packet_loss')), 'the dialer’s indicator shows it');
  } finally {
    restore();
  }
  const before = (await quality()).length;
  await poll(quality, (l) => l.length > before && !l.at(-1).warnings.includes('high_packet_loss'), { timeout: 15_000, message: 'high_packet_loss cleared after the loss stopped' });
  assert.deepEqual(await hostCall(page, 'hangUp'), { ok: true, result: null });
  await expectState(page, 'disconnected:local_hangup');
  assert.equal(await sipp.finished(), 0, sipp.log());
});

/** Established TCP connections to the gateway's WebRTC port (ICE-TCP, RFC 6544), counted with ss. */
function iceTcpConnections() {
  const r = spawnSync('ss', ['-Htn', 'state', 'established', `( dport = :${webRtcPortOf(P.FF_HTTP_PORT)} )`], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.trim()).length;
}

test('UDP to the gateway blocked: the call connects over ICE-TCP and both tones are heard', { skip: udpBlockUnavailable() ?? false }, async () => {
  const before = iceTcpConnections();
  const unblock = blockUdpPort(webRtcPortOf(P.FF_HTTP_PORT));
  try {
    const { page, frame, sipp, peer } = await answeredCall('fftcp', 'ff-tcp');
    await expectTone(frame, PEER_TONE_HZ, 'the far end’s tone over ICE-TCP');
    const since = Date.now();
    await poll(() => toneRatio(peer.audio(Math.max(since, Date.now() - 1000)), FAKE_MIC_HZ).ratio, (r) => r > 0.6, {
      message: 'Firefox’s microphone at the far end over ICE-TCP',
    });
    assert.ok(iceTcpConnections() > before, 'Firefox holds a TCP connection to the WebRTC port');
    assert.deepEqual(await hostCall(page, 'hangUp'), { ok: true, result: null });
    await expectState(page, 'disconnected:local_hangup');
    assert.equal(await sipp.finished(), 0, sipp.log());
  } finally {
    unblock();
  }
});
