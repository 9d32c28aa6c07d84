// Does a slow webhook receiver slow calls down? The call-signalling benchmark (bench/calls.mjs:
// placeCall() in headless Chromium → INVITE read by SIPp) run in rounds, alternately with no webhooks
// and with DIALER_WEBHOOK_URL pointing at a receiver that answers every delivery after WEBHOOK_DELAY_MS.
// The gateway writes each event to its outbox and delivers it from another thread (docs/operations.md),
// so the two medians should agree within noise. Writes its section of docs/benchmarks.md.
//
//   node bench/webhooks.mjs [--calls 50] [--rounds 2] [--delay-ms 2000]
// Ports: BENCH_PORT_BASE (default 19700, as bench/calls.mjs) + 0..10 (bench/calls.mjs), + 20..59 RTP,
// + 70 WebRTC, + 71 receiver: inside BASE..BASE+99.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHROMIUM_ARGS } from '../e2e/support/constants.mjs';
import { checkBuildOutputs, REPO_ROOT } from '../e2e/support/gateway.mjs';
import { runCallsBench } from './calls.mjs';
import { isoNow, loadAverage, machine, machineLine, numberArg, writeSection } from './lib.mjs';

const BASE = Number(process.env.BENCH_PORT_BASE ?? 19700); // the same base bench/calls.mjs reads
const RECEIVER_PORT = BASE + 71;
const START = '<!-- bench/webhooks:start -->';
const END = '<!-- bench/webhooks:end -->';

const CALLS = numberArg('--calls', 50);
const ROUNDS = numberArg('--rounds', 2);
const DELAY_MS = numberArg('--delay-ms', 2000);
if (!(CALLS >= 10 && ROUNDS >= 1 && DELAY_MS >= 0)) throw new Error('--calls >= 10, --rounds >= 1, --delay-ms >= 0');

/** A webhook receiver that answers 200 after `delayMs`; counts what it received and answered. */
function startReceiver(delayMs) {
  const stats = { received: 0, answered: 0 };
  const server = createServer((req, res) => {
    stats.received++;
    req.resume();
    req.on('end', () => setTimeout(() => {
      res.writeHead(200).end();
      stats.answered++;
    }, delayMs));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(RECEIVER_PORT, '127.0.0.1', () => resolve({ stats, server, close: () => new Promise((r) => server.close(r)) }));
  });
}

// Both variants take their media ports from this block, so the bench stays inside BASE..BASE+99.
const PORTS = { DIALER_RTP_PORTS: `${BASE + 20}-${BASE + 59}`, DIALER_WEBRTC_PORT: String(BASE + 70) };

async function round(browser, slow) {
  if (!slow) return { slow, ...(await runCallsBench(browser, { calls: CALLS, env: PORTS, name: 'webhooks-none' })) };
  const receiver = await startReceiver(DELAY_MS);
  try {
    const env = {
      ...PORTS,
      DIALER_WEBHOOK_URL: `http://127.0.0.1:${RECEIVER_PORT}/hook`,
      DIALER_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
    };
    const r = await runCallsBench(browser, { calls: CALLS, env, name: 'webhooks-slow', during: () => ({ ...receiver.stats }) });
    return { slow, ...r };
  } finally {
    receiver.server.closeAllConnections();
    await Promise.race([receiver.close(), new Promise((r) => setTimeout(r, 3000))]);
  }
}

const ms = (x) => `${x.toFixed(1)} ms`;

function markdown(rounds, m, date, loadStart, loadEnd) {
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const medians = (slow) => rounds.filter((r) => r.slow === slow).map((r) => r.toInvite.median);
  const none = median(medians(false));
  const slow = median(medians(true));
  const spread = (xs) => Math.max(...xs) - Math.min(...xs);
  const events = 3 * (CALLS + 3);
  const signed = (x) => `${x >= 0 ? '+' : '−'}${ms(Math.abs(x))}`;
  return [
    START,
    '## Calls with a slow webhook receiver (`./dialer bench --only webhooks`)',
    '',
    `Measured ${date}. Machine: ${machineLine(m)}. Load average at the start: ${loadStart}; at the end: ${loadEnd}. The machine is shared with other work: every time includes waiting for a CPU.`,
    '',
    `The call-signalling benchmark above ((a): \`placeCall()\` invoked in the host page → INVITE read by SIPp), in`,
    `${ROUNDS * 2} alternating rounds of ${CALLS} calls (after 3 warm-up calls each), each round a fresh gateway:`,
    `without webhooks, and with \`DIALER_WEBHOOK_URL\` at a receiver (Node, loopback) that answers each delivery`,
    `after ${DELAY_MS} ms. Each call makes 3 events (\`call.started\`, \`call.answered\`, \`call.ended\`), ${events} per round.`,
    '',
    '| round | webhooks | (a) median | p95 | max | (b) 200 OK → `answered`, median | receiver when the last call had ended |',
    '| ---: | --- | ---: | ---: | ---: | ---: | --- |',
    ...rounds.map((r, i) => `| ${i + 1}${r.retried ? ' (run again: SIPp failed the first try)' : ''} | ${r.slow ? `receiver answers after ${DELAY_MS} ms` : 'none'} | ${ms(r.toInvite.median)} | ${ms(r.toInvite.p95)} | ${ms(r.toInvite.max)} | ${ms(r.okToAnswered.median)} | ${r.slow ? `${r.during.received} of ${events} deliveries received, ${r.during.answered} answered` : ''} |`),
    '',
    `Median of the rounds' medians of (a): without webhooks ${ms(none)}, with the slow receiver ${ms(slow)}`,
    `(${signed(slow - none)}). Between themselves, the rounds without webhooks differ by ${ms(spread(medians(false)))}, those with`,
    `the slow receiver by ${ms(spread(medians(true)))} (the machine's load changes from round to round).`,
    'Every delivery waited 2 s for its answer, while calls were placed about once a second: the calls',
    'did not wait for them. The dispatcher sends deliveries from its own thread (at most 16 in flight,',
    'each call\'s in order); the call engine only inserts an outbox row (docs/operations.md).',
    END,
  ].join('\n');
}

async function main() {
  checkBuildOutputs();
  const e2eRequire = createRequire(path.join(REPO_ROOT, 'e2e/package.json'));
  const { chromium } = e2eRequire('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const loadStart = loadAverage();
  try {
    const rounds = [];
    // A round whose SIPp exits non-zero (on a loaded machine it sometimes sees a BYE retransmitted after
    // its call ended and counts that as a failed call) is run again once, and the table says so.
    const attempt = async (slow) => {
      try {
        return await round(browser, slow);
      } catch (e) {
        console.error(`round failed, running it again: ${e.message.split('\n')[0].slice(0, 200)}`);
        return { ...(await round(browser, slow)), retried: true };
      }
    };
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(await attempt(false));
      rounds.push(await attempt(true));
    }
    const section = markdown(rounds, machine(browser.version()), isoNow(), loadStart, loadAverage());
    writeSection(START, END, section);
    console.log(section);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
