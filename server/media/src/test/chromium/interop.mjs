// Manual check that Chromium accepts the gateway's media stack (not part of `mvn verify`).
//   mvn -B -q -pl server/media -am test-compile
//   mvn -B -q -f server/media/pom.xml dependency:build-classpath -Dmdep.outputFile=/tmp/media-cp.txt
//   node server/media/src/test/chromium/interop.mjs
// Uses Debian's /usr/bin/chromium and playwright-core from e2e/node_modules (npm ci in e2e/).
// Prints Chromium's transport and inbound-rtp stats; success is "state":"connected",
// packetsReceived ≈ 200, srtpCipher SRTP_AES128_CM_HMAC_SHA1_80, and "leg closed: DTLS closed by peer".
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

const java = spawn('java', ['-cp', classpath, 'org.opendialer.media.webrtc.ChromiumInterop'], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = readline.createInterface({ input: java.stdout });
const nextLine = () => new Promise((resolve) => lines.once('line', resolve));

// getUserMedia needs a secure context: serve an empty page on localhost.
const server = http.createServer((_, res) => { res.setHeader('content-type', 'text/html'); res.end('<!doctype html><title>interop</title>'); });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--use-fake-device-for-media-stream'] });
try {
  const page = await (await browser.newContext({ permissions: ['microphone'] })).newPage();
  await page.goto(`http://localhost:${server.address().port}/`);
  const offer = await page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = new RTCPeerConnection();
    window.pc = pc;
    const transceiver = pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendrecv' });
    transceiver.setCodecPreferences(RTCRtpSender.getCapabilities('audio').codecs
      .filter((c) => c.mimeType === 'audio/PCMU' || c.mimeType === 'audio/telephone-event'));
    // Remote audio is only rendered (and measured) when attached to an element.
    pc.ontrack = (e) => { const a = document.createElement('audio'); a.srcObject = new MediaStream([e.track]); a.play(); };
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription.sdp;
  });
  java.stdin.write(Buffer.from(offer).toString('base64') + '\n');
  const answer = Buffer.from(await nextLine(), 'base64').toString();
  await page.evaluate(async (sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp }), answer);
  const stats = () => page.evaluate(async () => {
    const out = { state: window.pc.connectionState };
    (await window.pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp') Object.assign(out, { packetsReceived: s.packetsReceived, audioLevel: s.audioLevel });
      if (s.type === 'outbound-rtp') out.packetsSent = s.packetsSent;
      if (s.type === 'remote-outbound-rtp') out.senderReportsFromGateway = s.reportsSent;
      if (s.type === 'transport') Object.assign(out, { dtlsState: s.dtlsState, tlsVersion: s.tlsVersion, dtlsCipher: s.dtlsCipher, srtpCipher: s.srtpCipher });
    });
    return out;
  });
  await new Promise((resolve) => setTimeout(resolve, 2500));
  console.log('chromium mid-stream:', JSON.stringify(await stats()));
  console.log('java:', await nextLine());
  console.log('chromium at end:', JSON.stringify(await stats()));
  await page.evaluate(() => window.pc.close());
  await new Promise((resolve) => setTimeout(resolve, 1000));
} finally {
  java.stdin.end('\n');
  await browser.close();
  server.close();
}
