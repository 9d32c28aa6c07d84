// Toll fraud (docs/security.md): a premium-rate number is refused by the gateway's destination
// policy before any INVITE, and the host page gets the typed DestinationNotAllowedError.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Frame, type Page } from '@playwright/test';
import {
  HOST_ORIGIN,
  TOLL_GATEWAY_URL,
  TOLL_HTTP_PORT,
  TOLL_RTP_PORTS,
  TOLL_SIP_PORT,
  TOLL_TRUNK_MEDIA_PORT,
  TOLL_TRUNK_PORT,
} from '../support/constants.mjs';
import { createUser, startGateway, stopPid } from '../support/gateway.mjs';
import { checkSipp, startSipp } from '../support/sipp.mjs';
import { call, expectSignedIn, signIn } from './helpers';

const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/toll-fraud');
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;

test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  checkSipp();
  mkdirSync(WORK_DIR, { recursive: true });
  gateway = await startGateway({
    httpPort: TOLL_HTTP_PORT,
    demoPort: 0,
    allowedOrigins: [HOST_ORIGIN],
    workDir: WORK_DIR,
    name: 'toll-gateway',
    env: {
      DIALER_SIP_TRUNK: `sip:127.0.0.1:${TOLL_TRUNK_PORT}`,
      DIALER_SIP_PORT: String(TOLL_SIP_PORT),
      DIALER_SIP_LISTEN_ADDRESS: '127.0.0.1',
      DIALER_RTP_PORTS: TOLL_RTP_PORTS,
    },
  });
  await createUser(gateway, { username: 'tollagent', password: PASSWORD, display_name: 'Toll Agent', extension: '401', number: '+12025550191' });
});

test.afterAll(async () => {
  if (gateway) await stopPid(gateway.pid);
  gateway = undefined;
});

async function signedInHost(page: Page): Promise<Frame> {
  await page.goto(`${HOST_ORIGIN}/harness.html`);
  await page.evaluate((serverUrl) => window.harness.create({ serverUrl }), TOLL_GATEWAY_URL);
  let frame: Frame | undefined;
  await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(`${TOLL_GATEWAY_URL}/dialer/`)))).toBeTruthy();
  await signIn(frame as Frame, 'tollagent', PASSWORD);
  await expectSignedIn(frame as Frame, 'Toll Agent');
  return frame as Frame;
}

test('placeCall to a premium-rate number rejects with DestinationNotAllowedError and no INVITE reaches the trunk', async ({ browser }) => {
  const sipp = await startSipp({ scenario: 'uas-answer-then-bye', port: TOLL_TRUNK_PORT, mediaPort: TOLL_TRUNK_MEDIA_PORT, logDir: WORK_DIR });
  const context = await browser.newContext({ permissions: ['microphone'] });
  try {
    const page = await context.newPage();
    await signedInHost(page);
    const refused = await call(page, '+1 900 555 0100');
    expect(refused).toMatchObject({ ok: false, name: 'DestinationNotAllowedError' });
    expect(refused.classes).toContain('Net2PhoneDialerError');
    await page.waitForTimeout(500); // an INVITE, had one been sent, would be logged by now
    expect(sipp.received().filter((l: string) => l.startsWith('INVITE'))).toEqual([]);

    // The same dialer and trunk do carry an ordinary call: the check above could have failed.
    const placed = await call(page, '+1 202 555 0143');
    expect(placed).toMatchObject({ ok: true });
    expect(await sipp.finished(40_000)).toBe(0); // generous: the machine may be loaded
    const invites = sipp.received().filter((l: string) => l.startsWith('INVITE'));
    expect(invites).toHaveLength(1);
    expect(invites[0]).toContain('+12025550143');
  } finally {
    await context.close();
    await sipp.stop();
  }
});
