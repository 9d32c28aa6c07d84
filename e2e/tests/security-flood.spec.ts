// A sign-in flood against a real gateway (the jar, real Argon2id): 100 anonymous WebSockets from five
// other loopback addresses (127.0.0.2-6) send password sign-ins (400/s together) for 8 s or more, reconnecting
// whenever the gateway closes them. Meanwhile /healthz and honest sign-ins from 127.0.0.1 (password
// and token) must succeed, and the attackers must get rate_limited, not hashes. docs/security.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { FLOOD_GATEWAY_URL, FLOOD_HTTP_PORT, HOST_ORIGIN } from '../support/constants.mjs';
import { createUser, mintToken, startGateway, stopPid } from '../support/gateway.mjs';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/security-flood');
const ADDRESSES = Array.from({ length: 5 }, (_, i) => `127.0.0.${i + 2}`);
const SOCKETS_PER_ADDRESS = 20;
const FLOOD_MS = 8_000;
const MAX_FLOOD_MS = 40_000;
const PER_ADDRESS_PER_MINUTE = 3;
const ANONYMOUS_CAP = 16;
const PASSWORD = 'the-victims-own-password-42';

type Gateway = Awaited<ReturnType<typeof startGateway>>;
let gateway: Gateway | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  gateway = await startGateway({
    httpPort: FLOOD_HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'flood-gateway',
    env: {
      DIALER_SIGNIN_RATE_PER_ADDRESS: String(PER_ADDRESS_PER_MINUTE),
      DIALER_SIGNIN_RATE_GLOBAL: '300',
      DIALER_ANONYMOUS_SOCKETS_PER_ADDRESS: String(ANONYMOUS_CAP),
      DIALER_SIGNIN_WINDOW_S: '4',
      DIALER_SANDBOX: 'off', // no calls here: no second sandbox beside the shared gateway's
    },
  });
  await createUser(gateway, { username: 'victim', password: PASSWORD, extension: '4001' });
});

test.afterAll(async () => {
  if (gateway) await stopPid(gateway.pid);
});

