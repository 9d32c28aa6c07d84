// Real peers for PBX mode: Kamailio 5.6 as registrar/proxy with digest auth (the config template of
// server/testkit, one source for the Java and the browser tests) and baresip as the other phone
// (auto-answer, driven over ctrl_tcp). Every process is a child kept by PID and stopped by that PID;
// stop baresip before Kamailio (baresip waits for its un-REGISTER).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './gateway.mjs';

const TEMPLATE = path.join(REPO_ROOT, 'server/testkit/src/main/resources/org/opendialer/testkit/kamailio.cfg');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Throws with the install hint when Kamailio or baresip is missing. */
export function checkPbxPeers() {
  for (const [bin, pkg] of [['kamailio', 'kamailio'], ['kamcmd', 'kamailio'], ['baresip', 'baresip-core']]) {
    if (spawnSync('which', [bin]).status !== 0) throw new Error(`${bin} is not installed: apt-get install -y ${pkg}`);
  }
}

function tail(file, chars = 6000) {
  try {
    const text = readFileSync(file, 'latin1');
    return text.slice(-chars);
  } catch {
    return '';
  }
}

async function stopChild(child, exited, graceMs) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([exited, sleep(graceMs).then(() => null)]);
  if (!done) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Starts Kamailio on 127.0.0.1:`port` with `users` (name → password); resolves once kamcmd answers. */
export async function startKamailio({ port, users, maxExpires = 60, dir }) {
  mkdirSync(dir, { recursive: true });
  const ctl = path.join(dir, 'kamailio_ctl');
  const passwords = Object.entries(users)
    .map(([user, pass]) => {
      if (!/^[A-Za-z0-9._-]+$/.test(user) || !/^[A-Za-z0-9._-]+$/.test(pass)) throw new Error('test users: letters, digits . _ - only');
      return `    if ($var(user) == "${user}") { $var(pass) = "${pass}"; }`;
    })
    .join('\n');
  const cfg = readFileSync(TEMPLATE, 'utf8')
    .replaceAll('@PORT@', String(port))
    .replaceAll('@CTL@', ctl)
    .replaceAll('@MAX_EXPIRES@', String(maxExpires))
    .replaceAll('@PASSWORDS@', passwords);
  const cfgFile = path.join(dir, 'kamailio.cfg');
  writeFileSync(cfgFile, cfg);
  const logFile = path.join(dir, 'kamailio.log');
  const log = openSync(logFile, 'w');
  const child = spawn('kamailio', ['-f', cfgFile, '-DD', '-E', '-m', '32', '-M', '8', '-P', path.join(dir, 'kamailio.pid'), '-Y', dir], {
    cwd: dir,
    stdio: ['ignore', log, log],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const rpc = (...args) => spawnSync('kamcmd', ['-s', `unix:${ctl}`, ...args], { encoding: 'utf8', timeout: 10_000 });
  const kamailio = {
    pid: child.pid,
    port,
    uri: `sip:127.0.0.1:${port}`,
    /** `kamcmd ul.dump`: the registrar's location table. */
    locationTable() {
      const r = rpc('ul.dump');
      if (r.status !== 0) throw new Error(`kamcmd ul.dump failed: ${r.stdout}${r.stderr}`);
      return r.stdout;
    },
    log: () => tail(logFile),
    stop: () => stopChild(child, exited, 5000),
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`kamailio exited at start:\n${tail(logFile)}`);
    if (rpc('core.version').status === 0) return kamailio;
    if (i > 150) {
      await kamailio.stop();
      throw new Error(`kamailio did not answer on ${ctl} within 15 s:\n${tail(logFile)}`);
    }
    await sleep(100);
  }
}

/**
 * Starts baresip with the account `sip:user@registrar` (auto-answer), SIP on 127.0.0.1:`sipPort`,
 * ctrl_tcp on 127.0.0.1:`ctrlPort`, RTP in `rtpPorts`. Resolves once the control port is connected.
 */
export async function startBaresip({ user, password, registrar, sipPort, ctrlPort, rtpPorts, dir }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'net_interface 127.0.0.1',
      'dns_server 127.0.0.1:53',
      `rtp_ports ${rtpPorts}`,
      'audio_player alsa,null',
      'audio_source alsa,null',
      'audio_alert alsa,null',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module alsa.so',
      'module_app account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'accounts'), `<sip:${user}@${registrar}>;auth_pass=${password};answermode=auto;regint=60\n`);
  writeFileSync(path.join(dir, 'contacts'), '');
  const logFile = path.join(dir, 'baresip.log');
  const log = openSync(logFile, 'w');
  const child = spawn('baresip', ['-f', dir], { cwd: dir, stdio: ['ignore', log, log] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let socket = null;
  for (let i = 0; !socket; i++) {
    if (child.exitCode !== null) throw new Error(`baresip exited at start:\n${tail(logFile)}`);
    socket = await new Promise((resolve) => {
      const s = connect(ctrlPort, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(null));
    });
    if (!socket) {
      if (i > 150) {
        await stopChild(child, exited, 8000);
        throw new Error(`baresip's ctrl_tcp did not open within 15 s:\n${tail(logFile)}`);
      }
      await sleep(100);
    }
  }
  const events = [];
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) break;
      const length = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + length + 1) break;
      events.push(buffer.subarray(colon + 1, colon + 1 + length).toString());
      buffer = buffer.subarray(colon + 1 + length + 1);
    }
  });
  socket.on('error', () => {});
  return {
    pid: child.pid,
    /** Sends a ctrl_tcp command, e.g. `dial` with `sip:gw1001@127.0.0.1:port`, or `hangup`. */
    command(command, params = '') {
      const body = Buffer.from(JSON.stringify({ command, params, token: 't' }));
      socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]));
    },
    /** Waits for an event whose JSON contains `fragment` (e.g. "CALL_ESTABLISHED") and consumes it. */
    async awaitEvent(fragment, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = events.findIndex((e) => e.includes(fragment));
        if (i >= 0) return events.splice(i, 1)[0];
        if (Date.now() > deadline) throw new Error(`baresip never reported ${fragment}; events: ${events.join(' | ')}\n${tail(logFile)}`);
        await sleep(50);
      }
    },
    log: () => tail(logFile),
    async stop() {
      socket.destroy();
      await stopChild(child, exited, 8000);
    },
  };
}
