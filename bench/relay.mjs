#!/usr/bin/env node
// Relay capacity: N concurrent bridged calls (browser side ICE + DTLS-SRTP, SIP side plain RTP,
// 20 ms G.711 both ways) through our relay and through rtpengine, each in its own process, with a
// no-relay loop as the latency baseline. The Java load generator (server/loadgen) does the work;
// this script builds it if needed, runs it, takes medians over the repetitions and writes the
// "Relay capacity" section of docs/benchmarks.md.
//
//   node bench/relay.mjs [--calls 100,500,1000,2000] [--reps 3] [--window 10] [--systems loop,ours,rtpengine]
//                        [--stop-loss 5] [--no-write] [--from results.jsonl]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isoNow, loadAverage, writeSection } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const JAR = path.join(ROOT, 'server/loadgen/target/opendialer-loadgen.jar');
const START = '<!-- bench/relay:start -->';
const END = '<!-- bench/relay:end -->';
// The load generator's own JVM: a young generation big enough that a collection (of dead packet
// arrays only) comes every several seconds and takes a few ms.
const LOADGEN_JVM = ['-Xms1g', '-Xmx1g', '-Xmn600m', '-XX:+UseSerialGC'];

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const flag = (name) => process.argv.includes(`--${name}`);

const CALLS = arg('calls', '100,500,1000,2000');
const REPS = arg('reps', '3');
const WINDOW = arg('window', '10');
const SYSTEMS = arg('systems', 'ours,rtpengine,loop');
const STOP_LOSS = arg('stop-loss', '5');
const FROM = arg('from', null);

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout || ''}${r.stderr || ''}`.trim();
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) || [])[1] || 'unknown';
  return {
    nproc: sh('nproc', []),
    cpu: model.trim(),
    ramGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()}`,
    java: sh('java', ['-version']).split('\n')[0],
    commit: sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    mediaDirty: sh('git', ['-C', ROOT, 'status', '--porcelain', '--', 'server/media']) !== '',
    rtpengine: existsSync('/usr/bin/rtpengine') ? sh('/usr/bin/rtpengine', ['--version']).split('\n')[0] : 'not installed',
  };
}

function build() {
  if (existsSync(JAR) && !flag('rebuild')) return;
  console.log('building server/loadgen ...');
  const r = spawnSync('mvn', ['-B', '-q', '-o', '-pl', 'server/loadgen', '-am', 'install', '-DskipTests'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('mvn build of server/loadgen failed');
}

function runJava(out) {
  const args = [...LOADGEN_JVM, '-jar', JAR, '--systems', SYSTEMS, '--calls', CALLS, '--reps', REPS, '--window', WINDOW,
    '--stop-loss', STOP_LOSS, '--out', out, '--log-dir', path.dirname(out)];
  console.log(`java ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const p = spawn('java', args, { cwd: ROOT, stdio: 'inherit' });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load generator exited with ${code}`))));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const ms = (us) => (Number.isFinite(us) ? (us / 1000).toFixed(3) : '–');

