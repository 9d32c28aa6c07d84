// Load test: the real gateway jar with many connected dialers and many simultaneous calls.
//
// - One gateway jar (fresh data dir) whose trunk is one SIPp UAS (bench/sipp/uas-load-answer-bye.xml):
//   it answers every call after 100 ms, holds it for --hold-ms, then sends the BYE itself.
// - --users users created with the admin API; --dialers WebSocket connections (the `ws` package of
//   e2e/, `Origin: <gateway url>`), dialer i belongs to user i % users. The first connection of each
//   user signs in with `signIn` (username + password); the others `resume` that session (as a second
//   tab or a reload does), or also use `signIn` with --all-password (one Argon2id hash each: ~0.1-0.2 s
//   of CPU, so 1,000 of them alone take minutes on 2 shared cores). Every event of a call reaches
//   every connection of its user.
// - --calls simultaneous calls: the first connection of users 0..calls-1 each sends
//   `placeCall { to }` (no `sdp`: signalling only, protocol.md part 4) at the same moment.
// - Every connection records every frame it receives. For each call and each connection of its
//   user the script expects exactly connecting@1 → answered@2 → disconnected@3 and counts lost,
//   duplicated and out-of-order events (must all be zero).
// - The gateway's VmRSS (/proc/<pid>/status) idle, with the dialers connected and signed in, and
//   while every call is answered; the live Java heap after a full GC (`jcmd <pid> GC.run` then
//   `GC.heap_info`) at the same points; the gateway's CPU (utime + stime of /proc/<pid>/stat) over
//   the call phase.
//
//   node bench/load.mjs [--dialers 1000] [--users 200] [--calls 200] [--hold-ms 15000] [--all-password] [--no-doc]
//
// Ports 50000-50004 and RTP 51000-51999 on 127.0.0.1 (away from the e2e and the other benchmarks).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBuildOutputs, createUser, REPO_ROOT, startGateway, stopPid } from '../e2e/support/gateway.mjs';
import { checkSipp } from '../e2e/support/sipp.mjs';
import { isoNow, loadAverage, numberArg, startSippTrunk, summary, writeSection } from './lib.mjs';

const HTTP_PORT = 50000;
const SIP_PORT = 50001;
const TRUNK_PORT = 50002;
const WEBRTC_PORT = 50003;
const TRUNK_MEDIA_PORT = 50004;
const RTP_PORTS = '51000-51999';
const WORK_DIR = path.join(REPO_ROOT, 'bench/.tmp/load');
const SCENARIO = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sipp/uas-load-answer-bye.xml');
const FAR_END = '+12025550143';
export const START = '<!-- bench/load:start -->';
export const END = '<!-- bench/load:end -->';

const DIALERS = numberArg('--dialers', 1000);
const USERS = numberArg('--users', 200);
const CALLS = numberArg('--calls', 200);
const HOLD_MS = numberArg('--hold-ms', 15000);
const WRITE_DOC = !process.argv.includes('--no-doc');
const ALL_PASSWORD = process.argv.includes('--all-password');
if (!(CALLS >= 1 && USERS >= CALLS && DIALERS >= USERS)) throw new Error('need 1 <= --calls <= --users <= --dialers');

const e2eRequire = createRequire(path.join(REPO_ROOT, 'e2e/package.json'));
let WebSocketClient;
try {
  WebSocketClient = e2eRequire('ws');
} catch {
  console.error('the `ws` package is not installed: run `cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci` first.');
  process.exit(1);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(`[load ${new Date().toISOString().slice(11, 19)}]`, ...a);

// ---- the gateway process -------------------------------------------------------------------

function rssKiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return m ? Number(m[1]) : NaN;
}
function hwmKiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return m ? Number(m[1]) : NaN;
}
const TICK = 100; // getconf CLK_TCK on Linux/x86-64
/** utime + stime of the process (all its threads), in seconds. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK; // fields 14 and 15 of proc(5)
}
function threads(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Threads:\s+(\d+)/m);
  return m ? Number(m[1]) : NaN;
}
/**
 * One measuring point: VmRSS as it is, then two full GCs (`jcmd <pid> GC.run`, after which G1 also
 * gives unused heap back), VmRSS again and the live heap (`GC.heap_info` used), all in KiB.
 */
