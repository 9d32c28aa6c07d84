// Manual check of MediaSession against Chromium (not part of `mvn verify`): Chromium ⇄ relay ⇄ a
// plain RTP echo peer (what SIPp -rtp_echo does), through the API the call engine uses.
//   mvn -B -q -o -pl server/media test-compile
//   mvn -B -q -o -f server/media/pom.xml dependency:build-classpath -Dmdep.outputFile=/tmp/media-cp.txt
//   node server/media/src/test/chromium/relay-interop.mjs
// Steps: call (PCMU), DTMF "123", codec change to PCMA on the same RTCPeerConnection (updateMedia),
// ICE restart, then a reload (a new RTCPeerConnection takes side A over). After each step it prints
// Chromium's inbound packet count and audio level and the Java side's counters; each step passes
// when Chromium's packetsReceived grew and the echo peer saw the expected codec.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../../..');
const { chromium } = createRequire(path.join(root, 'e2e/package.json'))('playwright-core');
const classpath = [path.join(root, 'server/media/target/test-classes'), path.join(root, 'server/media/target/classes'),
  readFileSync(process.env.MEDIA_CP ?? '/tmp/media-cp.txt', 'utf8').trim()].join(':');

const java = spawn('java', ['-cp', classpath, 'org.opendialer.media.relay.RelayChromiumInterop'], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = readline.createInterface({ input: java.stdout });
const pending = [];
lines.on('line', (line) => pending.shift()?.(line));
const ask = (command) => new Promise((resolve) => { pending.push(resolve); java.stdin.write(command + '\n'); });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = http.createServer((_, res) => { res.setHeader('content-type', 'text/html'); res.end('<!doctype html><title>relay interop</title>'); });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--use-fake-device-for-media-stream'] });
const results = [];
try {
  const page = await (await browser.newContext({ permissions: ['microphone'] })).newPage();
  await page.goto(`http://localhost:${server.address().port}/`);
  await page.evaluate(() => {
    window.newPc = async (first) => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, autoGainControl: false, noiseSuppression: false } });
      const pc = new RTCPeerConnection();
      const transceiver = pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendrecv' });
      window.pc = pc;
      window.transceiver = transceiver;
      window.prefer(first);
      pc.ontrack = (e) => { const a = document.createElement('audio'); a.srcObject = new MediaStream([e.track]); a.play(); };
    };
    window.prefer = (first) => {
      const codecs = RTCRtpSender.getCapabilities('audio').codecs;
      const pick = (mime) => codecs.filter((c) => c.mimeType === mime && (mime !== 'audio/telephone-event' || c.clockRate === 8000));
      const order = first === 'PCMA' ? ['audio/PCMA', 'audio/PCMU'] : ['audio/PCMU', 'audio/PCMA'];
      window.transceiver.setCodecPreferences([...pick(order[0]), ...pick(order[1]), ...pick('audio/telephone-event')]);
    };
    window.offer = async (restart) => {
      if (restart) window.pc.restartIce();
      await window.pc.setLocalDescription(await window.pc.createOffer());
      return window.pc.localDescription.sdp;
    };
    window.stats = async () => {
      const out = { state: window.pc.connectionState };
      (await window.pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp') Object.assign(out, { packetsReceived: s.packetsReceived, audioLevel: s.audioLevel, packetsLost: s.packetsLost, jitter: s.jitter });
        if (s.type === 'outbound-rtp') out.packetsSent = s.packetsSent;
        if (s.type === 'remote-inbound-rtp') out.roundTripTime = s.roundTripTime;
        if (s.type === 'remote-outbound-rtp') out.senderReportsFromRelay = s.reportsSent;
        if (s.type === 'codec' && s.mimeType) (out.codecs ??= []).push(`${s.payloadType} ${s.mimeType}`);
        if (s.type === 'transport') Object.assign(out, { dtlsState: s.dtlsState, srtpCipher: s.srtpCipher });
      });
      return out;
    };
  });

  const offerAnswer = async (codec, restart = false) => {
    const offer = await page.evaluate((r) => window.offer(r), restart);
    const reply = await ask(`OFFER ${Buffer.from(offer).toString('base64')} ${codec}`);
    if (!reply.startsWith('ANSWER ')) throw new Error(reply);
    const answer = Buffer.from(reply.slice(7), 'base64').toString();
    await page.evaluate(async (sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp }), answer);
  };
  const step = async (name, wait, check) => {
    const before = await page.evaluate(() => window.stats());
    const javaBefore = JSON.parse((await ask('STATS')).slice(6));
    await sleep(wait);
    const after = await page.evaluate(() => window.stats());
    const javaAfter = JSON.parse((await ask('STATS')).slice(6));
    const ok = check(before, after, javaBefore, javaAfter);
    results.push({ name, ok });
    console.log(`${ok ? 'PASS' : 'FAIL'} ${name}\n  chromium: ${JSON.stringify(after)}\n  java: ${JSON.stringify(javaAfter)}`);
  };
  const grew = (b, a) => (a.packetsReceived ?? 0) > (b.packetsReceived ?? 0) + 50;

  await page.evaluate(() => window.newPc('PCMU'));
  await offerAnswer('ANY');
  await step('call: PCMU both ways through the echo peer', 4000, (b, a, jb, ja) =>
    a.state === 'connected' && grew(b, a) && ja.toEcho.pcmu > jb.toEcho.pcmu + 50);

  await page.evaluate(() => window.transceiver.sender.dtmf.insertDTMF('123', 100, 70));
  await step('DTMF 123 reaches the SIP side as telephone-event 101', 2500, (b, a, jb, ja) =>
    ja.toEcho.eventEnds - jb.toEcho.eventEnds >= 3);

  await page.evaluate(() => window.prefer('PCMA'));
  await offerAnswer('PCMA');
  await step('codec change to PCMA on the same peer connection (no new DTLS)', 4000, (b, a, jb, ja) =>
    a.state === 'connected' && grew(b, a) && ja.toEcho.pcma > jb.toEcho.pcma + 50 && ja.browserCodec === 'PCMA');

  await offerAnswer('PCMA', true);
  // By now (> 10 s) the relay's RTCP has reached Chromium: SRs counted, and the report block's
  // LSR/DLSR give it a round-trip time.
  await step('ICE restart keeps audio flowing; relay SRs and RTT seen by Chromium', 4000, (b, a, jb, ja) =>
    a.state === 'connected' && grew(b, a) && ja.toEcho.pcma > jb.toEcho.pcma + 50
    && a.senderReportsFromRelay > 0 && a.roundTripTime > 0);

  await page.evaluate(() => { window.oldPc = window.pc; });
  await page.evaluate(() => window.newPc('PCMU'));
  await offerAnswer('PCMU');
  await page.evaluate(() => window.oldPc.close());
  await step('reload: a new peer connection takes side A over', 4000, (b, a, jb, ja) =>
    a.state === 'connected' && (a.packetsReceived ?? 0) > 50 && ja.toEcho.pcmu > jb.toEcho.pcmu + 50);
} finally {
  java.stdin.write('QUIT\n');
  await browser.close();
  server.close();
}
const failed = results.filter((r) => !r.ok).length;
console.log(failed === 0 ? `all ${results.length} steps passed` : `${failed} of ${results.length} steps failed`);
process.exitCode = failed === 0 ? 0 : 1;
