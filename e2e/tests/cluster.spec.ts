// A cluster end to end (docs/deployment.md, docs/decisions/0021): `scripts/cluster.sh up` (what
// `./dialer cluster up` runs) with 2 gateway nodes, real PostgreSQL, Kamailio (the SIP edge) and HAProxy;
// SIPp as the trunk (built-in UAS, answers and echoes) and as a caller; Chromium dialers spread over both
// nodes by HAProxy (leastconn). Every port lies in E2E_PORT_BASE+2200 .. +2339 (the cluster block 2200-2499).
// Chromium's fake microphone plays a 1 kHz tone, which the SIPp trunk echoes (the reload test listens for it).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type BrowserContext, type Frame, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, HOST_ORIGIN } from '../support/constants.mjs';
import { admin, createUser, mintToken, REPO_ROOT, signalAndWait } from '../support/gateway.mjs';
import { checkSipp, startSipp } from '../support/sipp.mjs';
import { writeToneWav } from '../support/tone.mjs';
import { hear } from './helpers';

const BASE = Number(process.env.E2E_PORT_BASE || 18080) + 2200;
const TRUNK_PORT = BASE + 60;
const TRUNK_MEDIA_PORT = BASE + 62; // SIPp binds +62 to +65
const CALLER_PORT = BASE + 70;
const CALLER_MEDIA_PORT = BASE + 72;
const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/cluster');
const TONE_HZ = 1000;
const TONE = writeToneWav(path.resolve(WORK_DIR, `../cluster-tone-${TONE_HZ}.wav`), TONE_HZ);
test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${TONE}`] } });
const STATE_DIR = path.join(WORK_DIR, 'state');
const SCRIPT = path.join(REPO_ROOT, 'scripts/cluster.sh');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
// One user per test: a closed dialer's contact stays at the edge for the 10 s grace, and each test finds
// the node of a new dialer by the contact it adds.
const user = (name: string, extension: string) =>
  ({ username: `cl${name.toLowerCase()}`, display_name: `${name} Cluster`, extension, number: `+1202555${extension}` });
const ALICE = user('Alice', '1701');
const BOB = user('Bob', '1702');
const CAROL = user('Carol', '1703');
const DAVE = user('Dave', '1704');
const ERIN = user('Erin', '1705');
const FRANK = user('Frank', '1706');
const GINA = user('Gina', '1707');
const HANK = user('Hank', '1708');

interface ClusterInfo {
  url: string;
  sip: string;
  admin_key: string;
  nodes: Array<{ name: string; pid: number; url: string; sip: string }>;
}
interface Dialer {
  context: BrowserContext;
  page: Page;
  frame: Frame;
  node: string;
}

let cluster: ClusterInfo | null = null;
let trunk: { pid: number } | null = null;
const dialers: Dialer[] = [];

test.describe.configure({ mode: 'serial', timeout: 120_000 });

/** Runs scripts/cluster.sh without blocking the test runner (its timeouts keep working). */
function clusterCommand(args: string[], timeoutMs: number): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(SCRIPT, args, { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGTERM', env: clusterEnv() },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: `${stdout}${stderr}` }));
  });
}

function clusterEnv() {
  return {
      ...process.env,
      DIALER_CLUSTER_DIR: STATE_DIR,
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${TRUNK_PORT}`,
      DIALER_ALLOWED_ORIGINS: HOST_ORIGIN,
      DIALER_RING_TIMEOUT_S: '30',
      DIALER_METRICS_PORT: '0',
      DIALER_SIGNIN_RATE_PER_ADDRESS: '100000',
      DIALER_SIGNIN_RATE_GLOBAL: '100000',
      DIALER_ADMIN_FAILURES_PER_ADDRESS: '100000',
      DIALER_CALLS_PER_MINUTE: '0',
      // Quicker JVM starts on a loaded 2-core machine (C1 only, serial GC): the nodes carry a few calls.
      DIALER_JAVA_OPTS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k',
      // Longer than any call of the rolling restart (each ends within seconds), so none is cut at the bound.
      DIALER_DRAIN_TIMEOUT_S: '60',
  };
}

const api = () => ({ url: cluster!.url, adminKey: cluster!.admin_key });

