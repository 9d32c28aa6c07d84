// coturn as the TURN server of the network tests: REST-API credentials (use-auth-secret), UDP and TCP on
// one port, TLS (self-signed certificate made here) on another, relay ports in a range of our own.
// Started with its PID kept and stopped by that PID (TESTING.md: allow-loopback-peers, or relaying to
// 127.0.0.1 fails with 403 Forbidden IP, logged nowhere).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stopPid } from './gateway.mjs';

export function coturnUnavailable() {
  const r = spawnSync('turnserver', ['--version'], { encoding: 'utf8' });
  return r.error ? 'turnserver is not installed (Debian package `coturn`; ./dialer test installs it)' : null;
}

export async function startCoturn({ port, tlsPort, relayMin, relayMax, secret, workDir }) {
  mkdirSync(workDir, { recursive: true });
  const cert = path.join(workDir, 'turn-cert.pem');
  const key = path.join(workDir, 'turn-key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make the TURN certificate: ${made.stderr}`);
  const cfg = path.join(workDir, 'turnserver.conf');
  writeFileSync(cfg, [
    'listening-ip=127.0.0.1', 'relay-ip=127.0.0.1', `listening-port=${port}`, `tls-listening-port=${tlsPort}`,
    `min-port=${relayMin}`, `max-port=${relayMax}`, 'fingerprint', 'use-auth-secret', `static-auth-secret=${secret}`,
    'realm=test.local', `cert=${cert}`, `pkey=${key}`, 'no-cli', 'no-dtls', 'log-file=stdout', 'simple-log', 'verbose',
    `userdb=${path.join(workDir, 'turndb')}`, 'allow-loopback-peers', 'no-multicast-peers',
    `alt-listening-port=0`, `alt-tls-listening-port=0`,
  ].join('\n') + '\n');
  const logFile = path.join(workDir, 'coturn.log');
  writeFileSync(logFile, '');
  const { openSync } = await import('node:fs');
  const log = openSync(logFile, 'a');
  const child = spawn('turnserver', ['-c', cfg], { stdio: ['ignore', log, log], detached: true });
  child.unref();
  const deadline = Date.now() + 10_000;
  while (!/listener opened on|Total (UDP|TCP) servers/.test(readFileSync(logFile, 'utf8'))) {
    if (Date.now() > deadline) {
      await stopPid(child.pid);
      throw new Error(`coturn did not start:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid, log: () => readFileSync(logFile, 'utf8'), stop: () => stopPid(child.pid) };
}
