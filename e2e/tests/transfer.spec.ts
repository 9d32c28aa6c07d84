// Transfer and call waiting end to end (protocol.md part 7): host page → SDK → dialer → gateway, with
// SIPp as the caller on the trunk side echoing RTP (-rtp_echo), and a second Chromium whose fake
// microphone plays another tone as the transfer target. Its own gateway and ports (E2E_PORT_BASE + 560
// to + 599, WebRTC + 860), clear of the other specs' ranges in support/constants.mjs.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, test, type Browser, type Frame, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, HOST_ORIGIN } from '../support/constants.mjs';
import { createUser, startGateway, stopPid } from '../support/gateway.mjs';
import { checkSipp, startSipp } from '../support/sipp.mjs';
import { writeToneWav } from '../support/tone.mjs';
import { expectSignedIn, hear, signIn } from './helpers';

const BASE = Number(process.env.E2E_PORT_BASE || 18080);
const HTTP_PORT = BASE + 560;
const SIP_PORT = BASE + 561;
const CALLER_PORT = BASE + 562;
const CALLER_MEDIA_PORT = BASE + 564; // SIPp binds +564 to +567
const RTP_PORTS = `${BASE + 570}-${BASE + 599}`;
const GATEWAY_URL = `http://127.0.0.1:${HTTP_PORT}`;

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/transfer');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const AGENT_TONE_HZ = 1000;
const TARGET_TONE_HZ = 600;
const BROWSER_CALLER_TONE_HZ = 800;
const TONE_AGENT = writeToneWav(path.join(WORK_DIR, `tone-${AGENT_TONE_HZ}.wav`), AGENT_TONE_HZ);
const TONE_TARGET = writeToneWav(path.join(WORK_DIR, `tone-${TARGET_TONE_HZ}.wav`), TARGET_TONE_HZ);
const TONE_BROWSER_CALLER = writeToneWav(path.join(WORK_DIR, `tone-${BROWSER_CALLER_TONE_HZ}.wav`), BROWSER_CALLER_TONE_HZ);
const browserArgs = (toneFile: string) => [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${toneFile}`, '--autoplay-policy=no-user-gesture-required'];

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: browserArgs(TONE_AGENT) } });
test.describe.configure({ timeout: 120_000 }); // two Chromiums on a loaded 2-core machine

const USERS = {
  agent: { extension: '701', number: '+12025550701' },
  target: { extension: '702', number: '+12025550702' },
  agent2: { extension: '703', number: '+12025550703' },
  target2: { extension: '704', number: '+12025550704' },
  waiting: { extension: '705', number: '+12025550705' },
  second: { extension: '706', number: '+12025550706' },
  agent3: { extension: '707', number: '+12025550707' },
  offline: { extension: '708', number: '+12025550708' }, // never signs in: an unreachable transfer target
  xcaller: { extension: '709', number: '+12025550709' }, // a browser caller (extension call) being transferred
  xagent: { extension: '710', number: '+12025550710' },
  xtarget: { extension: '711', number: '+12025550711' },
} as const;
type UserName = keyof typeof USERS;
const displayName = (u: string) => `Desk ${u[0]!.toUpperCase()}${u.slice(1)}`;

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
let cleanups: Array<() => Promise<unknown>> = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  checkSipp();
  mkdirSync(WORK_DIR, { recursive: true });
  gateway = await startGateway({
    httpPort: HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'transfer-gateway',
    env: {
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${BASE + 569}`, // no trunk calls here: callers come in from SIPp
      DIALER_SIP_PORT: String(SIP_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_RTP_PORTS: RTP_PORTS,
    },
  });
  for (const [username, u] of Object.entries(USERS)) {
    await createUser(gateway, { username, password: PASSWORD, display_name: displayName(username), ...u });
  }
});

test.afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

test.afterAll(async () => {
  if (gateway) await stopPid(gateway.pid);
});

