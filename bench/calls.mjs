// Call-signalling benchmark: how long an outbound call takes to leave the gateway and how long the
// answer takes to reach the host page. The real gateway jar dials SIPp (the trunk, one process for
// every call); the host page in headless Chromium places the calls through the SDK.
//
// Times are epoch milliseconds of the one host clock, taken on both sides:
// - page: `performance.timeOrigin + performance.now()` when `placeCall()` is invoked, when its
//   promise resolves, and when the subscriber receives `callStateChanged` with state `answered`;
// - SIPp: the timestamps (microseconds) of its message log (`-trace_msg`): when it read the INVITE,
//   when it wrote the 200 OK.
// Calls run one after another (place, wait for `answered`, hang up, wait for `disconnected`), so
// the n-th page call is the n-th INVITE SIPp logged; Call-IDs keep retransmissions apart.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUser, REPO_ROOT, startFixtureServer, startGateway, stopPid } from '../e2e/support/gateway.mjs';
import { checkSipp } from '../e2e/support/sipp.mjs';
import { isoNow, loadAverage, machine, machineLine, startSippTrunk, summary, writeSection } from './lib.mjs';

// Ports: away from the e2e defaults (18080–18091, 18100–18299), 8080/8081 and bench/run.mjs (18280–18290).
const BASE = Number(process.env.BENCH_PORT_BASE ?? 19700); // BENCH_PORT_BASE: a range of ~200 ports of your own
const HTTP_PORT = BASE;
const SIP_PORT = BASE + 1;
const TRUNK_PORT = BASE + 2;
const TRUNK_MEDIA_PORT = BASE + 4;
const HOST_PORT = BASE + 10;
const RTP_PORTS = `${BASE + 100}-${BASE + 199}`;
const HOST_ORIGIN = `http://localhost:${HOST_PORT}`;
const WORK_DIR = path.join(REPO_ROOT, 'bench/.tmp/calls');
const SCENARIO = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sipp/uas-answer-after-pause.xml');
const ANSWER_PAUSE_MS = 100;
const FAR_END = '+12025550143';
const USER = { username: 'bench', display_name: 'Bench Caller', extension: '401', number: '+12025550190' };
export const WARMUP = 3;

export const START = '<!-- bench/calls:start -->';
export const END = '<!-- bench/calls:end -->';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One SIPp for all calls (kept by its PID); resolves once it has bound its UDP port. */
async function startTrunk(calls) {
  const messageLog = path.join(WORK_DIR, 'trunk_messages.log');
  const errorLog = path.join(WORK_DIR, 'trunk_errors.log');
  rmSync(messageLog, { force: true });
  const args = [
    '-sf', SCENARIO,
    '-i', '127.0.0.1', '-p', String(TRUNK_PORT),
    '-mi', '127.0.0.1', '-mp', String(TRUNK_MEDIA_PORT),
    '-m', String(calls),
    '-nostdin',
    '-trace_msg', '-message_file', messageLog,
    '-trace_err', '-error_file', errorLog,
    '-timeout', '240s', '-timeout_error',
  ];
  // TZ=UTC: the message log prints local wall-clock time without a zone.
  const trunk = await startSippTrunk({ args, port: TRUNK_PORT, cwd: WORK_DIR, errorLog, env: { ...process.env, TZ: 'UTC' } });
  return {
    ...trunk,
    messageLog,
    async finished(timeoutMs) {
      const r = await trunk.finished(timeoutMs);
      if (r.code === 'timeout') throw new Error(`sipp did not finish within ${timeoutMs} ms`);
      return r;
    },
  };
}

/**
 * SIPp's message log → per Call-ID (in order of the first INVITE): when the INVITE was read and
 * when the 200 OK to it was written, epoch ms. The first occurrence counts (not retransmissions).
 */
