// Benchmarks of the SDK, the dialer app and call signalling, in headless Chromium against the real
// gateway jar. Each writes its own marked section of docs/benchmarks.md.
// - SDK and dialer app: bundle sizes, and the time from `new Net2PhoneDialer(...)` to the first
//   answered SDK call (`getAuthState()`).
// - Calls (bench/calls.mjs): placeCall() → INVITE at SIPp, SIPp's 200 OK → `answered`.
//
//   node bench/run.mjs [--only sdk|calls] [--runs 30] [--calls 100]
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS } from '../e2e/support/constants.mjs';
import { checkBuildOutputs, REPO_ROOT, startFixtureServer, startGateway, stopPid, WEB_DIR } from '../e2e/support/gateway.mjs';
import { runCallsBench, writeCallsSection } from './calls.mjs';
import { DOC, isoNow, machine, summary, writeSection } from './lib.mjs';

const GATEWAY_PORT = 18280;
const DEMO_PORT = 18281;
const HOST_PORT = 18290;
const HOST_ORIGIN = `http://localhost:${HOST_PORT}`;
const WORK_DIR = path.join(REPO_ROOT, 'bench/.tmp');
const START = '<!-- bench/run.mjs:start -->';
const END = '<!-- bench/run.mjs:end -->';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const RUNS = Number(arg('--runs', 30));
if (!(RUNS >= 1)) throw new Error('--runs must be a positive number');
const CALLS = Number(arg('--calls', 100));
if (!(CALLS >= 50)) throw new Error('--calls must be at least 50');
const ONLY = arg('--only', null);
if (ONLY !== null && !['sdk', 'calls'].includes(ONLY)) throw new Error('--only takes sdk or calls');

const e2eRequire = createRequire(path.join(REPO_ROOT, 'e2e/package.json'));
let chromium;
try {
  ({ chromium } = e2eRequire('playwright-core'));
} catch {
  console.error('playwright-core is not installed: run `cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci` first.');
  process.exit(1);
}

function sizes() {
  const file = (p) => readFileSync(path.join(WEB_DIR, p));
  const row = (label, buf) => ({ label, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length });
  const html = file('dialer/dist/index.html');
  const js = file('dialer/dist/dialer.js');
  const css = file('dialer/dist/dialer.css');
  // Chunks dialer.js imports after ready (libphonenumber-js): part of the app, not of the way to ready.
  const chunks = readdirSync(path.join(WEB_DIR, 'dialer/dist')).filter((f) => /^chunk-.*\.js$/.test(f)).sort();
  const chunkBufs = chunks.map((f) => file(`dialer/dist/${f}`));
  const all = row('dialer app, all JS + CSS (budget 60 KiB gzip)', Buffer.concat([js, ...chunkBufs, css]));
  all.budget = DIALER_BUDGET_GZIP;
  return [
    row('SDK `dialer-sdk.umd.js`', file('sdk/dist/dialer-sdk.umd.js')),
    row('SDK `dialer-sdk.mjs`', file('sdk/dist/dialer-sdk.mjs')),
    row('dialer app `index.html` (with `dialer.js` and `dialer.css` inline: all that loads before ready)', html),
    row('dialer app `dialer.js` (inline in index.html)', js),
    ...chunks.map((f, i) => row(`dialer app \`${f}\` (loaded after ready)`, chunkBufs[i])),
    row('dialer app `dialer.css` (inline in index.html)', css),
    all,
  ];
}

/** Issue 6: the dialer app (JS + CSS) under 60 KB gzipped. */
const DIALER_BUDGET_GZIP = 60 * 1024;
const budgetNote = (r) => (r.budget === undefined ? '' : r.gzip <= r.budget ? ' ✅ within budget' : ' ❌ over budget');

/** Runs in the page: construct, then wait for the first answered call that needs the dialer. */
function measureInPage() {
  let readyAt = null;
  const onMessage = (e) => {
    if (readyAt === null && e.data && e.data.kind === 'ready') readyAt = performance.now();
  };
  window.addEventListener('message', onMessage);
  const t0 = performance.now();
  const dialer = new window.Net2PhoneDialer({ rootHtmlElement: document.getElementById('net2phone-dialer') });
  const tCtor = performance.now();
  return dialer.getAuthState().then(async (state) => {
    const ready = performance.now() - t0;
    window.removeEventListener('message', onMessage);
    // Where the time went (ms after the constructor was called); frameSteps adds the frame's side.
    const steps = { constructed: tCtor - t0, readyReceived: readyAt - t0, resolved: ready };
    // A round trip that goes through the WebSocket to the gateway (rejected: signed out).
    const t1 = performance.now();
    const err = await dialer.placeCall({ to: '+12025550143' }).then(() => null, (e) => e.name);
    return { ready, placeCall: performance.now() - t1, signedIn: state.signed_in, placeCallError: err, steps, t0Epoch: performance.timeOrigin + t0 };
  });
}

