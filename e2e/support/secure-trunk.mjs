// A secure trunk for tests/secure-trunk.spec.ts: Kamailio 5.6 terminating SIP over TLS (Debian's
// kamailio-tls-modules) with a certificate from a CA made here with openssl, and steering the media through
// rtpengine, which takes the gateway's SRTP (SDES, RTP/SAVP) and hands plain RTP to SIPp behind it.
// Every process is a child kept by PID and stopped by that PID. Ports: offsets 1150-1199 from E2E_PORT_BASE.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const BASE = Number(process.env.E2E_PORT_BASE || 18080) + 1150;
export const SECURE_HTTP_PORT = BASE;
export const SECURE_WEBRTC_PORT = BASE + 1;
export const SECURE_SIP_PORT = BASE + 2;
export const SECURE_SIP_TLS_PORT = BASE + 3;
export const KAMAILIO_UDP_PORT = BASE + 4;
export const KAMAILIO_TLS_PORT = BASE + 5;
export const SIPP_PORT = BASE + 6;
export const SIPP_MEDIA_PORT = BASE + 8;
export const RTPENGINE_NG_PORT = BASE + 14;
export const RTPENGINE_PORTS = [BASE + 16, BASE + 31];
export const SECURE_RTP_PORTS = `${BASE + 32}-${BASE + 49}`;
export const SECURE_GATEWAY_URL = `http://127.0.0.1:${SECURE_HTTP_PORT}`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function checkSecureTrunkPeers() {
  for (const [bin, pkg] of [['kamailio', 'kamailio'], ['kamcmd', 'kamailio'], ['rtpengine', 'rtpengine'], ['openssl', 'openssl']]) {
    if (spawnSync('which', [bin]).status !== 0) throw new Error(`${bin} is not installed: apt-get install -y ${pkg}`);
  }
  if (spawnSync('test', ['-f', '/usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so']).status !== 0) {
    throw new Error('Kamailio has no TLS module: apt-get install -y kamailio-tls-modules');
  }
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

/** A CA and a certificate for 127.0.0.1 it signed, made now (none are kept in the repository). */
export function makeCertificates(dir) {
  mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  run('openssl', ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=opendialer e2e CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'], dir);
  run('openssl', ['req', ...ec, '-keyout', 'trunk.key', '-out', 'trunk.csr', '-subj', '/CN=127.0.0.1'], dir);
  writeFileSync(path.join(dir, 'trunk.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run('openssl', ['x509', '-req', '-in', 'trunk.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'trunk.pem', '-days', '2', '-extfile', 'trunk.ext'], dir);
  return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'trunk.pem'), key: path.join(dir, 'trunk.key') };
}

function tail(file, chars = 6000) {
  try {
    return readFileSync(file, 'latin1').slice(-chars);
  } catch {
    return '';
  }
}

function child(cmd, args, dir, name) {
  const logFile = path.join(dir, `${name}.log`);
  const log = openSync(logFile, 'w');
  const proc = spawn(cmd, args, { cwd: dir, stdio: ['ignore', log, log] });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    logFile,
    log: () => tail(logFile),
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      if (!(await Promise.race([exited, sleep(5000).then(() => null)]))) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** rtpengine on loopback; stopped with SIGINT (TESTING.md: SIGTERM was slow to take effect). */
export async function startRtpengine(dir) {
  mkdirSync(dir, { recursive: true });
  const r = child('rtpengine', ['--foreground', '--table=-1', '--interface=127.0.0.1', `--listen-ng=127.0.0.1:${RTPENGINE_NG_PORT}`,
    `--port-min=${RTPENGINE_PORTS[0]}`, `--port-max=${RTPENGINE_PORTS[1]}`, '--log-stderr', '--config-file=none'], dir, 'rtpengine');
  for (let i = 0; !r.log().includes('Startup complete'); i++) {
    if (r.proc.exitCode !== null) throw new Error(`rtpengine exited at start:\n${r.log()}`);
    if (i > 150) throw new Error(`rtpengine did not start within 15 s:\n${r.log()}`);
    await sleep(100);
  }
  return { log: r.log, stop: () => r.stop('SIGINT') };
}

/** Kamailio with TLS toward the gateway and UDP toward SIPp, rtpengine converting RTP/SAVP ⇄ RTP/AVP. */
export async function startTlsKamailio(dir, certs) {
  mkdirSync(dir, { recursive: true });
  const ctl = path.join(dir, 'kamailio_ctl');
  writeFileSync(path.join(dir, 'tls.cfg'), `[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = ${certs.key}
certificate = ${certs.cert}

[client:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
`);
  writeFileSync(path.join(dir, 'kamailio.cfg'), `#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=2
auto_aliases=no
enable_tls=yes
listen=udp:127.0.0.1:${KAMAILIO_UDP_PORT}
listen=tls:127.0.0.1:${KAMAILIO_TLS_PORT}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "tls.so"
loadmodule "ctl.so"
loadmodule "rtpengine.so"
modparam("ctl", "binrpc", "unix:${ctl}")
modparam("tls", "config", "${path.join(dir, 'tls.cfg')}")
modparam("rr", "append_fromtag", 1)
modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:${RTPENGINE_NG_PORT}")

request_route {
    if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
    if (has_totag()) {
        if (loose_route()) {
            if (is_method("BYE")) { rtpengine_delete(); }
            t_relay();
            exit;
        }
        if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
        sl_send_reply("404", "Not here");
        exit;
    }
    if (is_method("CANCEL")) { if (t_check_trans()) { rtpengine_delete(); t_relay(); } exit; }
    if (is_method("INVITE") && has_body("application/sdp")) {
        if (search_body("RTP/SAVP") && search_body("a=crypto:")) { xlog("L_INFO", "SDES offer over $pr\\n"); }
        rtpengine_offer("RTP/AVP replace-origin replace-session-connection");
        t_on_reply("MEDIA");
    }
    record_route();
    $du = "sip:127.0.0.1:${SIPP_PORT};transport=udp";
    t_relay();
}

onreply_route[MEDIA] {
    if (has_body("application/sdp")) {
        rtpengine_answer("replace-origin replace-session-connection");
    }
}
`);
  const k = child('kamailio', ['-f', path.join(dir, 'kamailio.cfg'), '-DD', '-E', '-m', '64', '-M', '8', '-Y', dir], dir, 'kamailio');
  for (let i = 0; ; i++) {
    if (k.proc.exitCode !== null) throw new Error(`kamailio exited at start:\n${k.log()}`);
    if (spawnSync('kamcmd', ['-s', `unix:${ctl}`, 'core.version'], { timeout: 10_000 }).status === 0) break;
    if (i > 150) throw new Error(`kamailio did not answer within 15 s:\n${k.log()}`);
    await sleep(100);
  }
  return { log: k.log, stop: () => k.stop() };
}