export function parseMessageLog(text) {
  const calls = new Map();
  const blocks = text.split(/^-{20,} (?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\s*$)/m).slice(1);
  for (const block of blocks) {
    const m = block.match(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{6})\s*\n(\w+) message (received|sent)/);
    if (!m) continue;
    const t = Date.parse(`${m[1]}T${m[2]}Z`) + Number(m[3]) / 1000;
    const lines = block.split('\n').map((l) => l.trim());
    const first = lines.find((l) => /^(SIP\/2\.0 \d{3}|[A-Z]+ sip:)/.test(l)) || '';
    const callId = (lines.find((l) => /^(Call-ID|i):/i.test(l)) || '').replace(/^[^:]+:\s*/, '');
    const cseq = (lines.find((l) => /^CSeq:/i.test(l)) || '').replace(/^[^:]+:\s*/, '');
    if (!callId) continue;
    if (!calls.has(callId)) calls.set(callId, { callId });
    const c = calls.get(callId);
    if (m[5] === 'received' && first.startsWith('INVITE ') && c.invite === undefined) c.invite = t;
    if (m[5] === 'sent' && first.startsWith('SIP/2.0 200') && /INVITE/.test(cseq) && c.ok === undefined) {
      const stamp = (lines.find((l) => /^X-Bench-Written:/i.test(l)) || '').match(/(\d{9,})\.(\d{6})\s*$/);
      if (!stamp) throw new Error(`200 OK of ${callId} without X-Bench-Written`);
      c.ok = Number(stamp[1]) * 1000 + Number(stamp[2]) / 1000;
      c.okLogged = t;
    }
  }
  return [...calls.values()].filter((c) => c.invite !== undefined);
}

/** Runs in the host page: `calls` calls one after another; returns the page's timestamps of each. */
function placeCallsInPage({ calls, to, gapMs }) {
  const now = () => performance.timeOrigin + performance.now();
  const dialer = window.dialer;
  const timeout = (p, ms, what) =>
    Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);
  let onEvent = () => {};
  const sub = dialer.subscribe((e) => onEvent(e, now()));
  // Whether the page clock agrees with Date.now() (both the host clock; drift would skew everything).
  const clockOffsets = [Date.now() - now()];
  const run = async () => {
    const out = [];
    for (let i = 0; i < calls; i++) {
      const r = { i };
      const answered = new Promise((resolve, reject) => {
        onEvent = (e, t) => {
          if (e.call.state === 'answered') {
            r.answered = t;
            r.callId = e.call.id;
            resolve();
          } else if (e.call.state === 'disconnected') {
            reject(new Error(`call ${i} ended before it was answered: ${e.call.end_reason}`));
          }
        };
      });
      answered.catch(() => {});
      r.placeCall = now();
      await dialer.placeCall({ to });
      r.resolved = now();
      await timeout(answered, 10_000, `answered (call ${i})`);
      const ended = new Promise((resolve) => {
        onEvent = (e) => e.call.state === 'disconnected' && resolve(e.call.end_reason);
      });
      await dialer.hangUp();
      r.endReason = await timeout(ended, 10_000, `disconnected (call ${i})`);
      out.push(r);
      await new Promise((res) => setTimeout(res, gapMs));
    }
    return out;
  };
  return run().finally(() => {
    sub.dispose();
    clockOffsets.push(Date.now() - now());
  }).then((results) => ({ results, clockOffsets }));
}

async function signedIn(page) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const state = await page.evaluate(() => window.dialer.getAuthState().then((s) => s.signed_in, () => false));
    if (state) return;
    await sleep(200);
  }
  throw new Error('the bench user did not get signed in (getToken) within 30 s');
}

/**
 * Starts a gateway whose trunk is SIPp, signs a user in through getToken (the fixture server mints
 * the token with the admin API), places WARMUP + `calls` calls and measures them. `env` adds gateway
 * settings; `during()`, if given, is called once the calls are done and its result returned as `during`.
 */