/**
 * Runs in the page: the peer of measureInPage, a bare cross-site iframe (one inline script) inserted the
 * same way; until its `ready` arrived and one postMessage round trip to it was answered.
 */
function measureBareFrame(frameUrl) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const onMessage = (e) => {
      if (e.data && e.data.kind === 'ready') e.source.postMessage({ kind: 'ping' }, '*');
      if (e.data && e.data.kind === 'pong') {
        window.removeEventListener('message', onMessage);
        resolve(performance.now() - t0);
      }
    };
    window.addEventListener('message', onMessage);
    const iframe = document.createElement('iframe');
    iframe.src = frameUrl;
    document.getElementById('net2phone-dialer').appendChild(iframe);
  });
}

const BARE_FRAME = `http://127.0.0.1:${HOST_PORT}/bare-frame.html`; // cross-site from http://localhost

/** The dialer frame's navigation timing, in ms after `t0Epoch` (the host's clock, through timeOrigin). */
async function frameSteps(page, t0Epoch) {
  const frame = page.frames().find((f) => f.url().includes('/dialer/'));
  const nav = await frame.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    const o = performance.timeOrigin;
    return { start: o + n.startTime, responseEnd: o + n.responseEnd, domInteractive: o + n.domInteractive, dcl: o + n.domContentLoadedEventStart };
  });
  return {
    frameNavigationStart: nav.start - t0Epoch,
    frameResponseEnd: nav.responseEnd - t0Epoch,
    frameParsed: nav.domInteractive - t0Epoch,
    frameScriptRan: nav.dcl - t0Epoch,
  };
}

const STEPS = [
  ['constructed', '`new Net2PhoneDialer(...)` returned (the iframe is in the page)'],
  ['frameNavigationStart', 'the frame\'s navigation started'],
  ['frameResponseEnd', 'the dialer page (`index.html`) received'],
  ['frameParsed', 'the page parsed (`domInteractive`): the frame\'s renderer process was up before this'],
  ['frameScriptRan', 'the inline module ran: parent checked, WebSocket opened, `ready` posted (`DOMContentLoaded`)'],
  ['readyReceived', '`ready` received by the host page'],
  ['resolved', '`getAuthState()` resolved'],
];