async function measure(pid) {
  const rss = rssKiB(pid);
  const cpu0 = cpuSeconds(pid);
  const gc = spawnSync('jcmd', [String(pid), 'GC.run'], { encoding: 'utf8' });
  let heap = null;
  let rssGc = null;
  if (!gc.error && gc.status === 0) {
    // A second full GC: G1 sizes the heap down after a full GC, and the second one starts from less garbage.
    await sleep(300);
    spawnSync('jcmd', [String(pid), 'GC.run'], { encoding: 'utf8' });
    await sleep(500);
    rssGc = rssKiB(pid);
    const info = spawnSync('jcmd', [String(pid), 'GC.heap_info'], { encoding: 'utf8' });
    const m = (info.stdout || '').match(/total\s+\d+K,\s+used\s+(\d+)K/);
    heap = m ? Number(m[1]) : null;
  }
  return { rss, rssGc, heap, threads: threads(pid), jcmdCpu: cpuSeconds(pid) - cpu0 };
}

// ---- SIPp, the trunk --------------------------------------------------------------------------

async function startTrunk() {
  const errorLog = path.join(WORK_DIR, 'trunk_errors.log');
  rmSync(errorLog, { force: true });
  const args = [
    '-sf', SCENARIO,
    '-i', '127.0.0.1', '-p', String(TRUNK_PORT),
    '-mi', '127.0.0.1', '-mp', String(TRUNK_MEDIA_PORT),
    '-m', String(CALLS), '-l', String(CALLS * 2),
    '-d', String(HOLD_MS),
    '-nostdin',
    '-trace_err', '-error_file', errorLog,
    '-trace_stat', '-stf', path.join(WORK_DIR, 'trunk_stat.csv'),
    '-timeout', `${Math.ceil(HOLD_MS / 1000) + 120}s`, '-timeout_error',
  ];
  return startSippTrunk({ args, port: TRUNK_PORT, cwd: WORK_DIR, errorLog });
}

// ---- dialers ------------------------------------------------------------------------------------

class Dialer {
  constructor(index, user) {
    this.index = index;
    this.user = user;
    this.nextId = 0;
    this.pending = new Map();
    this.events = []; // callStateChanged calls, in arrival order
    this.otherEvents = [];
    this.badFrames = 0;
    this.closed = null;
  }

