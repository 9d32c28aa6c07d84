// The cluster benchmark (issue 16, docs/decisions/0021): what the edges cost and what a second node brings.
// Three targets in one session, each the real thing:
// - single: one gateway jar, no edge: the SIPp trunk talks to it directly; its database is a database of its
//   own on the cluster's PostgreSQL (so the edge, not H2 against PostgreSQL, is the difference);
// - cluster, 1 node and 2 nodes: `scripts/cluster.sh up` (PostgreSQL, Kamailio, HAProxy, N nodes), dialers
//   through HAProxy, the trunk behind Kamailio.
// On each, with WebSocket dialers (bench/ws-dialer.mjs) and SIPp as the trunk and as the caller:
// - latency: placeCall → INVITE read by the trunk, and INVITE sent by the caller → ringing at the dialer
//   (one call at a time, as bench/users.mjs measures them);
// - calls per second: U dialers each place, wait for answered, hang up, again, for D seconds (closed loop);
// - concurrent calls: C dialers place a call at the same moment; the trunk answers after 100 ms and holds
//   every call H seconds: how many were answered, and how long set-up took under that burst.
//
//   node bench/cluster.mjs [--latency-calls 30] [--loop-dialers 20] [--loop-s 20] [--concurrent 25] [--hold-s 8]
// Ports: E2E_PORT_BASE (default 18080) + 2500 .. +2799.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUser, JAR, mintToken, REPO_ROOT, startGateway, stopPid } from '../e2e/support/gateway.mjs';
import { checkSipp } from '../e2e/support/sipp.mjs';
import { isoNow, loadAverage, machine, numberArg, startSippTrunk, summary, writeSection } from './lib.mjs';
import { inviteTimes, now, OFFER, placeOneAtATime, WsDialer } from './ws-dialer.mjs';

const BASE = Number(process.env.E2E_PORT_BASE || 18080) + 2500;
// cluster.sh --port-base BASE+10: HAProxy +10, stats +11, PostgreSQL +12, Kamailio +13, node i +10+10i..+12+10i,
// RTP of node i +110 + 60(i-1) .. +59. (BASE itself is left alone: e2e gateways of the block below put their
// default WebRTC and SIP ports at their HTTP port + 300 and + 301.)
const CLUSTER_BASE = BASE + 10;
const RTP_PER_NODE = 60;
const SINGLE = { http: BASE + 40, sip: BASE + 41, webrtc: BASE + 42, rtp: `${BASE + 230}-${BASE + 289}` };
const TRUNK_PORT = BASE + 50; // SIPp media +52..+55
const CALLER_PORT = BASE + 60; // SIPp media +62..+65
const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORK_DIR = path.join(REPO_ROOT, 'bench/.tmp/cluster');
const STATE_DIR = path.join(WORK_DIR, 'state');
const SCRIPT = path.join(REPO_ROOT, 'scripts/cluster.sh');
const FAR_END = '+12025550143';
const WARMUP = 3;
const START = '<!-- bench/cluster:start -->';
const END = '<!-- bench/cluster:end -->';