/** Opens a dialer-like WebSocket from `localAddress`; resolves with it once open, or null if refused. */
function open(localAddress: string): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${FLOOD_GATEWAY_URL.replace('http', 'ws')}/ws`, { localAddress, headers: { Origin: FLOOD_GATEWAY_URL } });
    ws.once('open', () => resolve(ws));
    ws.once('error', () => resolve(null));
  });
}

/** Sends one request and waits (at most `ms`) for its response; fails at once, with the code, if the socket closes first. */
function request(ws: WebSocket, id: string, method: string, params: object, ms = 30_000): Promise<any> {
  return new Promise((resolve, reject) => {
    const onClose = (code: number) => {
      clearTimeout(timer);
      reject(new Error(`${method}: the gateway closed the socket (${code}) before answering`));
    };
    const timer = setTimeout(() => {
      ws.off('close', onClose);
      reject(new Error(`${method} not answered within ${ms} ms`));
    }, ms);
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'response' && frame.id === id) {
        clearTimeout(timer);
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(JSON.stringify({ v: 1, type: 'request', id, method, params }));
  });
}

function rssKiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

// The honest password sign-in once went unanswered for 60 s here: its socket stayed anonymous past the
// 4 s sign-in window while its check waited behind the attackers' on a loaded machine, and was closed.
// The gateway now answers signIn from the Argon2 pool (no WebSocket thread waits) and keeps a socket
// whose request awaits its answer; `request` fails at once if the gateway closes the socket anyway.
test('a flood of password sign-ins from five addresses: attackers get rate_limited, /healthz and honest sign-ins from 127.0.0.1 succeed, memory stays bounded', async () => {
  test.setTimeout(120_000);
  const gw = gateway!;
  const rssBefore = rssKiB(gw.pid);
  const counts: Record<string, number> = {};
  const closes: Record<string, number> = {};
  const count = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);
  const start = Date.now();
  // At least FLOOD_MS, and on until both closes the test checks were seen (on a loaded machine sockets
  // open slowly: the cap or the window may not be crossed in FLOOD_MS), at most MAX_FLOOD_MS.
  const flooding = () =>
    Date.now() < start + FLOOD_MS || (!(closes['1008'] && closes['4001']) && Date.now() < start + MAX_FLOOD_MS);
  let seq = 0;

  /** One attacker: connects, sends sign-ins every 250 ms with a wrong password, reconnects when closed. */
  const attacker = async (address: string) => {
    while (flooding()) {
      const ws = await open(address);
      if (!ws) {
        count(closes, 'refused');
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      await new Promise<void>((resolve) => {
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data));
          if (frame.type === 'response') count(counts, frame.ok ? 'ok' : frame.error.code);
        });
        const timer = setInterval(() => {
          if (!flooding()) ws.close();
          else if (ws.readyState === WebSocket.OPEN) {
            ws.send(JSON.stringify({ v: 1, type: 'request', id: `f${++seq}`, method: 'signIn', params: { username: 'victim', password: `guess-${seq}` } }));
          }
        }, 250);
        ws.once('close', (code) => {
          clearInterval(timer);
          count(closes, String(code));
          resolve();
        });
      });
    }
  };
  const flood = Promise.all(ADDRESSES.flatMap((a) => Array.from({ length: SOCKETS_PER_ADDRESS }, () => attacker(a))))
    .then(() => Date.now() - start);

  // Honest traffic from 127.0.0.1 while the flood runs.
  await new Promise((r) => setTimeout(r, 2_000));
  const health: number[] = [];
  for (let i = 0; i < 5; i++) {
    // Generous: the machine running the suite is shared and loaded; before the fix /healthz never answered.
    const res = await fetch(`${gw.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
    health.push(res.status);
  }
  const honest = await open('127.0.0.1');
  expect(honest).not.toBeNull();
  // Generous bound: it waits behind at most one hash per attacking address, but this shared machine
  // can be 50 times slower than an idle one (Argon2id took 3-5 s per hash under a load of 36).
  const byPassword = await request(honest!, 'p1', 'signIn', { username: 'victim', password: PASSWORD }, 60_000);
  const token = await mintToken(gw, 'victim');
  const second = await open('127.0.0.1');
  const byToken = await request(second!, 't1', 'signInWithToken', { token });
  honest!.close();
  second!.close();
  const floodMs = await flood;
  const rssAfter = rssKiB(gw.pid);

  expect(health).toEqual([200, 200, 200, 200, 200]);
  // The wrong passwords from other addresses neither locked the victim out of 127.0.0.1 nor starved it.
  expect(byPassword).toMatchObject({ ok: true, result: { user: { username: 'victim' } } });
  expect(byToken).toMatchObject({ ok: true, result: { user: { username: 'victim' } } });
  // Hashes: at most the per-address budget (plus what refills during the flood) per attacking address.
  const hashedBound = ADDRESSES.length * (PER_ADDRESS_PER_MINUTE + Math.ceil((PER_ADDRESS_PER_MINUTE * floodMs) / 60_000) + 1);
  expect(counts.invalid_credentials ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(hashedBound);
  expect(counts.rate_limited ?? 0, JSON.stringify(counts)).toBeGreaterThan(5 * hashedBound);
  expect(counts.ok ?? 0).toBe(0);
  // Over the anonymous cap per address: closed at once with 1008; anonymous sockets do not outlive the window.
  expect(closes['1008'] ?? 0, JSON.stringify(closes)).toBeGreaterThan(0);
  expect(closes['4001'] ?? 0, JSON.stringify(closes)).toBeGreaterThan(0);
  // Generous: the issue saw 532 MB grow to 5,973 MB; a bounded gateway stays within a few hundred MB.
  expect(rssAfter - rssBefore, `RSS ${rssBefore} -> ${rssAfter} KiB`).toBeLessThan(1024 * 1024);
});