  open(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocketClient(`${url.replace(/^http/, 'ws')}/ws`, { headers: { Origin: url }, perMessageDeflate: false });
      this.ws = ws;
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.on('close', (code) => {
        this.closed = code;
        for (const p of this.pending.values()) p.reject(new Error(`dialer ${this.index}: closed ${code}`));
        this.pending.clear();
      });
      ws.on('message', (data, isBinary) => {
        let frame;
        try {
          frame = JSON.parse(isBinary ? '' : data.toString('utf8'));
        } catch {
          this.badFrames++;
          return;
        }
        if (frame.type === 'response') {
          const p = this.pending.get(frame.id);
          if (p) {
            this.pending.delete(frame.id);
            p.resolve(frame);
          } else this.badFrames++;
        } else if (frame.type === 'event' && frame.event?.type === 'callStateChanged') {
          this.events.push({ at: performance.now(), call: frame.event.call });
        } else if (frame.type === 'event') {
          this.otherEvents.push(frame.event);
        } else this.badFrames++;
      });
    });
  }

  request(method, params) {
    const id = `d${this.index}-${++this.nextId}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ v: 1, type: 'request', id, method, params }));
    });
  }

  close() {
    try {
      this.ws?.terminate();
    } catch {
      // already gone
    }
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

/** Expected per connection of the caller: connecting@1, answered@2, disconnected@3. */
const EXPECTED = ['connecting', 'answered', 'disconnected'];

function verify(calls, dialersOf) {
  const out = { checked: 0, lost: 0, duplicated: 0, outOfOrder: 0, wrongState: 0, stray: 0, endReasons: {} };
  const known = new Set(calls.map((c) => c.callId));
  for (const c of calls) {
    for (const d of dialersOf(c.user)) {
      out.checked++;
      const seen = d.events.filter((e) => e.call.id === c.callId).map((e) => e.call);
      const seqs = seen.map((x) => x.seq);
      for (const [i, state] of EXPECTED.entries()) {
        const n = seen.filter((x) => x.seq === i + 1).length;
        if (n === 0) out.lost++;
        if (n > 1) out.duplicated += n - 1;
        for (const x of seen.filter((y) => y.seq === i + 1)) if (x.state !== state) out.wrongState++;
      }
      for (const x of seen) if (!(x.seq >= 1 && x.seq <= 3)) out.wrongState++;
      for (let i = 1; i < seqs.length; i++) if (!(seqs[i] > seqs[i - 1])) out.outOfOrder++;
      const last = seen[seen.length - 1];
      if (last?.state === 'disconnected') out.endReasons[last.end_reason] = (out.endReasons[last.end_reason] || 0) + 1;
    }
  }
  // Events for calls nobody placed (all dialers).
  return { ...out, known };
}

async function main() {
  checkBuildOutputs();
  checkSipp();
  mkdirSync(WORK_DIR, { recursive: true });
  const started = isoNow();
  const loadStart = loadAverage();
  const cpuModel = ((existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '').match(/^model name\s*:\s*(.+)$/m) || [])[1] || 'unknown';
  const javaVersion = (() => {
    const j = spawnSync('java', ['-version'], { encoding: 'utf8' });
    return `${j.stderr || ''}${j.stdout || ''}`.split('\n')[0].trim();
  })();
  log(`dialers=${DIALERS} users=${USERS} calls=${CALLS} hold=${HOLD_MS}ms; load average ${loadStart}`);

  const gateway = await startGateway({
    httpPort: HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [`http://localhost:${HTTP_PORT + 10}`],
    workDir: WORK_DIR,
    name: 'load-gateway',
    env: {
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${TRUNK_PORT}`,
      DIALER_SIP_PORT: String(SIP_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_WEBRTC_PORT: String(WEBRTC_PORT),
      DIALER_RTP_PORTS: RTP_PORTS,
      // The benchmark places calls back to back: no per-user call limits (docs/security.md).
      DIALER_CALLS_PER_MINUTE: '0',
      DIALER_CALLS_PER_DAY: '0',
    },
  });
  const pid = gateway.pid;
  const dialers = [];
  let trunk;
  const r = { started, loadStart, cpuModel: cpuModel.trim(), javaVersion, nproc: os.cpus().length, ramGiB: (os.totalmem() / 2 ** 30).toFixed(1) };
  try {
    // Users: created through the admin API (each costs one Argon2 hash).
    const users = Array.from({ length: USERS }, (_, i) => ({
      username: `load${i}`,
      password: `load-pw-${i}-${Math.random().toString(36).slice(2)}`,
      display_name: `Load ${i}`,
      extension: String(20000 + i),
    }));
    let t = performance.now();
    await pool(users, 4, (u) => createUser(gateway, u));
    r.createUsersMs = performance.now() - t;
    log(`created ${USERS} users in ${(r.createUsersMs / 1000).toFixed(1)} s`);

    await sleep(2000);
    r.idle = await measure(pid);
    log(`idle gateway: ${JSON.stringify(r.idle)}`);

    // Dialers: connect, then sign in with username + password.
    for (let i = 0; i < DIALERS; i++) dialers.push(new Dialer(i, users[i % USERS]));
    t = performance.now();
    await pool(dialers, 50, (d) => d.open(gateway.url));
    r.connectMs = performance.now() - t;
    log(`${DIALERS} WebSockets open in ${(r.connectMs / 1000).toFixed(1)} s`);
    t = performance.now();
    const cpuSignIn0 = cpuSeconds(pid);
    const signInFailures = [];
    // The first connection of each user signs in with the password (one Argon2id each); the others
    // too with --all-password, else they `resume` with that session token (as another tab does).
    const sessions = new Map();
    const first = dialers.filter((d) => d.index < USERS);
    const rest = dialers.filter((d) => d.index >= USERS);
    const passwordSignIn = async (d) => {
      const res = await d.request('signIn', { username: d.user.username, password: d.user.password });
      if (!res.ok) signInFailures.push(`${d.index}: ${JSON.stringify(res.error)}`);
      else sessions.set(d.user.username, res.result.session.token);
    };
    await pool(first, 4, passwordSignIn);
    r.passwordSignIns = first.length;
    r.resumes = 0;
    if (ALL_PASSWORD) {
      await pool(rest, 4, passwordSignIn);
      r.passwordSignIns += rest.length;
    } else {
      await pool(rest, 16, async (d) => {
        const res = await d.request('resume', { session_token: sessions.get(d.user.username) });
        if (!res.ok) signInFailures.push(`${d.index}: ${JSON.stringify(res.error)}`);
      });
      r.resumes = rest.length;
    }
    r.signInMs = performance.now() - t;
    r.signInCpu = cpuSeconds(pid) - cpuSignIn0;
    r.signInFailures = signInFailures.length;
    log(`${DIALERS} sign-ins in ${(r.signInMs / 1000).toFixed(1)} s (${signInFailures.length} failed) ${signInFailures.slice(0, 3).join('; ')}`);
    if (signInFailures.length > 0) throw new Error(`sign-in failed: ${signInFailures.slice(0, 5).join('; ')}`);

    await sleep(3000);
    r.dialers = await measure(pid);
    log(`${DIALERS} idle dialers: ${JSON.stringify(r.dialers)}`);

    // Calls: all at once.
    trunk = await startTrunk();
    const byUser = new Map();
    for (const d of dialers) {
      if (!byUser.has(d.user.username)) byUser.set(d.user.username, []);
      byUser.get(d.user.username).push(d);
    }
    const callers = users.slice(0, CALLS).map((u) => byUser.get(u.username)[0]);
    const cpu0 = cpuSeconds(pid);
    const wall0 = performance.now();
    const rssSamples = [];
    const sampler = setInterval(() => rssSamples.push(rssKiB(pid)), 250);
    const placed = await Promise.all(
      callers.map(async (d) => {
        const at = performance.now();
        const res = await d.request('placeCall', { to: FAR_END });
        return { d, user: d.user.username, at, resolvedAt: performance.now(), ok: res.ok, callId: res.result?.call_id, error: res.error };
      }),
    );
    const failedPlace = placed.filter((p) => !p.ok);
    r.placeFailures = failedPlace.length;
    if (failedPlace.length) log(`placeCall failures: ${failedPlace.slice(0, 5).map((p) => JSON.stringify(p.error)).join('; ')}`);
    const calls = placed.filter((p) => p.ok);
    const stateOf = (c, state) => c.d.events.find((e) => e.call.id === c.callId && e.call.state === state);
    const waitAll = async (state, timeoutMs) => {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        if (calls.every((c) => dialersOfCall(c).every((d) => d.events.some((e) => e.call.id === c.callId && e.call.state === state)))) return true;
        await sleep(100);
      }
      return false;
    };
    const dialersOfCall = (c) => byUser.get(c.user);
    r.allAnswered = await waitAll('answered', 30_000);
    const wall1 = performance.now();
    const cpu1 = cpuSeconds(pid);
    r.inCalls = await measure(pid);
    r.jcmdCpu = r.inCalls.jcmdCpu;
    log(`${calls.length} calls placed, all answered: ${r.allAnswered} after ${((wall1 - wall0) / 1000).toFixed(1)} s; ${JSON.stringify(r.inCalls)}`);
    r.allDisconnected = await waitAll('disconnected', HOLD_MS + 30_000);
    const wall2 = performance.now();
    const cpu2 = cpuSeconds(pid);
    clearInterval(sampler);
    await sleep(1000); // late duplicates would arrive here
    r.rssPeakCalls = Math.max(...rssSamples);
    r.hwm = hwmKiB(pid);
    r.setupCpu = cpu1 - cpu0;
    r.setupWall = (wall1 - wall0) / 1000;
    r.callCpu = cpu2 - cpu0 - r.jcmdCpu;
    r.callWall = (wall2 - wall0) / 1000;
    r.placeLatency = summary(calls.map((c) => c.resolvedAt - c.at));
    r.answerLatency = summary(calls.map((c) => (stateOf(c, 'answered')?.at ?? NaN) - c.at).filter(Number.isFinite));
    log(`all disconnected: ${r.allDisconnected}; call phase ${r.callWall.toFixed(1)} s, gateway CPU ${r.callCpu.toFixed(2)} s`);

    const v = verify(calls, (u) => byUser.get(u));
    r.verify = v;
    r.calls = calls.length;
    r.stray = dialers.reduce((n, d) => n + d.events.filter((e) => !v.known.has(e.call.id)).length, 0);
    r.badFrames = dialers.reduce((n, d) => n + d.badFrames, 0);
    r.closedDialers = dialers.filter((d) => d.closed !== null).length;
    r.otherEvents = dialers.reduce((n, d) => n + d.otherEvents.length, 0);
    r.eventsTotal = dialers.reduce((n, d) => n + d.events.length, 0);
    const sipp = await trunk.finished(20_000);
    r.sippExit = sipp.code;
    r.sippErrors = sipp.errors.split('\n').filter((l) => l.trim()).length;
    log(`verify: ${JSON.stringify({ ...v, known: undefined })}; stray ${r.stray}; bad frames ${r.badFrames}; closed ${r.closedDialers}; sipp exit ${r.sippExit}`);
  } finally {
    for (const d of dialers) d.close();
    await trunk?.stop();
    await stopPid(pid);
    rmSync(gateway.dataDir, { recursive: true, force: true });
  }
  r.loadEnd = loadAverage();
  const section = markdown(r);
  console.log(section);
  if (WRITE_DOC) {
    writeSection(START, END, section);
    console.log('written to docs/benchmarks.md');
  }
  const v = r.verify;
  const failed = r.placeFailures + v.lost + v.duplicated + v.outOfOrder + v.wrongState + r.stray + r.badFrames > 0 || r.sippExit !== 0;
  if (failed) {
    console.error('LOAD TEST FAILED: see the counts above');
    process.exit(1);
  }
}

const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
const kibPer = (a, b, n) => (a == null || b == null ? 'n/a' : `${((a - b) / n).toFixed(1)} KiB`);
const opt = (kib) => (kib == null ? 'n/a' : mib(kib));
const row = (label, m) => `| ${label} | ${mib(m.rss)} | ${opt(m.rssGc)} | ${opt(m.heap)} | ${m.threads} |`;

function markdown(r) {
  const v = r.verify;
  const pct = (cpu, wall) => `${((100 * cpu) / wall).toFixed(1)} %`;
  const ms = (x) => `${x.toFixed(1)} ms`;
  return [
    START,
    '## Load (`node bench/load.mjs`, or `./dialer bench --only load`)',
    '',
    `Measured ${r.started}. Machine: ${r.nproc} CPUs (${r.cpuModel}), ${r.ramGiB} GiB RAM; Node ${process.version}, ${r.javaVersion}. ` +
      `Load average (1/5/15 min) at the start: ${r.loadStart}; at the end: ${r.loadEnd}. The load generator (Node, one process) and SIPp share the ` +
      'same 2 CPUs with the gateway, and the machine is shared with other work.',
    '',
    `Command: \`node bench/load.mjs --dialers ${DIALERS} --users ${USERS} --calls ${CALLS} --hold-ms ${HOLD_MS}${ALL_PASSWORD ? ' --all-password' : ''}\` (defaults: 1000, 200, 200, 15000).`,
    '',
    '### Events',
    '',
    `${DIALERS} WebSocket dialers, ${USERS} users (dialer i belongs to user i mod ${USERS}): ${r.passwordSignIns} signed in with \`signIn\` ` +
      `(password), ${r.resumes} with \`resume\` of their user's session (${r.signInFailures} failures). ${r.calls} of ${CALLS} calls placed at the same moment (placeCall failures: ${r.placeFailures}); ` +
      `each was answered by SIPp and ended by its BYE ${HOLD_MS / 1000} s later. Every event of a call goes to all ` +
      `${(DIALERS / USERS).toFixed(1).replace(/\.0$/, '')} connections of its user, so ${v.checked} (call, connection) sequences were checked, ` +
      `${r.eventsTotal} \`callStateChanged\` events received in all.`,
    '',
    '| check (expected per call and connection: connecting@1 → answered@2 → disconnected@3) | count |',
    '| --- | ---: |',
    `| lost events (a seq 1, 2 or 3 never received) | ${v.lost} |`,
    `| duplicated events (a seq received twice) | ${v.duplicated} |`,
    `| out-of-order events (a seq not greater than the one before) | ${v.outOfOrder} |`,
    `| wrong state for its seq, or seq outside 1..3 | ${v.wrongState} |`,
    `| events for a call nobody placed | ${r.stray} |`,
    `| unparseable or unmatched frames | ${r.badFrames} |`,
    `| connections closed by the gateway | ${r.closedDialers} |`,
    '',
    `End reasons seen by the connections: ${Object.entries(v.endReasons).map(([k, n]) => `\`${k}\` × ${n}`).join(', ') || 'none'}. ` +
      `SIPp (\`-m ${CALLS}\`) exit code: ${r.sippExit} (0: every call followed the scenario), ${r.sippErrors} lines in its error log. ` +
      `All answered within 30 s: ${r.allAnswered}; all disconnected: ${r.allDisconnected}.`,
    '',
    `Latency with ${r.calls} calls placed at once: \`placeCall\` sent → its response, median ${ms(r.placeLatency.median)}, p95 ${ms(r.placeLatency.p95)}, max ${ms(r.placeLatency.max)}; ` +
      `\`placeCall\` sent → \`answered\` on the caller's connection (includes SIPp's 100 ms answer delay), median ${ms(r.answerLatency.median)}, p95 ${ms(r.answerLatency.p95)}, max ${ms(r.answerLatency.max)}.`,
    '',
    '### Memory and CPU of the gateway',
    '',
    '| point | VmRSS as found | VmRSS after a full GC | live Java heap after the GC | threads |',
    '| --- | ---: | ---: | ---: | ---: |',
    row(`idle: ${USERS} users, no dialer`, r.idle),
    row(`${DIALERS} dialers connected and signed in, no call`, r.dialers),
    row(`+ ${r.calls} calls answered`, r.inCalls),
    `| peak VmRSS sampled every 250 ms during the calls (before the GC above) / VmHWM at the end | ${mib(r.rssPeakCalls)} / ${mib(r.hwm)} | | | |`,
    '',
    `- Per idle dialer: VmRSS after GC ${kibPer(r.dialers.rssGc, r.idle.rssGc, DIALERS)}, live heap ${kibPer(r.dialers.heap, r.idle.heap, DIALERS)}, ` +
      `VmRSS as found ${kibPer(r.dialers.rss, r.idle.rssGc, DIALERS)} (row two minus row one / ${DIALERS}; "as found" is measured against the row before's after-GC value, since that GC shrank the heap).`,
    `- Per call: VmRSS after GC ${kibPer(r.inCalls.rssGc, r.dialers.rssGc, r.calls)}, live heap ${kibPer(r.inCalls.heap, r.dialers.heap, r.calls)}, ` +
      `VmRSS as found ${kibPer(r.inCalls.rss, r.dialers.rssGc, r.calls)} (row three minus row two / ${r.calls}).`,
    '- VmRSS of a JVM mostly follows how much heap the collector has committed, not what is live: it grows with allocation',
    '  bursts (each password sign-in allocates a 19 MiB Argon2id block) and shrinks only after a full GC. So each point is',
    '  measured as found, then after two `jcmd <pid> GC.run` (G1 may return unused heap after a full GC), with the live heap from',
    '  `jcmd <pid> GC.heap_info` ("used"): the live heap is the better per-item figure, the RSS as found is what an',
    '  operator sees. Default JVM flags (`java -jar`, no -Xmx).',
    `- CPU (utime + stime from /proc/<pid>/stat, all threads): call phase from the first \`placeCall\` until every connection had`,
    `  \`disconnected\` (${r.callWall.toFixed(1)} s): ${r.callCpu.toFixed(2)} s of CPU = ${pct(r.callCpu, r.callWall)} of one core on average ` +
      `(the ${r.jcmdCpu.toFixed(2)} s of the heap measurement taken mid-call subtracted). ` +
      `Set-up alone (placeCall → all ${r.calls} answered on all connections, ${r.setupWall.toFixed(1)} s): ${r.setupCpu.toFixed(2)} s = ${pct(r.setupCpu, r.setupWall)} of one core.`,
    `- For scale: signing the ${DIALERS} connections in (${r.passwordSignIns} password sign-ins, ${r.resumes} resumes) took ${(r.signInMs / 1000).toFixed(1)} s and ${r.signInCpu.toFixed(1)} s of gateway CPU ` +
      `(about ${((1000 * r.signInCpu) / r.passwordSignIns).toFixed(0)} ms per password sign-in, one Argon2id verification each); creating the ${USERS} users (one Argon2id hash each) took ${(r.createUsersMs / 1000).toFixed(1)} s, 4 requests in flight.`,
    '',
    '### Method',
    '',
    `- Gateway: \`server/app/target/opendialer-gateway.jar\` started by \`e2e/support/gateway.mjs\` (\`startGateway\`, fresh H2 data dir),`,
    `  \`DIALER_SIP_TRUNK=sip:127.0.0.1:${TRUNK_PORT}\`, \`DIALER_RTP_PORTS=${RTP_PORTS}\`, HTTP on ${HTTP_PORT}.`,
    `- Trunk: one SIPp (\`bench/sipp/uas-load-answer-bye.xml\`, \`-m ${CALLS} -d ${HOLD_MS}\`): 180 at once, 200 OK (PCMU) after 100 ms,`,
    `  BYE from SIPp ${HOLD_MS / 1000} s after the ACK. No RTP flows (signalling-only calls: no \`sdp\` in \`placeCall\`).`,
    '- Dialers: one Node process, the `ws` package, `Origin: <gateway url>`, 50 connections opened at a time, 4 password sign-ins (16 resumes) in flight.',
    '  Every frame each connection receives is kept; the checks above run on them after the last `disconnected` plus 1 s.',
    END,
  ].join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