export async function runCallsBench(browser, { calls = 100, env = {}, name = 'calls-gateway', during } = {}) {
  checkSipp();
  mkdirSync(WORK_DIR, { recursive: true });
  const loadStart = loadAverage();
  const total = WARMUP + calls;
  const gateway = await startGateway({
    httpPort: HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name,
    env: {
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${TRUNK_PORT}`,
      DIALER_SIP_PORT: String(SIP_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_RTP_PORTS: RTP_PORTS,
      // The benchmark places calls back to back: no per-user call limits (docs/security.md).
      DIALER_CALLS_PER_MINUTE: '0',
      DIALER_CALLS_PER_DAY: '0',
      ...env, // a variant's settings (bench/webhooks.mjs: a webhook receiver), its own ports
    },
  });
  let fixtures;
  let trunk;
  let context;
  try {
    await createUser(gateway, { ...USER, password: `pw-${Math.random().toString(36).slice(2)}-${Date.now()}` });
    fixtures = await startFixtureServer({ ports: [HOST_PORT], gatewayUrl: gateway.url, adminKey: gateway.adminKey, workDir: WORK_DIR });
    trunk = await startTrunk(total);
    context = await browser.newContext({ permissions: ['microphone'] });
    const page = await context.newPage();
    await page.goto(`${HOST_ORIGIN}/harness.html`);
    await page.evaluate((u) => window.harness.create({ tokenUser: u }), USER.username);
    await signedIn(page);

    const { results, clockOffsets } = await page.evaluate(placeCallsInPage, { calls: total, to: FAR_END, gapMs: 50 });
    const sipp = await trunk.finished(20_000);
    if (sipp.code !== 0) throw new Error(`sipp exited with ${JSON.stringify(sipp)}`);
    const legs = parseMessageLog(readFileSync(trunk.messageLog, 'utf8'));
    if (legs.length !== results.length) throw new Error(`page placed ${results.length} calls, SIPp logged ${legs.length} INVITEs`);
    const rows = results.map((r, i) => {
      const leg = legs[i];
      if (leg.ok === undefined) throw new Error(`SIPp logged no 200 OK for ${leg.callId}`);
      return {
        toInvite: leg.invite - r.placeCall,
        okToAnswered: r.answered - leg.ok,
        toResolved: r.resolved - r.placeCall,
        inviteToOk: leg.ok - leg.invite,
        okWrite: leg.okLogged - leg.ok,
        endReason: r.endReason,
      };
    });
    for (const [i, row] of rows.entries()) {
      if (!(row.inviteToOk >= ANSWER_PAUSE_MS && row.inviteToOk < ANSWER_PAUSE_MS + 2000)) {
        throw new Error(`call ${i}: inconsistent times ${JSON.stringify(row)} (calls matched out of order?)`);
      }
    }
    const measured = rows.slice(WARMUP);
    // Causality says both are positive; a negative one would mean the clocks disagree.
    const negative = measured.filter((r) => r.toInvite <= 0 || r.okToAnswered <= 0).length;
    return {
      date: isoNow(),
      machine: machine(browser.version()),
      loadStart,
      loadEnd: loadAverage(),
      calls,
      first: rows[0],
      toInvite: summary(measured.map((r) => r.toInvite)),
      okToAnswered: summary(measured.map((r) => r.okToAnswered)),
      toResolved: summary(measured.map((r) => r.toResolved)),
      inviteToOk: summary(measured.map((r) => r.inviteToOk)),
      okWrite: summary(measured.map((r) => r.okWrite)),
      negative,
      clockOffsets,
      endReasons: [...new Set(measured.map((r) => r.endReason))],
      during: during ? await during() : undefined,
    };
  } finally {
    await context?.close();
    await trunk?.stop();
    await stopPid(fixtures?.pid);
    await stopPid(gateway.pid);
    rmSync(gateway.dataDir, { recursive: true, force: true });
  }
}

const ms = (x) => `${x.toFixed(1)} ms`;

export function callsMarkdown(r) {
  const row = (label, s) => `| ${label} | ${s.n} | ${ms(s.median)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.min)} | ${ms(s.max)} |`;
  const offsets = r.clockOffsets.map((x) => `${x.toFixed(2)} ms`).join(' / ');
  return [
    START,
    '## Call signalling (`node bench/run.mjs`, or `--only calls`)',
    '',
    `Measured ${r.date}. Machine: ${machineLine(r.machine)}. Load average (1/5/15 min, as \`uptime\` prints it) at the start: ${r.loadStart}; at the end: ${r.loadEnd}. The machine is shared with other work: every time below includes waiting for a CPU.`,
    '',
    '| interval | calls | median | p95 | p99 | min | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('(a) `placeCall()` invoked in the host page → INVITE read by SIPp', r.toInvite),
    row('(b) 200 OK written by SIPp → `answered` in the host page\'s subscriber', r.okToAnswered),
    row('(c) `placeCall()` invoked → its promise resolved', r.toResolved),
    row('for reference: INVITE read → 200 OK written by SIPp (its scripted 100 ms pause)', r.inviteToOk),
    '',
    `The first call after the gateway started (a warm-up call, not in the table) took ${ms(r.first.toInvite)} to the INVITE and ${ms(r.first.okToAnswered)} from the 200 OK to \`answered\`.`,
    '',
    '**What (a) includes:** the dialer opens the microphone (Chromium\'s fake device here, permission',
    'granted) and makes its WebRTC offer, then sends `placeCall { to, sdp }`; the gateway answers the offer and',
    'sends the INVITE in the same step (protocol.md part 4). Neither side waits for ICE gathering or DTLS: ICE',
    'and DTLS run while the far end rings. SIP.js and JsSIP users report 5–10 s before the INVITE leaves because',
    'the browser gathers ICE candidates first; here (a) is the signalling path plus `getUserMedia` and',
    '`createOffer`.',
    '',
    '### Method',
    '',
    `- One gateway jar with \`DIALER_SIP_TRUNK=sip:127.0.0.1:${TRUNK_PORT}\` (UDP); one SIPp process for all`,
    `  ${WARMUP + r.calls} calls (\`-m ${WARMUP + r.calls}\`) playing the trunk with \`bench/sipp/uas-answer-after-pause.xml\`: INVITE → 180 at`,
    `  once → ${ANSWER_PAUSE_MS} ms pause → 200 OK → ACK → waits for the BYE.`,
    '- A user created with the admin API and signed in through the SDK\'s `getToken` (the host page\'s',
    '  backend mints the token with the admin API). Host page on `http://localhost`, dialer on',
    '  `http://127.0.0.1` (cross-site, as in production), headless Chromium.',
    `- The page places the calls one after another: \`placeCall({ to })\`, wait for \`answered\`, \`hangUp()\`, wait`,
    `  for \`disconnected\` (all ended \`${r.endReasons.join(', ')}\`), 50 ms, next. The first ${WARMUP} calls are warm-up and not`,
    `  counted; ${r.calls} are.`,
    '- Both processes read the same host clock. The page takes `performance.timeOrigin + performance.now()`',
    '  (epoch ms, sub-ms) when it invokes `placeCall()`, when that promise resolves, and when its',
    '  `subscribe()` callback receives the `answered` event. SIPp\'s message log (`-trace_msg`, run with',
    '  `TZ=UTC`) stamps each message with microseconds: the time it read the INVITE (after its own poll',
    '  loop picked it up, so (a) includes SIPp\'s wake-up; a one-off check, not part of the script, with',
    '  Node sending 10 datagrams found 0.3–4 ms between send and SIPp\'s stamp). The 200 OK carries SIPp\'s clock in a',
    '  header (`X-Bench-Written: [timestamp]`), read while SIPp composes it just before the write, so (b)',
    `  errs long, never short. SIPp's message log stamps the same 200 OK after the write returned: median`,
    `  ${ms(r.okWrite.median)}, max ${ms(r.okWrite.max)} later (on a loaded 2-core machine the woken gateway can run before SIPp takes its`,
    '  stamp, which is why the header is used). The n-th call of the page is the n-th Call-ID SIPp',
    `  logged (calls never overlap). Intervals ≤ 0 (impossible unless the clocks disagree): ${r.negative}.`,
    `- The page clock against \`Date.now()\` at the start / end of the calls: ${offsets} (Date.now() has`,
    '  1 ms resolution; a growing offset would mean the clocks drifted apart during the run).',
    `- Percentiles are nearest-rank: with ${r.calls} calls, p99 is the ${r.calls >= 100 ? `${Math.ceil(0.99 * r.calls)}th of ${r.calls} sorted values` : 'largest value'}.`,
    END,
  ].join('\n');
}

export function writeCallsSection(r) {
  const section = callsMarkdown(r);
  writeSection(START, END, section);
  return section;
}
