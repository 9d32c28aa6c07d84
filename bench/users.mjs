// Does routing a call cost more with many users? The same calls against the real gateway jar with 100 and
// with 100,000 users in its database (H2, the default), side by side in one session:
// - placeCall → INVITE: a dialer (a WebSocket client speaking docs/protocol.md, with a WebRTC offer) places
//   a call; SIPp, the trunk, logs when it read the INVITE;
// - INVITE → ringing: SIPp sends an INVITE to the user's number; the dialer logs when the `connecting`
//   inbound call reaches it, and declines it (603).
// Users are seeded with one SQL statement (H2 SYSTEM_RANGE) and the password hash of the one real user:
// no Argon2 per seeded user. Both sides read the one host clock (SIPp's message log with TZ=UTC).
//
//   node bench/users.mjs [--calls 50] [--users 100,100000] [--reps 2] [--baseline-jar JAR --baseline-label TEXT]
// --baseline-jar adds, in each round, the largest size on another build (e.g. one from before the indexed
// lookups), labelled in the table.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { admin, createUser, JAR, REPO_ROOT, startGateway, stopPid } from '../e2e/support/gateway.mjs';
import { checkSipp } from '../e2e/support/sipp.mjs';
import { arg, isoNow, loadAverage, machine, startSippTrunk, summary, writeSection } from './lib.mjs';
import { inviteTimes, placeOneAtATime, WsDialer } from './ws-dialer.mjs';

// Ports: offsets 1650-1699 of E2E_PORT_BASE (default 18080), the users block.
const BASE = Number(process.env.E2E_PORT_BASE || 18080) + 1650;
const HTTP_PORT = BASE;
const SIP_PORT = BASE + 1;
const TRUNK_PORT = BASE + 2;
const TRUNK_MEDIA_PORT = BASE + 4; // SIPp binds +4 to +7
const CALLER_PORT = BASE + 8;
const CALLER_MEDIA_PORT = BASE + 10; // +10 to +13
const WEBRTC_PORT = BASE + 14;
const RTP_PORTS = `${BASE + 20}-${BASE + 49}`;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORK_DIR = path.join(REPO_ROOT, 'bench/.tmp/users');
const USER = { username: 'bench', display_name: 'Bench Agent', extension: '401', number: '+12025550190' };
const FAR_END = '+12025550143';
const WARMUP = 3;
const START = '<!-- bench/users:start -->';
const END = '<!-- bench/users:end -->';
const CALLS = Number(arg('--calls', 50));
const SIZES = arg('--users', '100,100000').split(',').map(Number);
const REPS = Number(arg('--reps', 2));
const BASELINE_JAR = arg('--baseline-jar', null);
const BASELINE_LABEL = arg('--baseline-label', 'baseline build');
if (!(CALLS >= 10) || SIZES.some((n) => !(n >= 1 && n <= 1_000_000)) || !(REPS >= 1)) {
  throw new Error('--calls ≥ 10, --users a list of 1..1000000, --reps ≥ 1');
}

function sippArgs(scenario, port, mediaPort, calls, log, extra = []) {
  return ['-sf', scenario, '-i', '127.0.0.1', '-p', String(port), '-mi', '127.0.0.1', '-mp', String(mediaPort),
    '-m', String(calls), '-nostdin', '-trace_msg', '-message_file', log,
    '-trace_err', '-error_file', `${log}.errors`, '-timeout', '300s', '-timeout_error', ...extra];
}

