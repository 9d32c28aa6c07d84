// Adds up the results every test runner wrote and prints one closing line: "N passed, N failed".
// Reads Maven Surefire XML reports, Vitest JSON, type-check markers, Playwright JSON and the TAP
// report of the Firefox suite (node --test).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const resultsDir = process.argv[2] ?? 'test-results';
const suites = [];

function surefire() {
  let passed = 0, failed = 0, skipped = 0;
  for (const module of readdirSync('server')) {
    const dir = join('server', module, 'target', 'surefire-reports');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.startsWith('TEST-') && n.endsWith('.xml'))) {
      const head = readFileSync(join(dir, f), 'utf8').match(/<testsuite\b[^>]*>/);
      if (!head) continue;
      const attr = (name) => Number(head[0].match(new RegExp(`\\b${name}="(\\d+)"`))?.[1] ?? 0);
      const bad = attr('failures') + attr('errors');
      skipped += attr('skipped');
      failed += bad;
      passed += attr('tests') - bad - attr('skipped');
    }
  }
  suites.push({ name: 'java', passed, failed, skipped });
}

function vitest() {
  if (!existsSync(resultsDir)) return;
  for (const f of readdirSync(resultsDir).filter((n) => n.startsWith('vitest-') && n.endsWith('.json'))) {
    const r = JSON.parse(readFileSync(join(resultsDir, f), 'utf8'));
    suites.push({
      name: f.replace(/\.json$/, ''),
      passed: r.numPassedTests ?? 0,
      // A suite that fails to load counts as a failure even though none of its tests ran.
      failed: (r.numFailedTests ?? 0) || (r.numFailedTestSuites ?? 0),
      skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    });
  }
  for (const f of readdirSync(resultsDir).filter((n) => n.startsWith('typecheck-'))) {
    const ok = f.endsWith('.ok');
    suites.push({ name: f.replace(/\.(ok|failed)$/, ''), passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
  }
}

function playwright() {
  const file = join(resultsDir, 'playwright.json');
  if (!existsSync(file)) { suites.push({ name: 'e2e', passed: 0, failed: 1, skipped: 0, note: 'no report' }); return; }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const s = report.stats ?? {};
  const errors = report.errors ?? [];
  suites.push({ name: 'e2e', passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0) + errors.length, skipped: s.skipped ?? 0 });
}

function firefox() {
  const file = join(resultsDir, 'firefox.tap');
  if (!existsSync(file)) { suites.push({ name: 'e2e-firefox', passed: 0, failed: 1, skipped: 0, note: 'no report' }); return; }
  const tap = readFileSync(file, 'utf8');
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  // A run cut short writes no totals: count that as a failure, never as nothing to report.
  const note = /^# tests \d+$/m.test(tap) ? undefined : 'incomplete report';
  const failed = count('fail') + count('cancelled') + (note ? 1 : 0);
  suites.push({ name: 'e2e-firefox', passed: count('pass'), failed, skipped: count('skipped') + count('todo'), note });
}

surefire();
vitest();
playwright();
firefox();

let passed = 0, failed = 0, skipped = 0;
for (const s of suites) {
  passed += s.passed; failed += s.failed; skipped += s.skipped;
  console.log(`  ${s.name.padEnd(20)} ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}${s.note ? ` (${s.note})` : ''}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
