// PBX mode end to end: host page → SDK → dialer → gateway (no trunk) → Kamailio (registrar/proxy with
// digest auth) → baresip (extension 2001, auto-answer). The user "pbxuser" carries the PBX account
// gw1001; the gateway registers it while the user's dialer is connected.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Frame, type Page } from '@playwright/test';
import {
  BARESIP_CTRL_PORT,
  BARESIP_RTP_PORTS,
  BARESIP_SIP_PORT,
  HOST_ORIGIN,
  KAMAILIO_PORT,
  PBX_GATEWAY_URL,
  PBX_HTTP_PORT,
  PBX_RTP_PORTS,
  PBX_SIP_PORT,
} from '../support/constants.mjs';
import { admin, createUser, startGateway, stopPid } from '../support/gateway.mjs';
import { checkPbxPeers, startBaresip, startKamailio } from '../support/pbx.mjs';
import { expectSignedIn, signIn } from './helpers';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/pbx');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const GATEWAY_SIP_PASSWORD = randomBytes(12).toString('hex');
const PHONE_PASSWORD = randomBytes(12).toString('hex');
const USER = { username: 'pbxuser', display_name: 'Agent Pbx', extension: '401' };
const PHONE = '2001';

let gateway: Awaited<ReturnType<typeof startGateway>> | null = null;
let kamailio: Awaited<ReturnType<typeof startKamailio>> | null = null;
let phone: Awaited<ReturnType<typeof startBaresip>> | null = null;

test.describe.configure({ mode: 'serial', timeout: 60_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  checkPbxPeers();
  mkdirSync(WORK_DIR, { recursive: true });
  kamailio = await startKamailio({
    port: KAMAILIO_PORT,
    users: { gw1001: GATEWAY_SIP_PASSWORD, [PHONE]: PHONE_PASSWORD },
    dir: path.join(WORK_DIR, 'kamailio'),
  });
  phone = await startBaresip({
    user: PHONE,
    password: PHONE_PASSWORD,
    registrar: `127.0.0.1:${KAMAILIO_PORT}`,
    sipPort: BARESIP_SIP_PORT,
    ctrlPort: BARESIP_CTRL_PORT,
    rtpPorts: BARESIP_RTP_PORTS,
    dir: path.join(WORK_DIR, 'baresip'),
  });
  await expect.poll(() => kamailio!.locationTable(), { timeout: 15_000 }).toContain(`AoR: ${PHONE}`);
  gateway = await startGateway({
    httpPort: PBX_HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'pbx-gateway',
    // No DIALER_SIP_TRUNK: the SIP port opens at the first registration.
    env: {
      DIALER_SIP_PORT: String(PBX_SIP_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_PUBLIC_ADDRESS: '127.0.0.1',
      DIALER_RTP_PORTS: PBX_RTP_PORTS,
      DIALER_RING_TIMEOUT_S: '20',
    },
  });
  const created = await createUser(gateway, {
    ...USER,
    password: PASSWORD,
    sip_account: { registrar: kamailio.uri, username: 'gw1001', password: GATEWAY_SIP_PASSWORD },
  });
  expect(created.sip_account).toEqual({ registrar: kamailio.uri, username: 'gw1001', auth_username: null, registered: false });
});

test.afterAll(async () => {
  if (gateway) await stopPid(gateway.pid); // un-REGISTERs at shutdown
  if (phone) await phone.stop(); // before the registrar: it waits for its un-REGISTER
  if (kamailio) await kamailio.stop();
  gateway = phone = kamailio = null;
});

async function registered(): Promise<boolean> {
  const res = await admin(gateway!, 'GET', `/api/v1/users/${USER.username}`);
  return res.body?.sip_account?.registered === true;
}

async function agent(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => {
    window.harness.create({ serverUrl });
    (window as any).calls = window.harness.record();
  }, PBX_GATEWAY_URL);
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${PBX_GATEWAY_URL}/dialer/`)))).toBeTruthy();
  await signIn(frame!, USER.username, PASSWORD);
  await expectSignedIn(frame!, USER.display_name);
  return { context, page, frame: frame! };
}

function hostCall(page: Page, method: string, arg?: unknown) {
  return page.evaluate(
    ([m, a]) => window.harness.outcome(() => (a === undefined ? window.dialer[m as string]() : window.dialer[m as string](a))),
    [method, arg] as const,
  );
}

async function states(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as any).calls.list.map((e: any) => e.call.state + (e.call.end_reason ? `/${e.call.end_reason}` : '')),
  );
}

test('signed in: the account registers; placeCall to 2001 goes through Kamailio, baresip answers; hangUp → disconnected', async ({ browser }) => {
  const { page, context } = await agent(browser);
  await expect.poll(registered, { timeout: 15_000 }).toBe(true);
  expect(kamailio!.locationTable()).toContain('AoR: gw1001');

  expect(await hostCall(page, 'placeCall', { to: PHONE })).toEqual({ ok: true, result: null });
  await expect.poll(() => states(page), { timeout: 15_000 }).toEqual(['connecting', 'answered']);
  await phone!.awaitEvent('CALL_ESTABLISHED');
  const answered = await page.evaluate(() => (window as any).calls.list.at(-1).call);
  expect(answered).toMatchObject({ direction: 'outbound', to: PHONE, from: USER.extension });

  expect(await hostCall(page, 'hangUp')).toEqual({ ok: true, result: null });
  await expect.poll(() => states(page)).toEqual(['connecting', 'answered', 'disconnected/local_hangup']);
  await phone!.awaitEvent('CALL_CLOSED');
  await context.close();
});

test('baresip calls gw1001 through Kamailio: the dialer rings; answer() answers; baresip hangs up → disconnected remote_hangup', async ({ browser }) => {
  const { page, frame, context } = await agent(browser);
  await expect.poll(registered, { timeout: 15_000 }).toBe(true);

  phone!.command('dial', `sip:gw1001@127.0.0.1:${KAMAILIO_PORT}`);
  const panel = frame.locator('.call-panel');
  await expect(panel.getByRole('heading', { name: 'Incoming call' })).toBeVisible({ timeout: 15_000 });
  await expect(panel).toContainText(PHONE);
  expect(await hostCall(page, 'answer')).toEqual({ ok: true, result: null });
  await phone!.awaitEvent('CALL_ESTABLISHED');
  phone!.command('hangup');
  await expect.poll(() => states(page), { timeout: 15_000 }).toEqual(['connecting', 'answered', 'disconnected/remote_hangup']);
  const ended = await page.evaluate(() => (window as any).calls.list.at(-1).call);
  expect(ended).toMatchObject({ direction: 'inbound', from: PHONE, to: USER.extension, result: 'answered' });
  await context.close();
});

test('the last dialer goes away: after the 10 s grace period the gateway un-REGISTERs (Kamailio forgets gw1001)', async ({ browser }) => {
  const { context } = await agent(browser);
  await expect.poll(registered, { timeout: 15_000 }).toBe(true);
  await context.close();
  // Still registered during the grace period (a reload must not flap the registration) ...
  await new Promise((r) => setTimeout(r, 3000));
  expect(await registered()).toBe(true);
  // ... and gone after it.
  await expect.poll(registered, { timeout: 20_000 }).toBe(false);
  await expect.poll(() => kamailio!.locationTable(), { timeout: 10_000 }).not.toContain('AoR: gw1001');
});