/** Adds `n` users (seed1..seedN, 6-digit extensions, +1415 numbers) in one statement, with the bench user's hash. */
function seed(dataDir, n, jar) {
  // The first start created the demo user: the database holds the bench user and the seeded ones only.
  const sql = "DELETE FROM users WHERE username = 'demo'; " + (n <= 0 ? '' : 'INSERT INTO users (username, display_name, extension, phone_number, password_hash, created_at, updated_at) '
    + `SELECT 'seed' || X, 'Seed User ' || X, CAST(200000 + X AS VARCHAR), '+1415' || CAST(2000000 + X AS VARCHAR), `
    + `(SELECT password_hash FROM users WHERE username = 'bench'), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, ${n}); `)
    + 'SELECT COUNT(*) AS users FROM users;';
  const r = spawnSync('java', ['-cp', jar, 'org.h2.tools.Shell', '-url', `jdbc:h2:file:${dataDir}/dialer`, '-sql', sql],
    { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`seeding failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const gatewayEnv = {
  DIALER_SIP_TRUNK: `sip:127.0.0.1:${TRUNK_PORT}`, DIALER_SIP_PORT: String(SIP_PORT),
  DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1', DIALER_PUBLIC_ADDRESS: '127.0.0.1',
  DIALER_WEBRTC_PORT: String(WEBRTC_PORT), DIALER_RTP_PORTS: RTP_PORTS,
  DIALER_CALLS_PER_MINUTE: '0', DIALER_CALLS_PER_DAY: '0', DIALER_LOG_LEVEL: 'warn',
};

/** One gateway with `users` users: WARMUP + CALLS outbound calls, then as many inbound ones. */
async function runOnce(users, jar = JAR, label = 'this build') {
  const opts = { jar, httpPort: HTTP_PORT, demoPort: 0, allowedOrigins: [`http://localhost:${BASE + 15}`], workDir: WORK_DIR, env: gatewayEnv };
  let gateway = await startGateway({ ...opts, name: `users-${users}-setup` });
  await createUser(gateway, { ...USER, password: `pw-${randomBytes(8).toString('hex')}` });
  await stopPid(gateway.pid);
  const counted = seed(gateway.dataDir, users - 1, jar);
  gateway = await startGateway({ ...opts, name: `users-${users}`, dataDir: gateway.dataDir, adminKey: gateway.adminKey });
  const total = WARMUP + CALLS;
  let trunk;
  let caller;
  let dialer;
  try {
    const trunkLog = path.join(WORK_DIR, `trunk-${users}.log`);
    rmSync(trunkLog, { force: true });
    trunk = await startSippTrunk({ args: sippArgs(path.join(HERE, 'sipp/uas-answer-after-pause.xml'), TRUNK_PORT,
      TRUNK_MEDIA_PORT, total, trunkLog), port: TRUNK_PORT, cwd: WORK_DIR, errorLog: `${trunkLog}.errors`, env: { ...process.env, TZ: 'UTC' } });
    const token = (await admin(gateway, 'POST', `/api/v1/users/${USER.username}/tokens`)).body.token;
    dialer = await WsDialer.open(gateway.url, token);

    const placed = await placeOneAtATime(dialer, total, FAR_END);
    const sippOut = await trunk.finished(30_000);
    if (sippOut.code !== 0) throw new Error(`trunk SIPp: ${JSON.stringify(sippOut)}`);
    const invites = inviteTimes(trunkLog, 'received');
    if (invites.length !== total) throw new Error(`placed ${total} calls, SIPp read ${invites.length} INVITEs`);

    const rang = [];
    dialer.onCall = (c, t) => {
      if (c.direction === 'inbound' && c.state === 'connecting') {
        rang.push(t);
        dialer.request('reject', { call_id: c.id }).catch((e) => console.error(String(e)));
      }
    };
    const callerLog = path.join(WORK_DIR, `caller-${users}.log`);
    rmSync(callerLog, { force: true });
    caller = await startSippTrunk({ args: sippArgs(path.join(HERE, 'sipp/uac-declined.xml'), CALLER_PORT, CALLER_MEDIA_PORT,
      total, callerLog, ['-s', USER.number, '-l', '1', '-r', '5', `127.0.0.1:${SIP_PORT}`]),
      port: CALLER_PORT, cwd: WORK_DIR, errorLog: `${callerLog}.errors`, env: { ...process.env, TZ: 'UTC' } });
    const sippIn = await caller.finished(120_000);
    if (sippIn.code !== 0) throw new Error(`caller SIPp: ${JSON.stringify(sippIn)}`);
    const sent = inviteTimes(callerLog, 'sent');
    if (sent.length !== total || rang.length !== total) throw new Error(`SIPp sent ${sent.length} INVITEs, the dialer rang ${rang.length} times`);

    const toInvite = invites.map((t, i) => t - placed[i]).slice(WARMUP);
    const toRinging = rang.map((t, i) => t - sent[i]).slice(WARMUP);
    if ([...toInvite, ...toRinging].some((x) => x <= 0)) {
      throw new Error(`an interval ≤ 0 (calls matched out of order, or the clocks disagree): ${JSON.stringify({ toInvite, toRinging })}`);
    }
    return { users, label, counted: (counted || '').match(/USERS\s*\n\s*(\d+)/i)?.[1], toInvite: summary(toInvite), toRinging: summary(toRinging) };
  } finally {
    dialer?.close();
    await caller?.stop();
    await trunk?.stop();
    await stopPid(gateway.pid);
    rmSync(gateway.dataDir, { recursive: true, force: true });
  }
}

const ms = (x) => `${x.toFixed(1)} ms`;

function markdown(runs, info) {
  const row = (r) => `| ${r.users.toLocaleString('en-US')}${BASELINE_JAR ? ` | ${r.label}` : ''} | ${ms(r.toInvite.median)} | ${ms(r.toInvite.p95)} | ${ms(r.toRinging.median)} | ${ms(r.toRinging.p95)} |`;
  return [
    START,
    '## Calls with 100 and with 100,000 users (`./dialer bench --only users`)',
    '',
    `Measured ${info.date}. Machine: ${info.m.nproc} CPUs (${info.m.cpu}), ${info.m.ramGiB} GiB RAM, ${info.m.os}; Node ${info.m.node}, ${info.m.java}. Load average at the start: ${info.loadStart}; at the end: ${info.loadEnd} (the machine is shared: every time includes waiting for a CPU).`,
    '',
    `Each row is one gateway (H2 database, the default) with that many users, ${CALLS} calls each way after ${WARMUP} warm-up calls; rows run in the order shown, in one session.`,
    '',
    `| users in the database${BASELINE_JAR ? ' | gateway' : ''} | placeCall → INVITE, median | p95 | INVITE → ringing, median | p95 |`,
    `| ---:${BASELINE_JAR ? ' | ---' : ''} | ---: | ---: | ---: | ---: |`,
    ...runs.map(row),
    '',
    '- **placeCall → INVITE**: a WebSocket dialer sends `placeCall { to, sdp }` (an offer whose audio never',
    '  connects) → SIPp, the trunk, reads the INVITE (its message log, `TZ=UTC`). Then answered, hung up, 50 ms, next.',
    '- **INVITE → ringing**: SIPp sends an INVITE to the user\'s number (one call at a time, 5 per second) → the',
    '  dialer receives `callStateChanged` `connecting` (inbound); it declines at once (603).',
    '- Users are seeded with one `INSERT … SELECT … FROM SYSTEM_RANGE` and the password hash of the one real',
    '  user (no Argon2 per seeded user); the count is checked before the gateway starts on them.',
    '- Each call looks its user up by number or extension with one indexed query (`UserLookup`); before,',
    '  every inbound call and every extension or PBX lookup read the whole `users` table.',
    ...(BASELINE_JAR ? [`- Rows marked "${BASELINE_LABEL}" ran that build's jar (\`--baseline-jar\`) on the same number of users, in the same rounds.`] : []),
    END,
  ].join('\n');
}

checkSipp();
mkdirSync(WORK_DIR, { recursive: true });
const info = { date: isoNow(), m: machine('-'), loadStart: loadAverage() };
const runs = [];
for (let rep = 0; rep < REPS; rep++) {
  for (const users of SIZES) {
    const r = await runOnce(users);
    if (Number(r.counted) !== users) throw new Error(`seeded ${r.counted} users, wanted ${users}`);
    console.log(`${users} users: placeCall→INVITE median ${ms(r.toInvite.median)}, INVITE→ringing median ${ms(r.toRinging.median)}`);
    runs.push(r);
  }
  if (BASELINE_JAR) {
    const users = Math.max(...SIZES);
    const r = await runOnce(users, BASELINE_JAR, BASELINE_LABEL);
    if (Number(r.counted) !== users) throw new Error(`seeded ${r.counted} users, wanted ${users}`);
    console.log(`${users} users (${BASELINE_LABEL}): placeCall→INVITE median ${ms(r.toInvite.median)}, INVITE→ringing median ${ms(r.toRinging.median)}`);
    runs.push(r);
  }
}
info.loadEnd = loadAverage();
const section = markdown(runs, info);
writeSection(START, END, section);
console.log(section);