/** Medians over the repetitions of one system at one N; added latency is per repetition against the loop run of that repetition. */
function aggregate(results) {
  const loop = new Map(results.filter((r) => r.system === 'loop').map((r) => [`${r.calls}/${r.rep}`, r]));
  const groups = new Map();
  for (const r of results) {
    const key = `${r.system}/${r.calls}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  const rows = [];
  for (const [key, rs] of groups) {
    const [system, calls] = key.split('/');
    const added = (field) => median(rs.map((r) => {
      const base = loop.get(`${r.calls}/${r.rep}`);
      return base ? r[field] - base[field] : NaN;
    }).filter(Number.isFinite));
    const pps = Number(calls) * 100; // packets the relay forwards per second: 50 each way per call
    rows.push({
      system, calls: Number(calls), reps: rs.length,
      callsUp: Math.min(...rs.map((r) => r.callsUp)),
      lossB2S: median(rs.map((r) => r.lossB2S)), lossS2B: median(rs.map((r) => r.lossS2B)),
      maxLoss: Math.max(...rs.map((r) => Math.max(r.lossB2S, r.lossS2B))),
      medianB2S: median(rs.map((r) => r.medianB2S)), p99B2S: median(rs.map((r) => r.p99B2S)),
      medianS2B: median(rs.map((r) => r.medianS2B)), p99S2B: median(rs.map((r) => r.p99S2B)),
      addedMedianB2S: added('medianB2S'), addedP99B2S: added('p99B2S'),
      addedMedianS2B: added('medianS2B'), addedP99S2B: added('p99S2B'),
      cpu: median(rs.map((r) => r.sutCpu)), user: median(rs.map((r) => r.sutUserCpu)), sys: median(rs.map((r) => r.sutSystemCpu)),
      // per packet actually relayed in the window (received by the load generator), not per nominal packet
      cpuPerPacketUs: median(rs.map((r) => (r.sutCpu / 100) * 1e6 / ((r.receivedB2S + r.receivedS2B) / r.windowSeconds))),
      rssMiB: median(rs.map((r) => r.sutRssKib / 1024)),
      loadgenCpu: median(rs.map((r) => r.loadgenCpu)),
      // packets actually sent in the window over N × 50 per s × window, both directions: below 100 % the load
      // generator could not keep its schedule (starved of CPU) and the relay saw less than the nominal load
      offered: median(rs.map((r) => (100 * (r.sentB2S + r.sentS2B)) / (2 * r.calls * 50 * r.windowSeconds))),
      lateSlots: median(rs.map((r) => r.lateSlots)),
      ramp: median(rs.map((r) => r.rampSeconds)), handshake: median(rs.map((r) => r.handshakeMedianMs)),
      stun: median(rs.map((r) => r.stunAnswered)),
      relayDrops: median(rs.map((r) => r.relayKernelDrops)), loadgenDrops: median(rs.map((r) => r.loadgenKernelDrops)),
      loads: rs.map((r) => r.loadAverageAtStart.split(' ')[0]).join(', '),
    });
  }
  return rows.sort((a, b) => a.system.localeCompare(b.system) || a.calls - b.calls);
}

function table(rows, system) {
  const mine = rows.filter((r) => r.system === system);
  if (mine.length === 0) return `(${system} not run)`;
  const head = system === 'loop'
    ? ['| N calls | runs | loss b→s / s→b | latency b→s median / p99 | latency s→b median / p99 | load generator CPU | load offered (sent / nominal) | load avg at start (per run) |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |']
    : ['| N calls | runs | calls up | loss browser→SIP | loss SIP→browser | added latency b→s median / p99 | added latency s→b median / p99 | relay CPU (user + sys) | CPU per relayed packet | relay RSS | receive-buffer drops relay / load generator | load generator CPU | load offered (sent / nominal) | ramp-up (handshake median) | load avg at start (per run) |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |'];
  const lines = mine.map((r) => (system === 'loop'
    ? `| ${r.calls} | ${r.reps} | ${fmt(r.lossB2S, 3)} % / ${fmt(r.lossS2B, 3)} % | ${ms(r.medianB2S)} / ${ms(r.p99B2S)} ms | ${ms(r.medianS2B)} / ${ms(r.p99S2B)} ms | ${fmt(r.loadgenCpu)} % | ${fmt(r.offered)} % | ${r.loads} |`
    : `| ${r.calls} | ${r.reps} | ${r.callsUp} | ${fmt(r.lossB2S, 3)} % | ${fmt(r.lossS2B, 3)} % | ${ms(r.addedMedianB2S)} / ${ms(r.addedP99B2S)} ms | ${ms(r.addedMedianS2B)} / ${ms(r.addedP99S2B)} ms | ${fmt(r.cpu)} % (${fmt(r.user)} + ${fmt(r.sys)}) | ${fmt(r.cpuPerPacketUs, 2)} µs | ${fmt(r.rssMiB, 0)} MiB | ${fmt(r.relayDrops, 0)} / ${fmt(r.loadgenDrops, 0)} | ${fmt(r.loadgenCpu)} % | ${fmt(r.offered)} % | ${fmt(r.ramp)} s (${fmt(r.handshake, 0)} ms) | ${r.loads} |`));
  return [...head, ...lines].join('\n');
}

function ratios(rows) {
  const ours = rows.filter((r) => r.system === 'ours');
  const lines = ['| N calls | relay CPU ours / rtpengine | CPU per packet ours / rtpengine | RSS ours / rtpengine | added p99 (worse direction) ours / rtpengine | worst loss ours / rtpengine |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const o of ours) {
    const r = rows.find((x) => x.system === 'rtpengine' && x.calls === o.calls);
    if (!r) continue;
    const p99o = Math.max(o.addedP99B2S, o.addedP99S2B);
    const p99r = Math.max(r.addedP99B2S, r.addedP99S2B);
    lines.push(`| ${o.calls} | ${fmt(o.cpu / r.cpu, 2)} | ${fmt(o.cpuPerPacketUs / r.cpuPerPacketUs, 2)} | ${fmt(o.rssMiB / r.rssMiB, 2)} | ${ms(p99o)} / ${ms(p99r)} ms | ${fmt(o.maxLoss, 3)} % / ${fmt(r.maxLoss, 3)} % |`);
  }
  return lines.length > 2 ? lines.join('\n') : '(needs both systems at the same N)';
}

function markdown(date, m, loadStart, loadEnd, rows, command) {
  return [START,
    '## Relay capacity (`node bench/relay.mjs`)',
    '',
    `Measured ${date}. Machine: ${m.nproc} CPUs (${m.cpu}), ${m.ramGiB} GiB RAM, ${m.os}; ${m.java}; rtpengine ${m.rtpengine} (userspace only, no kernel module). Load average (1/5/15 min) at the start: ${loadStart}; at the end: ${loadEnd}. The load generator runs on the same 2 CPUs as the relay; other work on the machine shares them too.`,
    '',
    `Code: commit ${m.commit}${m.mediaDirty ? ' (server/media had uncommitted changes in the working tree)' : ''}. Command: \`${command}\`. Every figure is the median over the repetitions (runs); loss and latency count the packets sent during a ${WINDOW} s window that starts after all N calls are up (ramp-up in batches of 50 calls, then 5 s to settle); a packet that has not arrived 1 s after the window is lost. "Added latency" is the relay's addition: one-way latency through the relay minus the same figure with the load generator looped to itself (no relay) at the same N in the same repetition. CPU is the relay process's utime + stime from /proc/PID/stat over the window, in % of one core; "CPU per relayed packet" divides it by the packets per second the relay delivered in the window (nominally N × 100). "Load offered" is what the load generator actually sent in the window over the nominal N × 50 packets per second each way: under 100 % its sender was starved of CPU and skipped slots, so the relay carried less than N calls' worth. RSS is VmRSS at the end of the window. "Receive-buffer drops" are the kernel's per-socket drop counters (/proc/net/udp) over the window and the following second, for the relay's ports and for the load generator's: they say where a lost packet was lost.`,
    '',
    '### Ours (`org.opendialer.media.relay.MediaRelay` in its own JVM, `RelayServerMain`)',
    '',
    table(rows, 'ours'),
    '',
    '### rtpengine',
    '',
    table(rows, 'rtpengine'),
    '',
    '### Ours / rtpengine',
    '',
    ratios(rows),
    '',
    '### Baseline: load generator looped to itself (no relay)',
    '',
    table(rows, 'loop'),
    END].join('\n');
}