const LATENCY_CALLS = numberArg('--latency-calls', 30);
const LOOP_DIALERS = numberArg('--loop-dialers', 20);
const LOOP_S = numberArg('--loop-s', 20);
const CONCURRENT = numberArg('--concurrent', 25);
const HOLD_S = numberArg('--hold-s', 8);
if (!(LATENCY_CALLS >= 10 && LOOP_DIALERS >= 1 && LOOP_S >= 5 && CONCURRENT >= 1 && CONCURRENT <= RTP_PER_NODE / 2 && HOLD_S >= 1)) {
  throw new Error(`--latency-calls ≥ 10, --loop-dialers ≥ 1, --loop-s ≥ 5, --concurrent 1..${RTP_PER_NODE / 2}, --hold-s ≥ 1`);
}
const USERS = Math.max(LOOP_DIALERS, CONCURRENT);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(`[cluster-bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const digits = (n) => n.replace(/\D/g, '');
const LAT_USER = { username: 'bench', display_name: 'Bench Agent', extension: '401', number: '+12025550190' };
const loadUser = (i) => ({ username: `load${i}`, display_name: `Load ${i}`, extension: String(5000 + i) });

// A copy of the jar: a rebuild during the run must not change what the nodes run.
const RUN_JAR = path.join(WORK_DIR, 'opendialer-gateway.jar');

const env = {
  DIALER_SIP_TRUNK: `sip:127.0.0.1:${TRUNK_PORT}`,
  DIALER_CALLS_PER_MINUTE: '0', DIALER_CALLS_PER_DAY: '0', DIALER_LOG_LEVEL: 'warn', DIALER_METRICS_PORT: '0',
  DIALER_SIGNIN_RATE_PER_ADDRESS: '100000', DIALER_SIGNIN_RATE_GLOBAL: '100000', DIALER_ADMIN_FAILURES_PER_ADDRESS: '100000',
  DIALER_DRAIN_TIMEOUT_S: '0', DIALER_RING_TIMEOUT_S: '30',
};

function cluster(args) {
  const r = spawnSync(SCRIPT, args, {
    encoding: 'utf8', timeout: 400_000,
    env: { ...process.env, ...env, DIALER_CLUSTER_DIR: STATE_DIR, OPENDIALER_GATEWAY_JAR: RUN_JAR },
  });
  if (r.status !== 0) throw new Error(`cluster.sh ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** The edge's location table has a contact for `aor`. */
function registered(aor) {
  const r = spawnSync('kamcmd', ['-s', `unix:${path.join(STATE_DIR, 'kamailio/ctl')}`, 'ul.dump'], { encoding: 'utf8', timeout: 10_000 });
  return (r.stdout ?? '').split('AoR: ').slice(1).some((b) => b.split(/\s/)[0] === aor);
}

async function until(what, fn, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function pool(items, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

function sipp(scenario, port, calls, logName, extra = []) {
  const file = path.join(WORK_DIR, logName);
  rmSync(file, { force: true });
  rmSync(`${file}.errors`, { force: true });
  const args = ['-sf', path.join(HERE, 'sipp', scenario), '-i', '127.0.0.1', '-p', String(port), '-mi', '127.0.0.1',
    '-mp', String(port + 2), '-m', String(calls), '-nostdin', '-trace_msg', '-message_file', file,
    '-trace_err', '-error_file', `${file}.errors`, '-timeout', '300s', '-timeout_error', ...extra];
  return startRetrying(async () => {
    const trunk = await startSippTrunk({ args, port, cwd: WORK_DIR, errorLog: `${file}.errors`, env: { ...process.env, TZ: 'UTC' } });
    // startSippTrunk returns once the port is taken: by someone else, SIPp exits at once.
    const early = await trunk.finished(500);
    if (early.code !== 'timeout') throw new Error(`sipp exited at start (${early.code}): ${early.stderr}`);
    return { ...trunk, file };
  });
}

/**
 * Other worktrees' e2e gateways put their default WebRTC and SIP ports 300 above their HTTP port, which can
 * land in this block for a while: a port found taken is tried again for up to a minute.
 */
async function startRetrying(start) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (e) {
      if (attempt >= 12 || !/Address already in use|errno = 98/.test(String(e.message))) throw e;
      log(`a port is taken (${String(e.message).split('\n')[0].slice(0, 120)}); again in 5 s`);
      await sleep(5000);
    }
  }
}

/** The trunk's scenario: behind the edge it must keep the Record-Route set. */
const answering = (target) => (target.edge ? 'uas-answer-after-pause-via-proxy.xml' : 'uas-answer-after-pause.xml');

/** placeCall → INVITE and INVITE → ringing, one call at a time (bench/users.mjs's method). */
async function latency(target) {
  const total = WARMUP + LATENCY_CALLS;
  const trunk = await sipp(answering(target), TRUNK_PORT, total, `trunk-${target.key}.log`);
  const dialer = await WsDialer.open(target.url, await mintToken(target, LAT_USER.username));
  let caller;
  try {
    const placed = await placeOneAtATime(dialer, total, FAR_END);
    const out = await trunk.finished(30_000);
    if (out.code !== 0) throw new Error(`trunk SIPp: ${JSON.stringify(out)}`);
    const invites = inviteTimes(trunk.file, 'received');
    if (invites.length !== total) throw new Error(`placed ${total} calls, SIPp read ${invites.length} INVITEs`);

    if (target.edge) await until(`the edge's contact for ${LAT_USER.number}`, () => registered(digits(LAT_USER.number)));
    const rang = [];
    dialer.onCall = (c, t) => {
      if (c.direction === 'inbound' && c.state === 'connecting') {
        rang.push(t);
        dialer.request('reject', { call_id: c.id }).catch((e) => console.error(String(e)));
      }
    };
    caller = await sipp('uac-declined.xml', CALLER_PORT, total, `caller-${target.key}.log`,
      ['-s', digits(LAT_USER.number), '-l', '1', '-r', '5', target.sip]);
    const inb = await caller.finished(120_000);
    if (inb.code !== 0) throw new Error(`caller SIPp: ${JSON.stringify(inb)}`);
    const sent = inviteTimes(caller.file, 'sent');
    if (sent.length !== total || rang.length !== total) throw new Error(`SIPp sent ${sent.length} INVITEs, the dialer rang ${rang.length} times`);
    const toInvite = invites.map((t, i) => t - placed[i]).slice(WARMUP);
    const toRinging = rang.map((t, i) => t - sent[i]).slice(WARMUP);
    if ([...toInvite, ...toRinging].some((x) => x <= 0)) throw new Error('an interval ≤ 0: calls matched out of order');
    return { toInvite: summary(toInvite), toRinging: summary(toRinging) };
  } finally {
    dialer.close();
    await caller?.stop();
    await trunk.stop();
  }
}

/** Closed loop: every dialer places a signalling-only call, waits for answered, hangs up, again, for LOOP_S. */
async function callsPerSecond(target, dialers) {
  const trunk = await sipp(answering(target), TRUNK_PORT, 1_000_000, `loop-${target.key}.log`);
  const setups = [];
  let failures = 0;
  try {
    const stopAt = Date.now() + LOOP_S * 1000;
    const t0 = now();
    await Promise.all(dialers.map(async (d) => {
      while (Date.now() < stopAt) {
        try {
          const answered = d.waitFor((c) => c.state === 'answered' || c.state === 'disconnected', 'answered');
          answered.catch(() => {}); // awaited below unless placeCall fails first
          const t = now();
          const { call_id } = await d.request('placeCall', { to: FAR_END });
          const { call, t: at } = await answered;
          if (call.state !== 'answered') throw new Error(call.end_reason);
          const ended = d.waitFor((c) => c.state === 'disconnected', 'disconnected');
          await d.request('hangUp', { call_id });
          await ended;
          setups.push(at - t);
        } catch (e) {
          failures++;
          if (failures <= 3) log(`loop call failed: ${e.message}`);
          await sleep(200);
        }
      }
    }));
    const seconds = (now() - t0) / 1000;
    return { calls: setups.length, seconds, perSecond: setups.length / seconds, setup: summary(setups), failures };
  } finally {
    // `disconnected` reaches the dialer when the gateway sends its BYE: give SIPp time to answer the last BYEs,
    // or their retransmissions reach the next phase's SIPp, which counts each as a failed call of its -m.
    await sleep(3000);
    await trunk.stop();
  }
}

/** CONCURRENT calls placed at once, held HOLD_S by the trunk, which then hangs up. */
async function concurrent(target, dialers) {
  const scenario = target.edge ? 'uas-hold-bye-via-proxy.xml' : 'uas-load-answer-bye.xml';
  const trunk = await sipp(scenario, TRUNK_PORT, CONCURRENT, `burst-${target.key}.log`,
    ['-l', String(CONCURRENT * 2), '-d', String(HOLD_S * 1000)]);
  try {
    const t0 = now();
    const results = await Promise.all(dialers.slice(0, CONCURRENT).map(async (d) => {
      const answered = d.waitFor((c) => c.state === 'answered' || c.state === 'disconnected', 'answered', 30_000);
      answered.catch(() => {}); // awaited below unless placeCall fails first
      const t = now();
      try {
        await d.request('placeCall', { to: FAR_END }, 30_000);
        const { call, t: at } = await answered;
        if (call.state !== 'answered') return { ok: false, why: call.end_reason };
        const ended = await d.waitFor((c) => c.state === 'disconnected', 'disconnected', HOLD_S * 1000 + 30_000);
        return { ok: true, setup: at - t, answeredAt: at, endReason: ended.call.end_reason, closed: d.closedWith };
      } catch (e) {
        return { ok: false, why: `${e.message}${d.closedWith ? ` (WebSocket closed ${d.closedWith})` : ''}` };
      }
    }));
    const ok = results.filter((r) => r.ok);
    const out = await trunk.finished(30_000);
    const failed = results.filter((r) => !r.ok).map((r) => r.why);
    return { placed: results.length, answered: ok.length, failed, setup: summary(ok.map((r) => r.setup)),
      allAnsweredS: ok.length ? (Math.max(...ok.map((r) => r.answeredAt)) - t0) / 1000 : NaN, sippExit: out.code,
      endReasons: [...new Set(ok.map((r) => r.endReason))] };
  } finally {
    await trunk.stop();
  }
}

/** Users, dialers, and the three measurements on one target. */
async function measure(target) {
  log(`${target.label}: creating ${USERS + 1} users`);
  await createUser(target, { ...LAT_USER, password: `pw-${randomBytes(8).toString('hex')}` });
  const users = Array.from({ length: USERS }, (_, i) => loadUser(i));
  await pool(users, 2, (u) => createUser(target, { ...u, password: `pw-${randomBytes(8).toString('hex')}` }));
  const lat = await latency(target);
  log(`${target.label}: placeCall→INVITE ${lat.toInvite.median.toFixed(1)} ms, INVITE→ringing ${lat.toRinging.median.toFixed(1)} ms`);
  const dialers = [];
  try {
    await pool(users, 4, async (u) => dialers.push(await WsDialer.open(target.url, await mintToken(target, u.username))));
    const loop = await callsPerSecond(target, dialers.slice(0, LOOP_DIALERS));
    log(`${target.label}: ${loop.perSecond.toFixed(1)} calls/s (${loop.calls} calls, ${loop.failures} failed)`);
    await sleep(1000);
    const burst = await concurrent(target, dialers);
    log(`${target.label}: ${burst.answered}/${burst.placed} concurrent calls answered, all within ${burst.allAnsweredS.toFixed(2)} s`
      + `${burst.failed.length ? `; failed: ${burst.failed.join(', ')}` : ''}; SIPp exit ${burst.sippExit}; ended: ${burst.endReasons.join(', ')}`);
    return { label: target.label, latency: lat, loop, burst };
  } finally {
    for (const d of dialers) d.close();
  }
}

function clusterTarget(nodes) {
  const c = JSON.parse(readFileSync(path.join(STATE_DIR, 'cluster.json'), 'utf8'));
  return { key: `cluster${nodes}`, label: `cluster, ${nodes} node${nodes > 1 ? 's' : ''} (Kamailio + HAProxy)`, url: c.url,
    adminKey: c.admin_key, sip: c.sip, edge: true, pg: c.postgres.port };
}

/** The cluster's PostgreSQL password, from node1's launcher (0700, in this run's state dir). */
function pgPassword() {
  const m = readFileSync(path.join(STATE_DIR, 'node1.sh'), 'utf8').match(/DIALER_DB_PASSWORD=([0-9a-f]+)/);
  if (!m) throw new Error('no DIALER_DB_PASSWORD in node1.sh');
  return m[1];
}

/** The baseline beside a running cluster (`nodes` of them): one gateway on a database of its own there. */
async function single(pgPort, nodes) {
  const password = pgPassword();
  const psql = spawnSync('psql', ['-q', '-h', '127.0.0.1', '-p', String(pgPort), '-U', 'opendialer', '-d', 'postgres',
    '-c', `CREATE DATABASE baseline${nodes}`], { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password } });
  if (psql.status !== 0) throw new Error(`CREATE DATABASE baseline${nodes}: ${psql.stderr}`);
  const gateway = await startGateway({
    jar: RUN_JAR, httpPort: SINGLE.http, demoPort: 0, allowedOrigins: [`http://localhost:${BASE + 45}`], workDir: WORK_DIR, name: 'single',
    env: { ...env, DIALER_SIP_PORT: String(SINGLE.sip), DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1', DIALER_WEBRTC_PORT: String(SINGLE.webrtc),
      DIALER_RTP_PORTS: SINGLE.rtp, DIALER_DB_URL: `jdbc:postgresql://127.0.0.1:${pgPort}/baseline${nodes}`, DIALER_DB_USER: 'opendialer',
      DIALER_DB_PASSWORD: password },
  });
  try {
    return { ...(await measure({ key: `single${nodes}`, label: `single gateway, no edge (beside the ${nodes}-node cluster)`,
      url: gateway.url, adminKey: gateway.adminKey, sip: `127.0.0.1:${SINGLE.sip}`, edge: false })), phase: nodes, single: true };
  } finally {
    await stopPid(gateway.pid);
    rmSync(gateway.dataDir, { recursive: true, force: true });
  }
}

