// Calls end to end: host page → SDK → dialer iframe → gateway → SIPp (protocol.md, part 3).
// Each test starts the SIPp it needs (a trunk scenario on TRUNK_PORT, or a caller) and asserts the
// exact callStateChanged sequence the host page's subscriber received.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Frame, type Page } from '@playwright/test';
import {
  CALLER_MEDIA_PORT,
  CALLER_PORT,
  CALLS_GATEWAY_URL,
  CALLS_HTTP_PORT,
  CALLS_RTP_PORTS,
  CALLS_SIP_PORT,
  DEAD_TRUNK_PORT,
  HOST_ORIGIN,
  RING_TIMEOUT_S,
  TRUNK_MEDIA_PORT,
  TRUNK_PORT,
  UNREACHABLE_GATEWAY_URL,
  UNREACHABLE_HTTP_PORT,
  UNREACHABLE_RTP_PORTS,
  UNREACHABLE_SIP_PORT,
} from '../support/constants.mjs';
import { assertPortsFree, createUser, startGateway, stopPid } from '../support/gateway.mjs';
import { checkSipp, startSipp } from '../support/sipp.mjs';
import { expectSignedIn, seenCallEvents, signIn, type SeenCallEvent } from './helpers';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/calls');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
/** The calls gateway's trunk credentials (DIALER_SIP_USERNAME/PASSWORD), answered to 401/407. */
const TRUNK_USER = 'gw-e2e';
const TRUNK_PASSWORD = randomBytes(12).toString('hex');
const FAR_END = '+12025550143';

/** One user per test, so that a call left over by a failed test cannot answer for the next one. */
const USERS = {
  answered: { extension: '301', number: '+12025550171' },
  hangup: { extension: '302', number: '+12025550172' },
  busy: { extension: '303', number: '+12025550173' },
  declined: { extension: '304', number: '+12025550174' },
  noanswer: { extension: '305', number: '+12025550175' },
  proxyauth: { extension: '312', number: '+12025550182' },
  cancel: { extension: '306', number: '+12025550176' },
  inbound: { extension: '307', number: '+12025550177' },
  anon: { extension: '308', number: '+12025550178' },
  twotabs: { extension: '309', number: '+12025550179' },
  exta: { extension: '310', number: '+12025550180' },
  extb: { extension: '311', number: '+12025550181' },
  longname: { extension: '313', number: '+12025550183' },
} as const;
type UserName = keyof typeof USERS;
const displayName = (u: string) => `Agent ${u[0]!.toUpperCase()}${u.slice(1)}`;

let gateways: Array<Awaited<ReturnType<typeof startGateway>>> = [];

async function waitForPortsFree(ports: number[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertPortsFree(ports);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

let sipps: Array<{ stop(): Promise<void> }> = [];

test.describe.configure({ timeout: 45_000 });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  checkSipp();
  mkdirSync(WORK_DIR, { recursive: true });
  // A worker that replaces one whose test failed may start while the old one still stops its gateways.
  await waitForPortsFree([CALLS_HTTP_PORT, UNREACHABLE_HTTP_PORT], 20_000);
  const common = {
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    demoPort: 0,
  };
  const sipEnv = (sipPort: number, trunk: string, rtp: string) => ({
    DIALER_SIP_TRUNK: trunk,
    DIALER_SIP_PORT: String(sipPort),
    DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
    DIALER_RING_TIMEOUT_S: String(RING_TIMEOUT_S),
    DIALER_RTP_PORTS: rtp,
  });
  // allSettled: a gateway that did start is stopped by afterAll even when the other one failed.
  const started = await Promise.allSettled([
    startGateway({
      ...common,
      httpPort: CALLS_HTTP_PORT,
      name: 'calls-gateway',
      env: {
        ...sipEnv(CALLS_SIP_PORT, `sip:127.0.0.1:${TRUNK_PORT}`, CALLS_RTP_PORTS),
        DIALER_SIP_USERNAME: TRUNK_USER,
        DIALER_SIP_PASSWORD: TRUNK_PASSWORD,
      },
    }),
    startGateway({
      ...common,
      httpPort: UNREACHABLE_HTTP_PORT,
      name: 'unreachable-gateway',
      env: sipEnv(UNREACHABLE_SIP_PORT, `sip:127.0.0.1:${DEAD_TRUNK_PORT};transport=tcp`, UNREACHABLE_RTP_PORTS),
    }),
  ]);
  for (const result of started) if (result.status === 'fulfilled') gateways.push(result.value);
  for (const result of started) if (result.status === 'rejected') throw result.reason;
  const [calls, unreachable] = gateways as Awaited<ReturnType<typeof startGateway>>[];
  for (const [username, u] of Object.entries(USERS)) {
    await createUser(calls, { username, password: PASSWORD, display_name: displayName(username), ...u });
  }
  await createUser(unreachable, { username: 'unreach', password: PASSWORD, display_name: 'Agent Unreach', extension: '301', number: '+12025550171' });
});