async function main() {
  const loadStart = loadAverage();
  const date = isoNow();
  let out = FROM;
  const command = `node bench/relay.mjs ${process.argv.slice(2).join(' ')}`.trim();
  if (!out) {
    build();
    out = path.join(mkdtempSync(path.join(os.tmpdir(), 'relay-bench-')), 'results.jsonl');
    await runJava(out);
  }
  const results = readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const rows = aggregate(results);
  const first = results[0];
  const section = FROM
    ? markdown(first?.startedAt?.replace(/\.\d+Z$/, 'Z') ?? date, machine(), results.map((r) => r.loadAverageAtStart)[0] ?? loadStart,
      `${results[results.length - 1]?.loadAverageAtStart} (at the start of the last run)`, rows,
      `${command} (results of: java ${LOADGEN_JVM.join(' ')} -jar server/loadgen/target/opendialer-loadgen.jar --systems ${SYSTEMS} --calls ${CALLS} --reps ${REPS} --window ${WINDOW} --stop-loss ${STOP_LOSS} --out FILE)`)
    : markdown(date, machine(), loadStart, loadAverage(), rows, command);
  console.log(`\n${section}\n\nraw results: ${out}`);
  if (!flag('no-write')) {
    writeSection(START, END, section);
    writeFileSync(path.join(ROOT, 'bench/relay-results.jsonl'), readFileSync(out, 'utf8'));
    console.log('written to docs/benchmarks.md and bench/relay-results.jsonl');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
