// Starts and stops the real gateway jar and the fixture web server for e2e tests and the
// benchmark. Every process is started with a known PID and stopped by that PID.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { webRtcPortOf } from './constants.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');
// OPENDIALER_GATEWAY_JAR overrides the jar (e.g. one built from another checkout).
export const JAR = process.env.OPENDIALER_GATEWAY_JAR || path.join(REPO_ROOT, 'server/app/target/opendialer-gateway.jar');

// OPENDIALER_WEB_DIR overrides DIALER_WEB_DIR (default: the repo's web/).
export const WEB_DIR = process.env.OPENDIALER_WEB_DIR || path.join(REPO_ROOT, 'web');

const BUILD_OUTPUTS = [
  JAR,
  path.join(WEB_DIR, 'sdk/dist/dialer-sdk.umd.js'),
  path.join(WEB_DIR, 'sdk/dist/dialer-sdk.mjs'),
  path.join(WEB_DIR, 'dialer/dist/index.html'),
  path.join(WEB_DIR, 'dialer/dist/dialer.js'),
  path.join(WEB_DIR, 'dialer/dist/dialer.css'),
];

/** Throws with a clear message when the jar or a web bundle has not been built. */
export function checkBuildOutputs() {
  const missing = BUILD_OUTPUTS.map((p) => path.resolve(REPO_ROOT, p)).filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `Build outputs are missing:\n  ${missing.map((p) => path.relative(REPO_ROOT, p)).join('\n  ')}\n` +
        'Build them first: run `./dialer test` (it builds everything), or `mvn -q -B -DskipTests package` ' +
        'and `cd web && npm run build`.',
    );
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Fails fast when a port is taken (e.g. by a gateway left over from an earlier run). */
export function assertPortsFree(ports) {
  return Promise.all(
    ports.map(
      (port) =>
        new Promise((resolve, reject) => {
          const probe = createServer();
          probe.once('error', () =>
            reject(new Error(`port ${port} on 127.0.0.1 is already in use: stop whatever listens there (ss -ltnp | grep ${port}).`)),
          );
          probe.listen(port, '127.0.0.1', () => probe.close(resolve));
        }),
    ),
  );
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function waitForHttp(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`${url}: process exited (${JSON.stringify(exited)}) before answering.\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms.\n${tail(logFile)}`);
}

/**
 * Starts `java -jar opendialer-gateway.jar` from the repo root with a fresh data directory and a
 * random admin key, and waits for /healthz. `demoPort: 0` turns the demo site off; `env` adds
 * configuration (e.g. DIALER_SIP_TRUNK); `name` names the log file (`<name>.log` in `workDir`).
 * `dataDir` and `adminKey` restart a gateway on the data of an earlier one (the fault tests); `jar` runs
 * another build (a benchmark's baseline).
 */
export async function startGateway({ httpPort, demoPort, allowedOrigins, workDir, env = {}, name = 'gateway', dataDir: reuseDataDir, adminKey: reuseAdminKey, jar = JAR }) {
  mkdirSync(workDir, { recursive: true });
  await assertPortsFree([httpPort, demoPort].filter(Boolean));
  const dataDir = reuseDataDir || mkdtempSync(path.join(tmpdir(), 'opendialer-e2e-data-'));
  const adminKey = reuseAdminKey || randomBytes(24).toString('hex');
  const url = `http://127.0.0.1:${httpPort}`;
  const logFile = path.join(workDir, `${name}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn('java', ['-jar', jar], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DIALER_HTTP_PORT: String(httpPort),
      DIALER_DEMO_PORT: String(demoPort),
      DIALER_PUBLIC_URL: url,
      DIALER_ALLOWED_ORIGINS: allowedOrigins.join(','),
      DIALER_DATA_DIR: dataDir,
      DIALER_ADMIN_KEY: adminKey,
      DIALER_BIND_ADDRESS: '127.0.0.1',
      DIALER_WEB_DIR: WEB_DIR,
      DIALER_WEBRTC_PORT: String(webRtcPortOf(httpPort)),
      // Without a trunk the sandbox carrier is the trunk and the gateway opens its SIP port: never 5060 here.
      DIALER_SIP_PORT: String(webRtcPortOf(httpPort) + 1),
      // Metrics off unless a test asks (DIALER_METRICS_PORT in env): gateways of parallel runs share this host.
      DIALER_METRICS_PORT: '0',
      // Every test signs in from 127.0.0.1, many times a minute: the sign-in rate limits are crossed
      // only by the tests that set them (security-flood).
      DIALER_SIGNIN_RATE_PER_ADDRESS: '100000',
      DIALER_SIGNIN_RATE_GLOBAL: '100000',
      DIALER_ADMIN_FAILURES_PER_ADDRESS: '100000',
      // SIGTERM ends calls at once (as before draining existed): the fault and webhook tests stop gateways
      // with calls up and expect gateway_shutdown; tests of draining set their own bound.
      DIALER_DRAIN_TIMEOUT_S: '0',
      ...env,
    },
    stdio: ['ignore', log, log],
    detached: true,
  });
  child.unref();
  try {
    await waitForHttp(`${url}/healthz`, child, logFile, 90_000);
  } catch (e) {
    await stopPid(child.pid);
    throw e;
  }
  return { pid: child.pid, url, adminKey, dataDir, logFile };
}

/**
 * Starts e2e/support/fixture-server.mjs serving e2e/fixtures on each of `ports` (localhost).
 * The admin key stays in that server process; pages only see `/api/token/<user>`.
 */
export async function startFixtureServer({ ports, gatewayUrl, adminKey, workDir }) {
  await assertPortsFree(ports);
  const logFile = path.join(workDir, 'fixture-server.log');
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [path.join(here, 'fixture-server.mjs')], {
    env: { ...process.env, FIXTURE_PORTS: ports.join(','), GATEWAY_URL: gatewayUrl, GATEWAY_ADMIN_KEY: adminKey },
    stdio: ['ignore', log, log],
    detached: true,
  });
  child.unref();
  try {
    for (const port of ports) await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, logFile, 15_000);
  } catch (e) {
    await stopPid(child.pid);
    throw e;
  }
  return { pid: child.pid, logFile };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to `pid` only, and waits up to `timeoutMs` for it to exit; true if it did. */
export async function signalAndWait(pid, signal, timeoutMs = 15_000) {
  if (!pid || !alive(pid)) return true;
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  return !alive(pid);
}

/** SIGTERM, then SIGKILL after 10 s. */
export async function stopPid(pid) {
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/** Calls the gateway's admin REST API. Returns `{ status, body }`. */
export async function admin(gateway, method, apiPath, body) {
  const res = await fetch(`${gateway.url}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${gateway.adminKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

export async function createUser(gateway, user) {
  const res = await admin(gateway, 'POST', '/api/v1/users', user);
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`creating user ${user.username} failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export async function mintToken(gateway, username) {
  const res = await admin(gateway, 'POST', `/api/v1/users/${encodeURIComponent(username)}/tokens`);
  if (res.status < 200 || res.status >= 300 || typeof res.body?.token !== 'string') {
    throw new Error(`minting a token for ${username} failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.token;
}

export async function deleteUser(gateway, username) {
  return admin(gateway, 'DELETE', `/api/v1/users/${encodeURIComponent(username)}`);
}