/** The edge's location table: AoR → the SIP ports of the nodes holding a contact for it. */
function locations(): Record<string, string[]> {
  const r = spawnSync('kamcmd', ['-s', `unix:${path.join(STATE_DIR, 'kamailio/ctl')}`, 'ul.dump'], { encoding: 'utf8', timeout: 10_000 });
  const table: Record<string, string[]> = {};
  for (const block of (r.stdout ?? '').split('AoR: ').slice(1)) {
    const aor = block.split(/\s/)[0];
    table[aor] = [...block.matchAll(/Address: sip:edge-\d+@127\.0\.0\.1:(\d+)/g)].map((m) => m[1]);
  }
  return table;
}

/** Each node's signed-in dialers, from its /healthz (-1: not answering). */
async function dialersPerNode(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const n of cluster!.nodes) {
    out[n.name] = await fetch(`${n.url}/healthz`).then((r) => r.json()).then((b) => Number(b.dialers), () => -1);
  }
  return out;
}

/**
 * A new browser (its own device) signed in as `user`; `node` is where its WebSocket landed (the node whose
 * /healthz counts one dialer more), once that node's contact for the user is at the edge. HAProxy balances
 * by leastconn, which the page's own requests can tip: with `notOn`, a dialer that lands there is closed and
 * opened again (up to 4 times).
 */
async function openDialer(browser: Browser, user: typeof ALICE, notOn?: string): Promise<Dialer> {
  for (let attempt = 1; ; attempt++) {
    const before = await dialersPerNode();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${HOST_ORIGIN}/harness.html`);
    // A sign-in token (minted by the admin API), not the password: Argon2 on a loaded machine holds the
    // WebSocket's handler thread long enough for the dialer's heartbeat to give up (docs/security.md).
    const token = await mintToken(api(), user.username);
    await page.evaluate(([serverUrl, t]) => {
      window.harness.create({ serverUrl, getToken: async () => t });
      (window as any).calls = window.harness.record();
    }, [cluster!.url, token] as const);
    let frame: Frame | undefined;
    await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${cluster!.url}/dialer/`))), { timeout: 20_000 }).toBeTruthy();
    await expect(frame!.getByRole('heading', { name: user.display_name })).toBeVisible({ timeout: 60_000 });
    let node: string | undefined;
    await expect.poll(async () => {
      const now = await dialersPerNode();
      return (node = Object.keys(now).find((n) => now[n] > before[n]));
    }, { timeout: 20_000, message: 'the node the dialer landed on' }).toBeTruthy();
    if (notOn !== undefined && node === notOn && attempt < 4) {
      await context.close();
      await expect.poll(async () => (await dialersPerNode())[node!], { timeout: 20_000 }).toBeLessThanOrEqual(before[node!]);
      continue;
    }
    // The node registers the user's contact at the edge (inbound calls are forked to it from then on).
    const sip = cluster!.nodes.find((n) => n.name === node)!.sip.split(':')[1];
    await expect.poll(() => locations()[user.extension] ?? [], { timeout: 20_000, message: `${user.extension} at ${node}` }).toContain(sip);
    const d = { context, page, frame: frame!, node: node! };
    dialers.push(d);
    return d;
  }
}

function hostCall(page: Page, method: string, arg?: unknown) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => (a === undefined ? window.dialer[m as string]() : window.dialer[m as string](a))),
    [method, arg] as const,
  );
}

/** Each call as the host saw it: state/end_reason per event, grouped by call id. */
async function calls(page: Page): Promise<string[][]> {
  return page.evaluate(() => {
    const byId = new Map<string, string[]>();
    for (const e of (window as any).calls.list) {
      const c = e.call;
      if (!byId.has(c.id)) byId.set(c.id, []);
      byId.get(c.id)!.push(c.state + (c.end_reason ? `/${c.end_reason}` : ''));
    }
    return [...byId.values()];
  });
}

/** Closes every dialer and waits until the nodes count none (openDialer finds a new dialer by that count). */
async function closeAll() {
  for (const d of dialers.splice(0)) await d.context.close().catch(() => {});
  if (cluster) {
    await expect.poll(async () => Math.max(...Object.values(await dialersPerNode())), { timeout: 30_000, message: 'dialers gone' })
      .toBeLessThanOrEqual(0);
  }
}