const ms = (x) => `${x.toFixed(1)} ms`;
const spread = (s) => `${ms(s.median)} (p95 ${ms(s.p95)}, ${ms(s.min)}–${ms(s.max)})`;

function markdown(runs, info) {
  const delta = (r, k) => {
    const base = runs.find((b) => b.single && b.phase === r.phase);
    if (r.single || !base) return '';
    const d = r.latency[k].median - base.latency[k].median;
    return ` (${d >= 0 ? '+' : ''}${d.toFixed(1)})`;
  };
  return [
    START,
    '## A cluster beside a single gateway (`./dialer bench --only cluster`)',
    '',
    `Measured ${info.date}. Machine: ${info.m.nproc} CPUs (${info.m.cpu}), ${info.m.ramGiB} GiB RAM, ${info.m.os}; Node ${info.m.node}, ${info.m.java}. Load average at the start: ${info.loadStart}; at the end: ${info.loadEnd}. Everything runs on this one machine (the nodes, PostgreSQL, Kamailio, HAProxy, SIPp and the dialers' Node process share its ${info.m.nproc} CPUs, and the machine was shared with other work), so a second node adds no CPU: it shows what the edge and a second JVM cost, not how far more hosts scale.`,
    '',
    '### Latency, one call at a time',
    '',
    `${LATENCY_CALLS} calls each way after ${WARMUP} warm-up calls. Median (p95, min–max); in brackets the difference of the cluster's median to the single gateway's measured just before it, beside the same cluster. Rows in the order they ran.`,
    '',
    '| target | placeCall → INVITE at the trunk | INVITE from the trunk → ringing at the dialer |',
    '| --- | ---: | ---: |',
    ...runs.map((r) => `| ${r.label} | ${spread(r.latency.toInvite)}${delta(r, 'toInvite')} | ${spread(r.latency.toRinging)}${delta(r, 'toRinging')} |`),
    '',
    '### Calls per second and concurrent calls',
    '',
    '| target | calls per second (closed loop) | set-up in the loop: placeCall → answered | concurrent calls answered | burst set-up: placeCall → answered | all answered after |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map((r) => `| ${r.label} | ${r.loop.perSecond.toFixed(1)} (${r.loop.calls} calls in ${r.loop.seconds.toFixed(1)} s, ${r.loop.failures} failed) | ${spread(r.loop.setup)} | ${r.burst.answered} of ${r.burst.placed} | ${spread(r.burst.setup)} | ${r.burst.allAnsweredS.toFixed(2)} s |`),
    '',
    '### Method',
    '',
    '- **single gateway, no edge**: the gateway jar with the trunk (SIPp) as its `DIALER_SIP_TRUNK` and a database of its',
    '  own on the cluster\'s PostgreSQL server; run just before each cluster is measured, while it is up and idle. **cluster**: `scripts/cluster.sh up',
    `  --nodes N --rtp-ports ${RTP_PER_NODE}\` (what \`./dialer cluster up\` runs): PostgreSQL, Kamailio, HAProxy, N nodes; the dialers`,
    '  connect to HAProxy\'s URL (leastconn spreads them over the nodes), the trunk sits behind Kamailio and the caller sends',
    '  to Kamailio. The same jar, default JVM flags, `DIALER_LOG_LEVEL=warn`, no per-user call limits on every target.',
    '- Dialers are WebSocket clients of docs/protocol.md in one Node process (`bench/ws-dialer.mjs`), signed in with',
    '  admin-API tokens. **Latency** as in the users benchmark: `placeCall { to, sdp }` with a WebRTC offer whose audio',
    '  never connects → SIPp (`uas-answer-after-pause.xml`) reads the INVITE; SIPp (`uac-declined.xml`, 5 calls/s, one',
    '  at a time) sends an INVITE for the user\'s number → the dialer gets `connecting` and declines. In the cluster the',
    '  INVITE to the trunk passes node → Kamailio → trunk, and the inbound one trunk → Kamailio (location lookup) → node.',
    `- **Calls per second**: ${LOOP_DIALERS} dialers (${LOOP_DIALERS} users), each in a loop for ${LOOP_S} s: signalling-only \`placeCall { to }\``,
    '  → SIPp answers after 100 ms → `answered` → `hangUp` → `disconnected` → next. Completed calls ÷ elapsed time.',
    `- **Concurrent calls**: ${CONCURRENT} dialers place one call each at the same moment; SIPp (\`uas-load-answer-bye.xml\`)`,
    `  answers each after 100 ms and hangs up after ${HOLD_S} s, so all ${CONCURRENT} are up together. "All answered after":`,
    '  from the first placeCall to the last `answered`.',
    END,
  ].join('\n');
}

async function main() {
  checkSipp();
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(STATE_DIR, { recursive: true });
  copyFileSync(JAR, RUN_JAR);
  const info = { date: isoNow(), m: machine('-'), loadStart: loadAverage() };
  const runs = [];
  try {
    for (const nodes of [1, 2]) {
      log(`cluster up --nodes ${nodes}`);
      cluster(['up', '--nodes', String(nodes), '--port-base', String(CLUSTER_BASE), '--rtp-ports', String(RTP_PER_NODE)]);
      const c = clusterTarget(nodes);
      runs.push(await single(c.pg, nodes));
      runs.push({ ...(await measure(c)), phase: nodes });
      cluster(['down']);
    }
  } finally {
    try {
      cluster(['down']);
    } catch (e) {
      console.error(String(e));
    }
  }
  info.loadEnd = loadAverage();
  const section = markdown(runs, info);
  writeSection(START, END, section);
  console.log(section);
}

await main();
process.exit(0); // dialers' leftover timers of failed calls would keep Node up for their timeouts
