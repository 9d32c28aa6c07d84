// Starts SIPp (Debian package sip-tester) as the far end of e2e calls: the trunk (a UAS scenario
// listening on a fixed port the gateway's DIALER_SIP_TRUNK points at) or a caller (a UAC scenario
// sending to the gateway's SIP port). Every SIPp runs one call (-m 1) on 127.0.0.1 with explicit
// signalling and media ports, is kept as a child process and stopped by its PID.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCENARIO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sipp');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Throws with the install hint when the `sipp` binary is missing. */
export function checkSipp() {
  const probe = spawnSync('sipp', ['-v'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error('SIPp is not installed: apt-get install sip-tester (the Debian package of the `sipp` binary).');
  }
}

/**
 * Whether something is bound to UDP `port` on 127.0.0.1, read from /proc/net/udp. Not by binding a
 * probe socket: the probe holds the port for a moment, and a SIPp binding in that moment fails with
 * "Unable to bind main socket, errno = 98" (a CI run failed so).
 */
function udpPortTaken(port) {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .slice(1)
    .some((line) => line.trim().split(/\s+/)[1] === local);
}

/**
 * Starts `sipp -sf e2e/sipp/<scenario>.xml` for one call.
 * - `port`: SIPp's own SIP port (UDP); `mediaPort`: its RTP port.
 * - `remote`: `host:port` to send to (UAC scenarios); `service`: the user part of the Request-URI.
 * - `logDir`: where SIPp writes its message and error logs (`<name>_messages.log`, `<name>_errors.log`).
 * - `extraArgs`: more SIPp options, e.g. `['-rtp_echo']` or `['-key', 'peer_port', '18126']`.
 * Resolves once SIPp's SIP socket is bound, so a UAS is ready to receive.
 */
export async function startSipp({ scenario, port, mediaPort, remote, service, logDir, name = scenario, extraArgs = [] }) {
  const file = path.join(SCENARIO_DIR, `${scenario}.xml`);
  if (!existsSync(file)) throw new Error(`no SIPp scenario ${file}`);
  const messageLog = path.join(logDir, `${name}_messages.log`);
  const errorLog = path.join(logDir, `${name}_errors.log`);
  const args = [
    '-sf', file,
    '-i', '127.0.0.1', '-p', String(port),
    '-mi', '127.0.0.1', '-mp', String(mediaPort),
    '-m', '1',
    '-nostdin',
    '-trace_msg', '-message_file', messageLog,
    '-trace_err', '-error_file', errorLog,
    // Give up on a stuck call instead of hanging the test.
    '-timeout', '30s', '-timeout_error',
  ];
  args.push(...extraArgs);
  if (service) args.push('-s', service);
  if (remote) args.push(remote);
  const child = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: logDir });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let done = null;
  void exited.then((result) => (done = result));

  for (let i = 0; i < 50 && !done && !udpPortTaken(port); i++) await sleep(50);
  if (done) throw new Error(`sipp ${scenario} exited at start (${JSON.stringify(done)}): ${stderr}`);

  return {
    pid: child.pid,
    /**
     * Waits for SIPp to finish its one call. Resolves with the exit code (0: the call followed the
     * scenario; 1: it did not), or rejects after `timeoutMs`.
     */
    async finished(timeoutMs = 15_000) {
      const timeout = sleep(timeoutMs).then(() => 'timeout');
      const result = await Promise.race([exited, timeout]);
      if (result === 'timeout') throw new Error(`sipp ${scenario} did not finish within ${timeoutMs} ms\n${this.log()}`);
      return result.code;
    },
    /** SIPp's message log and error log, for failure messages. */
    log() {
      const read = (f) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
      return `--- ${name} errors\n${read(errorLog)}${stderr}\n--- ${name} messages\n${read(messageLog)}`;
    },
    /** SIP messages SIPp received, as their first lines (e.g. "BYE sip:...", "SIP/2.0 200 OK"). */
    received() {
      const text = existsSync(messageLog) ? readFileSync(messageLog, 'utf8') : '';
      const lines = [];
      for (const block of text.split(/\n(?=-{10,})/)) {
        if (!/message received/.test(block)) continue;
        const first = block.split('\n').find((l) => /^(SIP\/2\.0 \d{3}|[A-Z]+ sip:)/.test(l.trim()));
        if (first) lines.push(first.trim());
      }
      return lines;
    },
    /** SIGTERM, then SIGKILL; only this PID. */
    async stop() {
      if (done) return;
      child.kill('SIGTERM');
      const result = await Promise.race([exited, sleep(3000).then(() => null)]);
      if (!result) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