test.afterEach(async () => {
  await Promise.all(sipps.map((s) => s.stop()));
  sipps = [];
});

test.afterAll(async () => {
  await Promise.all(gateways.map((g) => stopPid(g.pid)));
  gateways = [];
});

async function sipp(options: { scenario: string; caller?: UserName }) {
  const { scenario, caller } = options;
  const started = await startSipp(
    caller
      ? {
          scenario,
          port: CALLER_PORT,
          mediaPort: CALLER_MEDIA_PORT,
          remote: `127.0.0.1:${CALLS_SIP_PORT}`,
          service: USERS[caller].number,
          logDir: WORK_DIR,
        }
      : { scenario, port: TRUNK_PORT, mediaPort: TRUNK_MEDIA_PORT, logDir: WORK_DIR },
  );
  sipps.push(started);
  return started;
}

async function frameOf(page: Page, gatewayUrl: string): Promise<Frame> {
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${gatewayUrl}/dialer/`)))).toBeTruthy();
  return frame as Frame;
}

/** The harness page with a dialer of `gatewayUrl`, recording callStateChanged from the start. */
async function openHost(page: Page, gatewayUrl = CALLS_GATEWAY_URL): Promise<Frame> {
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
  }, gatewayUrl);
  return frameOf(page, gatewayUrl);
}

/** A signed-in dialer of `user` in a new page of `context` (a fresh browser context by default). */
async function agent(browser: Browser, user: string, gatewayUrl = CALLS_GATEWAY_URL) {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  const frame = await openHost(page, gatewayUrl);
  await signIn(frame, user, PASSWORD);
  await expectSignedIn(frame, displayName(user));
  return { context, page, frame };
}

type SeenCall = Omit<SeenCallEvent, 'id'>;

/** What the host's subscriber saw (helpers.ts), without the call id. */
async function seen(page: Page): Promise<SeenCall[]> {
  return (await seenCallEvents(page)).map(({ id: _id, ...rest }) => rest);
}

/** Waits until the subscriber saw the call end, then a little longer, so that a late extra event would show. */
async function seenUntilEnd(page: Page): Promise<SeenCall[]> {
  await expect.poll(async () => (await seen(page)).at(-1)?.state, { timeout: 15_000 }).toBe('disconnected');
  await page.waitForTimeout(300);
  return seen(page);
}

/** All events of one page are of one call id. */
async function callIds(page: Page): Promise<string[]> {
  return page.evaluate(() => [...new Set<string>((window as any).calls.list.map((e: any) => e.call.id))]);
}

function hostCall(page: Page, method: string, arg?: unknown) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => (a === undefined ? window.dialer[m as string]() : window.dialer[m as string](a))),
    [method, arg] as const,
  );
}

const status = (frame: Frame) => frame.locator('.call-panel .call-status');

const out = (user: UserName, rest: Partial<SeenCall>): SeenCall => ({
  state: 'connecting',
  direction: 'outbound',
  result: null,
  end_reason: null,
  from: USERS[user].number,
  to: FAR_END,
  name: displayName(user),
  dates: 'S--',
  ...rest,
});

test.describe('outbound calls to the trunk', () => {
  test('answered, then the far end hangs up: connecting → answered → disconnected remote_hangup; the panel shows Calling…, In call, Call ended', async ({ browser }) => {
    const trunk = await sipp({ scenario: 'uas-answer-then-bye' });
    const { page, frame, context } = await agent(browser, 'answered');
    expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
    await expect(status(frame)).toHaveText(/^In call \d+:\d\d$/);
    await expect(frame.locator('.call-panel')).toHaveAttribute('data-media-state', 'connected');
    await expect(frame.getByRole('button', { name: 'Hang up' })).toBeVisible();
    expect(await seenUntilEnd(page)).toEqual([
      out('answered', {}),
      out('answered', { state: 'answered', dates: 'SA-' }),
      out('answered', { state: 'disconnected', result: 'answered', end_reason: 'remote_hangup', dates: 'SAE' }),
    ]);
    expect(await callIds(page)).toHaveLength(1);
    await expect(status(frame)).toHaveText('Call ended — the other party hung up');
    expect(await trunk.finished(), trunk.log()).toBe(0);
    await context.close();
  });

  test('answered; the dialer reloads mid-call and shows the call again while the host sees no repeat; hangUp() sends BYE; disconnected local_hangup', async ({ browser }) => {
    const trunk = await sipp({ scenario: 'uas-answer-wait-bye' });
    const { page, frame: before, context } = await agent(browser, 'hangup');
    expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
    await expect(status(before)).toHaveText(/^In call/);
    // The reloaded dialer resumes its session; the gateway replays the live call's current state
    // (same seq), which the SDK must not deliver a second time.
    await before.evaluate(() => location.reload());
    const frame = await frameOf(page, CALLS_GATEWAY_URL);
    await expect(status(frame)).toHaveText(/^In call \d+:\d\d$/);
    expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
    expect(await seenUntilEnd(page)).toEqual([
      out('hangup', {}),
      out('hangup', { state: 'answered', dates: 'SA-' }),
      out('hangup', { state: 'disconnected', result: 'answered', end_reason: 'local_hangup', dates: 'SAE' }),
    ]);
    expect(await trunk.finished(), trunk.log()).toBe(0);
    expect(trunk.received().some((line) => line.startsWith('BYE '))).toBe(true);
    await expect(status(frame)).toHaveText('Call ended — you hung up');
    await context.close();
  });

  test('407 challenge: the gateway retries with DIALER_SIP_USERNAME/PASSWORD; connecting → answered → disconnected remote_hangup', async ({ browser }) => {
    const trunk = await sipp({ scenario: 'uas-proxy-auth-answer-then-bye' });
    const { page, context } = await agent(browser, 'proxyauth');
    expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
    expect(await seenUntilEnd(page)).toEqual([
      out('proxyauth', {}),
      out('proxyauth', { state: 'answered', dates: 'SA-' }),
      out('proxyauth', { state: 'disconnected', result: 'answered', end_reason: 'remote_hangup', dates: 'SAE' }),
    ]);
    expect(await trunk.finished(), trunk.log()).toBe(0);
    // The retry's Proxy-Authorization answers SIPp's challenge with the configured credentials (RFC 2617).
    const header = /Proxy-Authorization: (Digest .*)/.exec(trunk.log())?.[1] ?? '';
    const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(header)?.[1];
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    expect(field('username'), header).toBe(TRUNK_USER);
    expect(field('realm')).toBe('trunk.test');
    const ha1 = md5(`${TRUNK_USER}:trunk.test:${TRUNK_PASSWORD}`);
    const ha2 = md5(`INVITE:${field('uri')}`);
    expect(field('response')).toBe(md5(`${ha1}:${field('nonce')}:${field('nc')}:${field('cnonce')}:auth:${ha2}`));
    expect(trunk.received().filter((line) => line.startsWith('INVITE '))).toHaveLength(2);
    await context.close();
  });

  test('busy (486): disconnected busy, not answered; hangUp() afterwards rejects with CallNotFoundError', async ({ browser }) => {
    const trunk = await sipp({ scenario: 'uas-busy' });
    const { page, frame, context } = await agent(browser, 'busy');
    expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
    expect(await seenUntilEnd(page)).toEqual([
      out('busy', {}),
      out('busy', { state: 'disconnected', result: 'not_answered', end_reason: 'busy', dates: 'S-E' }),
    ]);
    await expect(status(frame)).toHaveText('Call ended — the line is busy');
    expect(await trunk.finished(), trunk.log()).toBe(0);
    const r = await hostCall(page, 'hangUp');
    expect(r).toMatchObject({ ok: false, name: 'CallNotFoundError', classes: ['Net2PhoneDialerError', 'CallNotFoundError'] });
    await context.close();
  });

  test('declined (603): disconnected declined, not answered', async ({ browser }) => {
    const trunk = await sipp({ scenario: 'uas-decline' });
    const { page, frame, context } = await agent(browser, 'declined');
    expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
    expect(await seenUntilEnd(page)).toEqual([
      out('declined', {}),
      out('declined', { state: 'disconnected', result: 'not_answered', end_reason: 'declined', dates: 'S-E' }),
    ]);
    await expect(status(frame)).toHaveText('Call ended — declined');
    expect(await trunk.finished(), trunk.log()).toBe(0);
    await context.close();
  });

  test(`no answer: after the ${RING_TIMEOUT_S} s ring timeout the gateway sends CANCEL; disconnected no_answer`, async ({ browser }) => {
    const trunk = await sipp({ scenario: 'uas-ring-until-cancel' });
    const { page, frame, context } = await agent(browser, 'noanswer');
    expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
    await expect(status(frame)).toHaveText('Calling…');
    expect(await seenUntilEnd(page)).toEqual([
      out('noanswer', {}),
      out('noanswer', { state: 'disconnected', result: 'not_answered', end_reason: 'no_answer', dates: 'S-E' }),
    ]);
    expect(await trunk.finished(), trunk.log()).toBe(0);
    expect(trunk.received().some((line) => line.startsWith('CANCEL '))).toBe(true);
    await context.close();
  });

  test('cancelled by the agent while ringing (the Hang up button): CANCEL; disconnected canceled', async ({ browser }) => {
    const trunk = await sipp({ scenario: 'uas-ring-until-cancel' });
    const { page, frame, context } = await agent(browser, 'cancel');
    expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
    await expect(status(frame)).toHaveText('Calling…');
    await frame.getByRole('button', { name: 'Hang up' }).click();
    expect(await seenUntilEnd(page)).toEqual([
      out('cancel', {}),
      out('cancel', { state: 'disconnected', result: 'not_answered', end_reason: 'canceled', dates: 'S-E' }),
    ]);
    await expect(status(frame)).toHaveText('Call ended — cancelled');
    expect(await trunk.finished(), trunk.log()).toBe(0);
    await context.close();
  });

  test('trunk unreachable (nothing listens on its TCP port): disconnected unreachable', async ({ browser }) => {
    const { page, frame, context } = await agent(browser, 'unreach', UNREACHABLE_GATEWAY_URL);
    expect(await hostCall(page, 'placeCall', { to: FAR_END })).toEqual({ ok: true, result: null });
    const call = { direction: 'outbound', from: '+12025550171', to: FAR_END, name: 'Agent Unreach', result: null, end_reason: null };
    expect(await seenUntilEnd(page)).toEqual([
      { ...call, state: 'connecting', dates: 'S--' },
      { ...call, state: 'disconnected', result: 'not_answered', end_reason: 'unreachable', dates: 'S-E' },
    ]);
    await expect(status(frame)).toHaveText('Call ended — the number could not be reached');
    await context.close();
  });
});

test.describe('inbound calls from the trunk', () => {
  test('a caller with a display name rings as "Incoming call" with name and number; answer() answers; the caller hangs up', async ({ browser }) => {
    const { page, frame, context } = await agent(browser, 'inbound');
    const caller = await sipp({ scenario: 'uac-named-caller', caller: 'inbound' });
    const panel = frame.locator('.call-panel');
    await expect(panel.getByRole('heading', { name: 'Incoming call' })).toBeVisible();
    await expect(panel).toContainText('Grace Hopper');
    await expect(panel).toContainText('+1 202 555 0160');
    await expect(panel.getByRole('button', { name: 'Answer' })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Decline' })).toBeVisible();
    expect(await hostCall(page, 'answer')).toEqual({ ok: true, result: null });
    const inbound = { direction: 'inbound', from: '+12025550160', to: USERS.inbound.number, name: 'Grace Hopper', result: null, end_reason: null };
    expect(await seenUntilEnd(page)).toEqual([
      { ...inbound, state: 'connecting', dates: 'S--' },
      { ...inbound, state: 'answered', dates: 'SA-' },
      { ...inbound, state: 'disconnected', result: 'answered', end_reason: 'remote_hangup', dates: 'SAE' },
    ]);
    expect(await caller.finished(), caller.log()).toBe(0);
    await context.close();
  });

  test('an anonymous caller (Privacy: id) shows as "Unknown" with from null; Decline sends 603', async ({ browser }) => {
    const { page, frame, context } = await agent(browser, 'anon');
    const caller = await sipp({ scenario: 'uac-anonymous-declined', caller: 'anon' });
    const panel = frame.locator('.call-panel');
    await expect(panel.getByRole('heading', { name: 'Incoming call' })).toBeVisible();
    await expect(panel.locator('.call-number')).toHaveText('Unknown');
    await panel.getByRole('button', { name: 'Decline' }).click();
    const inbound = { direction: 'inbound', from: null, to: USERS.anon.number, name: null, result: null, end_reason: null };
    expect(await seenUntilEnd(page)).toEqual([
      { ...inbound, state: 'connecting', dates: 'S--' },
      { ...inbound, state: 'disconnected', result: 'not_answered', end_reason: 'declined', dates: 'S-E' },
    ]);
    expect(await caller.finished(), caller.log()).toBe(0);
    await context.close();
  });

  test('a 10,000-character caller name with U+202E shows as 64 characters without the override (whole name in title); Answer and Decline stay on screen', async ({ browser }) => {
    const { frame, context } = await agent(browser, 'longname');
    const caller = await sipp({ scenario: 'uac-long-bidi-caller-declined', caller: 'longname' });
    const panel = frame.locator('.call-panel');
    await expect(panel.getByRole('heading', { name: 'Incoming call' })).toBeVisible();
    const name = panel.locator('.call-name');
    const shown = (await name.textContent()) ?? '';
    expect(Array.from(shown)).toHaveLength(64);
    expect(shown).toMatch(/^Evil Caller exe\.gnp W+…$/);
    expect(await name.getAttribute('title')).toHaveLength(1024);
    await expect(panel.getByRole('button', { name: 'Answer' })).toBeInViewport();
    await expect(panel.getByRole('button', { name: 'Decline' })).toBeInViewport();
    await panel.getByRole('button', { name: 'Decline' }).click();
    expect(await caller.finished(), caller.log()).toBe(0);
    await context.close();
  });

  test('two devices (browser contexts) of the same user both ring; answered on one, the other sees the call end as answered_elsewhere (result answered: the user did answer it)', async ({ browser }) => {
    // Two contexts are two devices (protocol.md part 5): tabs of one context share the device id and
    // would follow the answered call read-only instead.
    const { page: first, frame: firstFrame, context } = await agent(browser, 'twotabs');
    const { page: second, frame: secondFrame, context: secondContext } = await agent(browser, 'twotabs');
    const caller = await sipp({ scenario: 'uac-named-caller', caller: 'twotabs' });
    for (const frame of [firstFrame, secondFrame]) {
      await expect(frame.locator('.call-panel').getByRole('heading', { name: 'Incoming call' })).toBeVisible();
    }
    await firstFrame.getByRole('button', { name: 'Answer' }).click();
    const inbound = { direction: 'inbound', from: '+12025550160', to: USERS.twotabs.number, name: 'Grace Hopper', result: null, end_reason: null };
    expect(await seenUntilEnd(second)).toEqual([
      { ...inbound, state: 'connecting', dates: 'S--' },
      { ...inbound, state: 'disconnected', result: 'answered', end_reason: 'answered_elsewhere', dates: 'SAE' },
    ]);
    await expect(status(secondFrame)).toHaveText('Call ended — answered on another device');
    expect(await seenUntilEnd(first)).toEqual([
      { ...inbound, state: 'connecting', dates: 'S--' },
      { ...inbound, state: 'answered', dates: 'SA-' },
      { ...inbound, state: 'disconnected', result: 'answered', end_reason: 'remote_hangup', dates: 'SAE' },
    ]);
    expect(await callIds(first)).toEqual(await callIds(second));
    expect(await caller.finished(), caller.log()).toBe(0);
    await context.close();
    await secondContext.close();
  });
});

test.describe('extension to extension', () => {
  test('A calls B\'s extension, B answers in the dialer, A hangs up', async ({ browser }) => {
    const a = await agent(browser, 'exta');
    const b = await agent(browser, 'extb');
    expect(await hostCall(a.page, 'placeCall', { to: USERS.extb.extension })).toEqual({ ok: true, result: null });
    const panel = b.frame.locator('.call-panel');
    await expect(panel.getByRole('heading', { name: 'Incoming call' })).toBeVisible();
    await expect(panel).toContainText(displayName('exta'));
    await expect(panel.locator('.call-number')).toHaveText(USERS.exta.extension);
    await panel.getByRole('button', { name: 'Answer' }).click();
    await expect(status(a.frame)).toHaveText(/^In call/);
    expect(await hostCall(a.page, 'hangUp')).toEqual({ ok: true, result: null });
    const call = { from: USERS.exta.extension, to: USERS.extb.extension, name: displayName('exta'), result: null, end_reason: null };
    expect(await seenUntilEnd(a.page)).toEqual([
      { ...call, direction: 'outbound', state: 'connecting', dates: 'S--' },
      { ...call, direction: 'outbound', state: 'answered', dates: 'SA-' },
      { ...call, direction: 'outbound', state: 'disconnected', result: 'answered', end_reason: 'local_hangup', dates: 'SAE' },
    ]);
    expect(await seenUntilEnd(b.page)).toEqual([
      { ...call, direction: 'inbound', state: 'connecting', dates: 'S--' },
      { ...call, direction: 'inbound', state: 'answered', dates: 'SA-' },
      { ...call, direction: 'inbound', state: 'disconnected', result: 'answered', end_reason: 'remote_hangup', dates: 'SAE' },
    ]);
    await expect(status(b.frame)).toHaveText('Call ended — the other party hung up');
    await a.context.close();
    await b.context.close();
  });
});