test.beforeAll(async () => {
  test.setTimeout(420_000);
  checkSipp();
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(STATE_DIR, { recursive: true });
  // The trunk: SIPp's built-in UAS answers every call and echoes its RTP.
  const uas = spawnSync('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(TRUNK_PORT), '-mi', '127.0.0.1', '-mp', String(TRUNK_MEDIA_PORT),
    '-rtp_echo', '-nostdin', '-bg'], { encoding: 'utf8', timeout: 10_000 });
  const pid = /PID=\[(\d+)\]/.exec(uas.stdout ?? '')?.[1];
  if (!pid) throw new Error(`SIPp trunk did not start: ${uas.stdout}${uas.stderr}`);
  trunk = { pid: Number(pid) };
  const up = await clusterCommand(['up', '--nodes', '2', '--port-base', String(BASE), '--out', path.join(WORK_DIR, 'cluster.json')], 400_000);
  if (up.status !== 0) throw new Error(`cluster up failed (${up.status}):\n${up.out}`);
  cluster = JSON.parse(readFileSync(path.join(WORK_DIR, 'cluster.json'), 'utf8'));
  for (const u of [ALICE, BOB, CAROL, DAVE, ERIN, FRANK, GINA, HANK]) await createUser(api(), { ...u, password: PASSWORD });
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  await closeAll().catch(() => {}); // the cluster goes down whatever its dialers do
  const down = await clusterCommand(['down'], 100_000);
  if (trunk) await signalAndWait(trunk.pid, 'SIGTERM', 5_000);
  cluster = trunk = null;
  if (down.status !== 0) throw new Error(`cluster down failed:\n${down.out}`);
});