async function agent(browser: Browser, user: UserName) {
  const context = await browser.newContext({ permissions: ['microphone'] });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
  }, GATEWAY_URL);
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${GATEWAY_URL}/dialer/`)))).toBeTruthy();
  await signIn(frame as Frame, user, PASSWORD);
  await expectSignedIn(frame as Frame, displayName(user));
  return { page, frame: frame as Frame };
}

/** A second Chromium whose microphone plays the target's tone (or `tone`). */
async function targetBrowser(tone = TONE_TARGET): Promise<Browser> {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: browserArgs(tone) });
  cleanups.push(() => b.close());
  return b;
}

function hostCall(page: Page, method: string, ...args: unknown[]) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => window.dialer[m as string](...(a as unknown[]))),
    [method, args] as const,
  );
}

/** "state/end_reason" of every call event the host page saw, per call id in order of appearance. */
const events = (page: Page) =>
  page.evaluate(() => {
    const byCall = new Map<string, string[]>();
    for (const e of (window as any).calls.list) {
      const list = byCall.get(e.call.id) ?? [];
      list.push(e.call.end_reason ? `${e.call.state}/${e.call.end_reason}` : e.call.state);
      byCall.set(e.call.id, list);
    }
    return [...byCall.values()];
  });
const lastCall = (page: Page) => page.evaluate(() => (window as any).calls.list.at(-1)?.call ?? null);

/** SIPp calls `user`'s number and echoes the RTP it gets; accepts re-INVITEs; waits for the gateway's BYE. */
async function callerFor(user: UserName, port = CALLER_PORT, mediaPort = CALLER_MEDIA_PORT) {
  const s = await startSipp({
    scenario: 'uac-media-peer-wait-bye',
    port,
    mediaPort,
    remote: `127.0.0.1:${SIP_PORT}`,
    service: USERS[user].number,
    logDir: WORK_DIR,
    name: `caller-${user}`,
    extraArgs: ['-rtp_echo', '-key', 'peer_port', String(mediaPort)],
  });
  cleanups.push(() => s.stop());
  return s;
}

const heard = (frame: Frame, hz: number) => async () => (await hear(frame, hz, 1000)).ratio;

test('blind transfer of a trunk caller to another user’s extension: transfer() resolves once the target rings and the agent’s call ends transferred at once; the target answers and hears the caller’s side (an echo of their own tone)', async ({ browser }) => {
  const agentSide = await agent(browser, 'agent');
  const target = await agent(await targetBrowser(), 'target');
  const caller = await callerFor('agent');
  await expect.poll(async () => (await lastCall(agentSide.page))?.state).toBe('connecting');
  expect(await hostCall(agentSide.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(heard(agentSide.frame, AGENT_TONE_HZ), { timeout: 15_000, message: 'the agent hears the caller (echo)' }).toBeGreaterThan(0.6);

  // decisions/0022: the promise settles when the target rings, before anyone answers; the agent is free.
  expect(await hostCall(agentSide.page, 'transfer', { to: USERS.target.extension })).toEqual({ ok: true, result: null });
  expect(await events(agentSide.page)).toEqual([['connecting', 'answered', 'disconnected/transferred']]);
  await expect.poll(async () => (await lastCall(target.page))?.state, { timeout: 10_000 }).toBe('connecting');
  const offered = await lastCall(target.page);
  expect(offered.from).toBe('+12025550160');
  expect(offered.caller.caller_display_name).toBe('Grace Hopper');
  expect(await hostCall(target.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(heard(target.frame, TARGET_TONE_HZ), { timeout: 15_000, message: 'the target hears the caller (echo of the target’s tone)' }).toBeGreaterThan(0.6);

  expect(await hostCall(target.page, 'hangUp')).toEqual({ ok: true, result: null });
  expect(await caller.finished(), caller.log()).toBe(0); // the BYE came from the target's call
  expect(await events(target.page)).toEqual([['connecting', 'answered', 'disconnected/local_hangup']]);
});

test('a target that rang and declined: the caller comes back to the agent as a recall (an incoming call the dialer labels), answered the audio flows both ways again', async ({ browser }) => {
  const agentSide = await agent(browser, 'agent2');
  const target = await agent(browser, 'target2');
  const caller = await callerFor('agent2');
  await expect.poll(async () => (await lastCall(agentSide.page))?.state).toBe('connecting');
  expect(await hostCall(agentSide.page, 'answer')).toEqual({ ok: true, result: null });
  expect(await hostCall(agentSide.page, 'transfer', { to: USERS.target2.extension })).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(target.page))?.state, { timeout: 10_000 }).toBe('connecting');
  expect(await hostCall(target.page, 'reject')).toEqual({ ok: true, result: null });

  await expect.poll(async () => (await lastCall(agentSide.page))?.recall ?? false, { timeout: 10_000 }).toBe(true);
  const recall = await lastCall(agentSide.page);
  expect(recall.state).toBe('connecting');
  expect(recall.direction).toBe('inbound');
  expect(recall.from).toBe('+12025550160');
  await expect(agentSide.frame.getByText('Transfer not answered — caller returned')).toBeVisible();
  expect(await hostCall(agentSide.page, 'answer', { callId: recall.id })).toEqual({ ok: true, result: null });
  await expect.poll(heard(agentSide.frame, AGENT_TONE_HZ), { timeout: 15_000, message: 'the agent hears the caller again (echo)' }).toBeGreaterThan(0.6);
  // Bad input on the recalled call: the agent's own extension is refused and the call is untouched.
  const self = (await hostCall(agentSide.page, 'transfer', { to: USERS.agent2.extension })) as { classes?: string[] };
  expect(self.classes).toContain('TransferFailedError');
  expect(await hostCall(agentSide.page, 'hangUp')).toEqual({ ok: true, result: null });
  expect(await caller.finished(), caller.log()).toBe(0);
  expect(await events(agentSide.page)).toEqual([
    ['connecting', 'answered', 'disconnected/transferred'],
    ['connecting', 'answered', 'disconnected/local_hangup'],
  ]);
  expect(await events(target.page)).toEqual([['connecting', 'disconnected/declined']]);
});

test('a target that cannot ring (an extension with no dialer signed in) rejects with TransferFailedError before anything changes: the same call goes on, audio both ways', async ({ browser }) => {
  const agentSide = await agent(browser, 'agent3');
  const caller = await callerFor('agent3');
  await expect.poll(async () => (await lastCall(agentSide.page))?.state).toBe('connecting');
  expect(await hostCall(agentSide.page, 'answer')).toEqual({ ok: true, result: null });
  const failed = (await hostCall(agentSide.page, 'transfer', { to: USERS.offline.extension })) as { ok: boolean; classes?: string[]; message?: string };
  expect(failed.ok).toBe(false);
  expect(failed.classes).toContain('TransferFailedError');
  expect(failed.message).toMatch(/unreachable/);
  expect(await events(agentSide.page)).toEqual([['connecting', 'answered']]);
  await expect.poll(heard(agentSide.frame, AGENT_TONE_HZ), { timeout: 15_000, message: 'the caller is still heard' }).toBeGreaterThan(0.6);
  expect(await hostCall(agentSide.page, 'hangUp')).toEqual({ ok: true, result: null });
  expect(await caller.finished(), caller.log()).toBe(0);
});

test('blind transfer of a browser caller (an extension call, decisions/0028): the caller hears the gateway’s ringback over WebRTC while the target rings, the agent is free at the ring, then caller and target hear each other', async ({ browser }) => {
  const caller = await agent(await targetBrowser(TONE_BROWSER_CALLER), 'xcaller');
  const agentSide = await agent(browser, 'xagent');
  const target = await agent(await targetBrowser(), 'xtarget');
  expect(await hostCall(caller.page, 'placeCall', { to: USERS.xagent.extension })).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(agentSide.page))?.state).toBe('connecting');
  expect(await hostCall(agentSide.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(heard(agentSide.frame, BROWSER_CALLER_TONE_HZ), { timeout: 15_000, message: 'the agent hears the caller' }).toBeGreaterThan(0.6);
  await expect.poll(heard(caller.frame, AGENT_TONE_HZ), { timeout: 15_000, message: 'the caller hears the agent' }).toBeGreaterThan(0.6);

  expect(await hostCall(agentSide.page, 'transfer', { to: USERS.xtarget.extension })).toEqual({ ok: true, result: null });
  expect(await events(agentSide.page)).toEqual([['connecting', 'answered', 'disconnected/transferred']]);
  await expect.poll(async () => (await lastCall(target.page))?.state, { timeout: 10_000 }).toBe('connecting');
  // US ringback is 440 + 480 Hz at half amplitude each (2 s on, 4 s off): about half the energy at 440 Hz.
  await expect.poll(heard(caller.frame, 440), { timeout: 20_000, message: 'the caller hears the gateway’s ringback' }).toBeGreaterThan(0.3);
  expect(await events(caller.page), 'the caller’s own call goes on').toEqual([['connecting', 'answered']]);

  expect(await hostCall(target.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(heard(target.frame, BROWSER_CALLER_TONE_HZ), { timeout: 15_000, message: 'the target hears the caller' }).toBeGreaterThan(0.6);
  await expect.poll(heard(caller.frame, TARGET_TONE_HZ), { timeout: 15_000, message: 'the caller hears the target' }).toBeGreaterThan(0.6);
  expect(await hostCall(caller.page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(target.page))?.end_reason).toBe('remote_hangup');
  expect(await events(caller.page)).toEqual([['connecting', 'answered', 'disconnected/local_hangup']]);
});

test('call waiting: a second caller rings while the agent talks; answer({ callId }) holds the first, hold(false, { callId }) swaps back', async ({ browser }) => {
  const desk = await agent(browser, 'waiting');
  const other = await agent(browser, 'second');
  const first = await callerFor('waiting');
  await expect.poll(async () => (await lastCall(desk.page))?.state).toBe('connecting');
  const firstId = (await lastCall(desk.page)).id as string;
  expect(await hostCall(desk.page, 'answer')).toEqual({ ok: true, result: null });
  await expect.poll(heard(desk.frame, AGENT_TONE_HZ), { timeout: 15_000 }).toBeGreaterThan(0.6);

  expect(await hostCall(other.page, 'placeCall', { to: USERS.waiting.extension })).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await events(desk.page)).length).toBe(2); // a second call, ringing
  const secondId = (await lastCall(desk.page)).id as string;
  expect((await lastCall(desk.page)).state).toBe('connecting');
  expect(await hostCall(desk.page, 'answer', { callId: secondId })).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(other.page))?.state).toBe('answered');
  // The first call was put on hold toward SIPp (re-INVITE sendonly) before the second was answered.
  await expect.poll(() => first.log(), { timeout: 10_000 }).toMatch(/a=sendonly/);

  expect(await hostCall(desk.page, 'hold', false, { callId: firstId })).toEqual({ ok: true, result: null });
  expect(await hostCall(desk.page, 'hangUp')).toEqual({ ok: true, result: null }); // the call talked on: the first
  expect(await first.finished(), first.log()).toBe(0);
  expect(await hostCall(desk.page, 'hangUp', { callId: secondId })).toEqual({ ok: true, result: null });
  await expect.poll(async () => (await lastCall(other.page))?.end_reason).toBe('remote_hangup');
  expect(await events(desk.page)).toEqual([
    ['connecting', 'answered', 'disconnected/local_hangup'],
    ['connecting', 'answered', 'disconnected/local_hangup'],
  ]);
});
