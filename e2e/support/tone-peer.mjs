// The far end's media as a process of its own, so that a test can SIGKILL it like a phone that
// vanishes: `node tone-peer.mjs <port> <freq>` binds UDP <port> on 127.0.0.1 at once (what the
// gateway sends there is received and dropped), and once told the gateway's RTP port (`sendTo`,
// an IPC message) sends 20 ms PCMU packets of a <freq> Hz tone there until it is stopped.
// `spawnTonePeer` starts it and waits for "ready" on its stdout.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRtpPeer } from './tone.mjs';

const self = fileURLToPath(import.meta.url);

if (process.argv[1] === self) {
  const [port, freq] = process.argv.slice(2).map(Number);
  const peer = await startRtpPeer(port);
  let sending = false;
  process.on('message', (m) => {
    if (sending || !m || typeof m.toPort !== 'number') return;
    sending = true;
    peer.sendTone('127.0.0.1', m.toPort, freq);
  });
  // Keep no recording: the test only needs the far end's tone.
  setInterval(() => peer.packets.splice(0), 1000);
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void peer.close().then(() => process.exit(0)));
  // The test process went away: do not linger.
  process.on('disconnect', () => process.exit(0));
}

/** Starts the tone peer; resolves once its port is bound. `kill(signal)` signals this PID only. */
export async function spawnTonePeer({ port, freq }) {
  const child = spawn(process.execPath, [self, String(port), String(freq)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let done = null;
  void exited.then((r) => (done = r));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tone peer did not start: ${output}`)), 10_000);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    void exited.then((r) => {
      clearTimeout(timer);
      reject(new Error(`tone peer exited at start (${JSON.stringify(r)}): ${output}`));
    });
  });
  return {
    pid: child.pid,
    /** Starts the tone toward 127.0.0.1:`toPort`. */
    sendTo(toPort) {
      child.send({ toPort });
    },
    async kill(signal = 'SIGTERM') {
      if (done) return done;
      child.kill(signal);
      return exited;
    },
  };
}