async function timeToReady(browser) {
  const breakdown = Object.fromEntries(STEPS.map(([k]) => [k, []]));
  const cold = [];
  const warm = [];
  const roundTrip = [];
  const peerCold = [];
  const peerWarm = [];
  // Cold: a new browser context (empty HTTP cache) per run; the peer's run right after ours.
  for (let i = 0; i < RUNS; i++) {
    const peerContext = await browser.newContext();
    const peerPage = await peerContext.newPage();
    await peerPage.goto(`${HOST_ORIGIN}/harness.html`);
    peerCold.push(await peerPage.evaluate(measureBareFrame, BARE_FRAME));
    await peerContext.close();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${HOST_ORIGIN}/harness.html`);
    const r = await page.evaluate(measureInPage);
    if (r.placeCallError !== 'AuthenticationError') throw new Error(`unexpected placeCall outcome: ${r.placeCallError}`);
    cold.push(r.ready);
    const steps = { ...r.steps, ...(await frameSteps(page, r.t0Epoch)) };
    for (const [k] of STEPS) breakdown[k].push(steps[k]);
    await context.close();
  }
  // Warm: one context, the page reloaded each run (HTTP cache and JIT caches warm).
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate(measureInPage); // warm-up, not counted
  const peerPage = await context.newPage();
  await peerPage.goto(`${HOST_ORIGIN}/harness.html`);
  await peerPage.evaluate(measureBareFrame, BARE_FRAME); // warm-up, not counted
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    const r = await page.evaluate(measureInPage);
    warm.push(r.ready);
    roundTrip.push(r.placeCall);
    await peerPage.reload();
    peerWarm.push(await peerPage.evaluate(measureBareFrame, BARE_FRAME));
  }
  await context.close();
  return {
    cold: summary(cold),
    warm: summary(warm),
    roundTrip: summary(roundTrip),
    peerCold: summary(peerCold),
    peerWarm: summary(peerWarm),
    breakdown: STEPS.map(([k, label]) => ({ label, median: summary(breakdown[k]).median })),
  };
}

const ms = (x) => `${x.toFixed(1)} ms`;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

function markdown(date, m, size, t) {
  const timing = (label, s) => `| ${label} | ${s.n} | ${ms(s.median)} | ${ms(s.p95)} | ${ms(s.min)} | ${ms(s.max)} |`;
  return [
    START,
    '## SDK and dialer app (`node bench/run.mjs`)',
    '',
    `Measured ${date}. Machine: ${m.nproc} CPUs (${m.cpu}), ${m.ramGiB} GiB RAM, ${m.os}; Chromium ${m.chromium} (headless), Node ${m.node}, ${m.java}. Load average at the end of the run: ${m.load} (other work on the machine inflates the times).`,
    '',
    '### Bundle sizes',
    '',
    'Already minified by the builds; gzip is Node\'s zlib at level 9.',
    '',
    '| file | raw | gzip |',
    '| --- | ---: | ---: |',
    ...size.map((r) => `| ${r.label} | ${r.raw} B (${kb(r.raw)}) | ${r.gzip} B (${kb(r.gzip)})${budgetNote(r)} |`),
    '',
    '### Time to ready',
    '',
    'From `new Net2PhoneDialer(...)` until the first `getAuthState()` resolves, measured in the host page',
    'with `performance.now()`. This covers creating the iframe, loading the dialer page (its config,',
    'CSS and JS inline), its origin check, `ready`, and one postMessage round trip. With no stored',
    'session (always so in a new context) the dialer answers `getAuthState` at once, without waiting',
    'for the WebSocket and `hello`; with one it resumes first. Host page on',
    '`http://localhost`, dialer on `http://127.0.0.1` (cross-site, as in production), gateway jar on the',
    'same machine.',
    '',
    '| case | runs | median | p95 | min | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    timing('cold: new browser context per run (empty cache)', t.cold),
    timing('warm: same context, page reloaded', t.warm),
    timing('then `placeCall` → gateway → `AuthenticationError` (warm)', t.roundTrip),
    timing('peer, cold: a bare cross-site iframe (one inline script: `ready`, one message answered)', t.peerCold),
    timing('peer, warm: the same, page reloaded', t.peerWarm),
    '',
    `Ours ÷ peer (medians, runs interleaved in the same session): cold ${(t.cold.median / t.peerCold.median).toFixed(2)}×, ` +
      `warm ${(t.warm.median / t.peerWarm.median).toFixed(2)}×. The peer is the floor any cross-site embed pays on this ` +
      'machine and browser: no code, no config, nothing to fetch but one small page.',
    '',
    'Where a cold run\'s time goes (median of each step, ms after the constructor was called; the',
    'frame\'s navigation timing is put on the host\'s clock through `performance.timeOrigin`):',
    '',
    '| step | median |',
    '| --- | ---: |',
    ...t.breakdown.map((b) => `| ${b.label} | ${ms(b.median)} |`),
    '',
    'Targets (issue 6): time to ready under 200 ms median on loopback, the dialer app under 60 KiB gzip.',
    'On the way to ready the dialer loads only `index.html`: the gateway fills in the config and allows',
    'the inline module by its hash in the page\'s Content-Security-Policy. Number formatting',
    '(libphonenumber-js, the `chunk-*.js`, content-hashed and `immutable`) loads once the gateway is',
    'connected. Most of a cold run is Chromium starting a renderer process for the cross-site frame:',
    'the gap between the page received and the page parsed above; the peer rows show what that costs',
    'an iframe with nothing in it. What is left on our side is the constructor (inserting the iframe),',
    'the inline module, and the postMessage round trips.',
    END,
  ].join('\n');
}

async function sdkBench(browser) {
  const size = sizes();
  const gateway = await startGateway({
    httpPort: GATEWAY_PORT,
    demoPort: DEMO_PORT,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
  });
  let fixtures;
  try {
    fixtures = await startFixtureServer({ ports: [HOST_PORT], gatewayUrl: gateway.url, adminKey: gateway.adminKey, workDir: WORK_DIR });
    const timings = await timeToReady(browser);
    const section = markdown(isoNow(), machine(browser.version()), size, timings);
    writeSection(START, END, section);
    return section;
  } finally {
    await stopPid(fixtures?.pid);
    await stopPid(gateway.pid);
    rmSync(gateway.dataDir, { recursive: true, force: true });
  }
}

async function main() {
  checkBuildOutputs();
  mkdirSync(WORK_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    if (ONLY !== 'calls') console.log(`${await sdkBench(browser)}\n`);
    if (ONLY !== 'sdk') console.log(`${writeCallsSection(await runCallsBench(browser, { calls: CALLS }))}\n`);
    console.log(`written to ${path.relative(process.cwd(), DOC)}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
