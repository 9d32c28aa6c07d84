// Shared by the benchmarks in bench/: the machine description, summary statistics, and the
// marked sections of docs/benchmarks.md.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../e2e/support/gateway.mjs';

export const DOC = path.join(REPO_ROOT, 'docs/benchmarks.md');

/** The word after `name` on the command line (`--calls 50` → '50'), or `fallback` when `name` is absent. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** As `arg`, as a number (NaN when the word is not one: the callers' range checks then refuse it). */
export function numberArg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The load averages (1, 5, 15 min), as `uptime` prints them. */
export const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

export function machine(browserVersion) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown';
  // `java -version` writes to stderr.
  const javaOut = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const java = `${javaOut.stderr || ''}${javaOut.stdout || ''}`.split('\n')[0].trim() || 'java: unknown version';
  return {
    nproc: os.cpus().length,
    cpu: model.trim(),
    ramGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    chromium: browserVersion,
    node: process.version,
    java: java.trim(),
    os: `${os.type()} ${os.release()}`,
    load: os.loadavg().map((x) => x.toFixed(1)).join(' '),
  };
}

/** One sentence describing the machine, for the top of a section. */
export function machineLine(m) {
  return `${m.nproc} CPUs (${m.cpu}), ${m.ramGiB} GiB RAM, ${m.os}; Chromium ${m.chromium} (headless), Node ${m.node}, ${m.java}`;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    median: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    min: s[0],
    max: s[s.length - 1],
  };
}

export const isoNow = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Replaces the text between `start` and `end` in docs/benchmarks.md (appends the section if absent). */
export function writeSection(start, end, section) {
  let doc = existsSync(DOC)
    ? readFileSync(DOC, 'utf8')
    : '# Benchmarks\n\nEach section is written by the script named in its heading; rerun it to refresh the numbers.\n';
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  doc = a >= 0 && b > a ? doc.slice(0, a) + section + doc.slice(b + end.length) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(DOC, doc);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts SIPp as the benchmark's trunk (kept by its PID) and resolves once it has bound UDP `port`.
 * `finished(ms)` resolves to its exit `{ code, signal }` (`code: 'timeout'` if it is still running)
 * with its stderr and the error log's text; `stop()` ends it, SIGKILL after 3 s.
 */
export async function startSippTrunk({ args, port, cwd, errorLog, env = process.env }) {
  const child = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'], cwd, env });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let done = null;
  void exited.then((r) => (done = r));
  const taken = () =>
    new Promise((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(true));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
  for (let i = 0; i < 100 && !done && !(await taken()); i++) await sleep(50);
  if (done) throw new Error(`sipp exited at start (${JSON.stringify(done)}): ${stderr}`);
  const errors = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '');
  return {
    pid: child.pid,
    async finished(timeoutMs) {
      const r = await Promise.race([exited, sleep(timeoutMs).then(() => null)]);
      return { ...(r ?? { code: 'timeout' }), stderr, errors: errors() };
    },
    async stop() {
      if (done) return;
      child.kill('SIGTERM');
      if (!(await Promise.race([exited, sleep(3000).then(() => null)]))) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