test('inbound forking: a trunk call to Alice rings her dialers on both nodes; one answers, the other sees answered_elsewhere', async ({ browser }) => {
  const a1 = await openDialer(browser, ALICE);
  const a2 = await openDialer(browser, ALICE, a1.node);
  expect(new Set([a1.node, a2.node]).size).toBe(2); // one dialer on each node
  const caller = await startSipp({
    scenario: 'uac-via-proxy', port: CALLER_PORT, mediaPort: CALLER_MEDIA_PORT, remote: cluster!.sip,
    service: ALICE.number.slice(1), logDir: WORK_DIR, name: 'fork-caller',
  });
  await expect.poll(() => calls(a1.page), { timeout: 20_000 }).toEqual([['connecting']]);
  await expect.poll(() => calls(a2.page), { timeout: 20_000 }).toEqual([['connecting']]);
  expect(await hostCall(a1.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(() => calls(a2.page), { timeout: 20_000 }).toEqual([['connecting', 'disconnected/answered_elsewhere']]);
  expect(await caller.finished(30_000)).toBe(0); // answered, then its BYE went through the edge to a1's node
  await expect.poll(() => calls(a1.page), { timeout: 20_000 }).toEqual([['connecting', 'answered', 'disconnected/remote_hangup']]);
  await closeAll();
});

test('an extension call across nodes goes through the edge: Bob rings on his node, answers, Carol hangs up', async ({ browser }) => {
  const bob = await openDialer(browser, BOB);
  const alice = await openDialer(browser, CAROL, bob.node);
  expect(alice.node).not.toBe(bob.node);
  const placed = await hostCall(alice.page, 'placeCall', { to: BOB.extension });
  expect(placed.ok).toBe(true);
  await expect.poll(() => calls(bob.page), { timeout: 20_000 }).toEqual([['connecting']]);
  expect(await hostCall(bob.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(() => calls(alice.page), { timeout: 20_000 }).toEqual([['connecting', 'answered']]);
  expect(await hostCall(alice.page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => calls(bob.page), { timeout: 20_000 }).toEqual([['connecting', 'answered', 'disconnected/remote_hangup']]);
  await closeAll();
});

test('cluster up: a second up says one runs; status shows every part healthy', async () => {
  const again = await clusterCommand(['up', '--port-base', String(BASE)], 30_000);
  expect(again.status).not.toBe(0);
  expect(again.out).toContain('a cluster is already running');
  const status = await clusterCommand(['status'], 30_000);
  expect(status.status).toBe(0);
  const s = JSON.parse(status.out.slice(status.out.indexOf('{')));
  expect(s.nodes.map((n: any) => n.health.status)).toEqual(['ok', 'ok']);
  expect([s.postgres.health, s.kamailio.health, s.haproxy.health], status.out).toEqual(['up', 'up', 'up']);
});

/**
 * A third node started with node1's launcher (scripts/cluster.sh writes it) on its own ports, its SIP edge or its
 * database replaced by `change`; resolves with its PID and log once spawned.
 */
function startThirdNode(name: string, change: (script: string) => string) {
  const n = 3;
  const script = change(readFileSync(path.join(STATE_DIR, 'node1.sh'), 'utf8')
    .replace(/DIALER_NODE_NAME=node1\b/g, `DIALER_NODE_NAME=node${n}`)
    .replace(/DIALER_HTTP_PORT=\d+/g, `DIALER_HTTP_PORT=${BASE + 10 * n}`)
    .replace(/DIALER_SIP_PORT=\d+/g, `DIALER_SIP_PORT=${BASE + 10 * n + 1}`)
    .replace(/DIALER_WEBRTC_PORT=\d+/g, `DIALER_WEBRTC_PORT=${BASE + 10 * n + 2}`)
    .replace(/DIALER_WEBRTC_TCP_PORT=\d+/g, `DIALER_WEBRTC_TCP_PORT=${BASE + 10 * n + 2}`)
    .replace(/DIALER_RTP_PORTS=[\d-]+/g, `DIALER_RTP_PORTS=${BASE + 140}-${BASE + 159}`)
    .replace(/DIALER_DATA_DIR=\S+/g, `DIALER_DATA_DIR=${path.join(WORK_DIR, name)}`));
  const file = path.join(WORK_DIR, `${name}.sh`);
  writeFileSync(file, script, { mode: 0o700 });
  const logFile = path.join(WORK_DIR, `${name}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn('bash', [file], { stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { pid: child.pid!, url: `http://127.0.0.1:${BASE + 10 * n}`, exited, log: () => readFileSync(logFile, 'utf8') };
}

test('a node that cannot reach Kamailio stays unhealthy and says why; one that cannot reach PostgreSQL does not start and says why', async () => {
  const deadEdge = BASE + 39; // nothing listens here (UDP)
  const deadDb = BASE + 38;
  const noEdge = startThirdNode('node3-no-edge', (s) => s.replace(/DIALER_SIP_TRUNK=sip:127\.0\.0\.1:\d+/g, `DIALER_SIP_TRUNK=sip:127.0.0.1:${deadEdge}`));
  try {
    let health: { status: number; body: any } | null = null;
    await expect.poll(async () => {
      health = await fetch(`${noEdge.url}/healthz`).then(async (r) => ({ status: r.status, body: await r.json() }), () => null);
      return health?.status ?? 0;
    }, { timeout: 120_000, message: `node3 answers /healthz\n${noEdge.log()}` }).toBe(503);
    expect(health!.body).toMatchObject({ status: 'unavailable', node: 'node3' });
    expect(health!.body.reason).toContain(`not registered with the SIP edge (Kamailio) at 127.0.0.1:${deadEdge}`);
  } finally {
    await signalAndWait(noEdge.pid, 'SIGKILL', 10_000);
  }
  const noDb = startThirdNode('node3-no-db', (s) => s.replace(/jdbc:postgresql:\/\/127\.0\.0\.1:\d+/g, `jdbc:postgresql://127.0.0.1:${deadDb}`));
  const code = await Promise.race([noDb.exited, new Promise((r) => setTimeout(() => r('running'), 120_000))]);
  if (code === 'running') await signalAndWait(noDb.pid, 'SIGKILL', 10_000);
  expect(code, noDb.log()).not.toBe(0);
  expect(code).not.toBe('running');
  expect(noDb.log()).toContain(`Cannot open the database jdbc:postgresql://127.0.0.1:${deadDb}/opendialer`);
});

/** One inbound call from the trunk (SIPp through the edge) to `u`: its dialer rings, answers, SIPp hangs up. */
async function inboundCall(d: Dialer, u: typeof ALICE, name: string) {
  const before = (await calls(d.page)).length;
  const caller = await startSipp({
    scenario: 'uac-via-proxy', port: CALLER_PORT, mediaPort: CALLER_MEDIA_PORT, remote: cluster!.sip,
    service: u.number.slice(1), logDir: WORK_DIR, name,
  });
  try {
    await expect.poll(async () => (await calls(d.page))[before], { timeout: 30_000, message: `${name} rings` }).toEqual(['connecting']);
    expect(await hostCall(d.page, 'answer')).toEqual({ ok: true, result: null });
    expect(await caller.finished(30_000), caller.log()).toBe(0); // answered; its BYE 2 s later reached the node
    await expect.poll(async () => (await calls(d.page))[before], { timeout: 20_000 })
      .toEqual(['connecting', 'answered', 'disconnected/remote_hangup']);
  } finally {
    await caller.stop();
  }
}

test('a rolling restart (each node SIGTERMed, drained and started again in turn) fails no new call, outbound or inbound', async ({ browser }) => {
  test.setTimeout(420_000);
  const erin = await openDialer(browser, ERIN); // places calls to the trunk, one after another
  const frank = await openDialer(browser, FRANK); // takes calls from the trunk
  let placed = 0;
  let received = 0;
  for (const node of cluster!.nodes) {
    let done = false;
    const restart = clusterCommand(['restart', node.name], 300_000).then((r) => ((done = true), r));
    do {
      // No wait for "Connected": a call placed while the dialer moves is what this test is about.
      const before = (await calls(erin.page)).length;
      const r = await hostCall(erin.page, 'placeCall', { to: `+120255501${10 + (placed % 80)}` });
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
      await expect.poll(async () => (await calls(erin.page))[before], { timeout: 20_000 }).toEqual(['connecting', 'answered']);
      expect(await hostCall(erin.page, 'hangUp')).toEqual({ ok: true, result: null });
      await expect.poll(async () => (await calls(erin.page))[before], { timeout: 20_000 }).toEqual(['connecting', 'answered', 'disconnected/local_hangup']);
      placed++;
      await inboundCall(frank, FRANK, `rolling-in-${received}`);
      received++;
    } while (!done);
    const r = await restart;
    expect(r.status, r.out).toBe(0);
  }
  // Every call placed and every call received connected; the dialers are connected to the restarted nodes.
  expect(placed).toBeGreaterThanOrEqual(4);
  expect(received).toBe(placed);
  for (const d of [erin, frank]) await expect(d.frame.getByRole('status')).toHaveText('Connected', { timeout: 20_000 });
  const log = await admin(api(), 'GET', '/api/v1/calls');
  expect(JSON.stringify(log.body)).not.toContain('gateway_shutdown');
  await closeAll();
});

test('a reload that lands on the other node is sent back to the node of its live call (4009, ?node=) and the call goes on with audio', async ({ browser }) => {
  const g = await openDialer(browser, GINA);
  expect(await hostCall(g.page, 'placeCall', { to: '+12025550177' })).toMatchObject({ ok: true });
  await expect.poll(() => calls(g.page), { timeout: 20_000 }).toEqual([['connecting', 'answered']]);
  await expect.poll(async () => (await hear(g.frame, TONE_HZ, 1000)).ratio, { timeout: 15_000, message: 'the echoed tone before the reload' })
    .toBeGreaterThan(0.6);
  const owner = g.node;
  const other = cluster!.nodes.find((n) => n.name !== owner)!;
  // The reloaded dialer's WebSockets without a ?node= hint are steered through HAProxy to the other node (its
  // ?node= rule), as leastconn may do by itself; one with the hint goes where the dialer asks.
  const seen: Array<{ url: string; landed?: string; close?: [number, string] }> = [];
  await g.page.routeWebSocket(/\/ws(\?.*)?$/, (route) => {
    const entry: (typeof seen)[number] = { url: route.url() };
    seen.push(entry);
    if (new URL(route.url()).searchParams.has('node')) {
      route.connectToServer();
      return;
    }
    entry.landed = other.name;
    const upstream = new WebSocket(`${cluster!.url.replace(/^http/, 'ws')}/ws?node=${other.name}`, { origin: cluster!.url });
    const early: string[] = [];
    upstream.on('open', () => early.splice(0).forEach((m) => upstream.send(m)));
    route.onMessage((m) => (upstream.readyState === WebSocket.OPEN ? upstream.send(m) : early.push(String(m))));
    upstream.on('message', (data) => route.send(String(data)));
    // The page may drop this socket while the upstream one is still connecting (a reload, or a dialer that gave
    // up on a slow first connection): ws then reports the aborted handshake as an 'error' event, which must
    // not go unhandled (it failed a fresh-clone run).
    upstream.on('error', () => {});
    upstream.on('close', (code, reason) => {
      entry.close = [code, String(reason)];
      route.close({ code, reason: String(reason) }).catch(() => {});
    });
    route.onClose(() => (upstream.readyState === WebSocket.CONNECTING ? upstream.terminate() : upstream.close()));
  });
  await g.frame.evaluate(() => location.reload());
  let frame: Frame | undefined;
  await expect.poll(() => (frame = g.page.frames().find((f) => f.url().startsWith(`${cluster!.url}/dialer/`))), { timeout: 20_000 }).toBeTruthy();
  // (On a loaded machine the dialer may give up on a slow first connection and open another: also steered.)
  await expect.poll(() => seen.findIndex((s) => new URL(s.url).searchParams.get('node') === owner), {
    timeout: 60_000, message: 'the dialer reconnected with ?node=<owner> after the redirect',
  }).toBeGreaterThan(0);
  const hinted = seen.findIndex((s) => new URL(s.url).searchParams.get('node') === owner);
  expect(seen[hinted - 1].landed).toBe(other.name);
  expect(seen[hinted - 1].close, 'the other node sent the dialer to the owner').toEqual([4009, owner]);
  await expect(frame!.locator('.call-panel .call-status')).toHaveText(/^In call/, { timeout: 30_000 });
  await expect.poll(async () => (await hear(frame!, TONE_HZ, 1000)).ratio, { timeout: 20_000, message: 'the echoed tone after the reload' })
    .toBeGreaterThan(0.6);
  expect(await calls(g.page)).toEqual([['connecting', 'answered']]); // the call never ended
  expect(await hostCall(g.page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => calls(g.page), { timeout: 20_000 }).toEqual([['connecting', 'answered', 'disconnected/local_hangup']]);
  await g.page.unrouteAll({ behavior: 'ignoreErrors' });
  await closeAll();
});

// Last: it leaves the killed node down (afterAll stops the rest).
test('SIGKILL of a node during calls: only its calls end (gateway_restart), its dialer reconnects to the live node within 10 s, new calls work both ways', async ({ browser }) => {
  const a = await openDialer(browser, DAVE);
  const h = await openDialer(browser, HANK, a.node);
  expect(h.node).not.toBe(a.node);
  for (const [d, to] of [[a, '+12025550199'], [h, '+12025550197']] as const) {
    expect(await hostCall(d.page, 'placeCall', { to })).toMatchObject({ ok: true });
    await expect.poll(() => calls(d.page), { timeout: 20_000 }).toEqual([['connecting', 'answered']]);
  }
  // The node's current PID: `cluster restart` (the rolling restart test) records the new one in the state dir.
  const current: ClusterInfo = JSON.parse(readFileSync(path.join(STATE_DIR, 'cluster.json'), 'utf8'));
  const victim = current.nodes.find((n) => n.name === a.node)!;
  const killedAt = Date.now();
  process.kill(victim.pid, 'SIGKILL');
  // The dialer sees the socket drop, then reconnects through HAProxy to the node that is left.
  await expect(a.frame.getByRole('status')).not.toHaveText('Connected', { timeout: 10_000 });
  await expect(a.frame.getByRole('status')).toHaveText('Connected', { timeout: Math.max(1, 10_000 - (Date.now() - killedAt)) });
  // The survivor finds the dead node's heartbeat stale and ends its calls in the log.
  await expect.poll(() => calls(a.page), { timeout: 40_000 }).toEqual([['connecting', 'answered', 'disconnected/gateway_restart']]);
  // The survivor's call went on; both are in the log, each with its own end.
  expect(await calls(h.page)).toEqual([['connecting', 'answered']]);
  expect(await hostCall(h.page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => calls(h.page), { timeout: 20_000 }).toEqual([['connecting', 'answered', 'disconnected/local_hangup']]);
  const log = await admin(api(), 'GET', '/api/v1/calls?limit=1000');
  expect(log.status).toBe(200);
  const ends = (who: typeof ALICE) => log.body.calls.filter((c: any) => c.username === who.username).map((c: any) => c.end_reason);
  expect(ends(DAVE)).toEqual(['gateway_restart']);
  expect(ends(HANK)).toEqual(['local_hangup']);
  const again = await hostCall(a.page, 'placeCall', { to: '+12025550198' });
  expect(again.ok).toBe(true);
  await expect.poll(() => calls(a.page), { timeout: 20_000 }).toEqual([
    ['connecting', 'answered', 'disconnected/gateway_restart'],
    ['connecting', 'answered'],
  ]);
  expect(await hostCall(a.page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await calls(a.page))[1], { timeout: 20_000 }).toEqual(['connecting', 'answered', 'disconnected/local_hangup']);
  // Inbound too: the edge may still fork to the dead node's contacts (until they expire), whose branch times
  // out while the live node rings.
  await inboundCall(a, DAVE, 'after-kill');
  await closeAll();
});
