import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOWED_ORIGINS, DEMO_PORT, FOREIGN_PORT, GATEWAY_PORT, HOST_PORT, TEST_USERS } from './constants.mjs';
import { checkBuildOutputs, createUser, startFixtureServer, startGateway, stopPid } from './gateway.mjs';

export const WORK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp');
export const STATE_FILE = path.join(WORK_DIR, 'state.json');

export default async function globalSetup() {
  checkBuildOutputs();
  mkdirSync(WORK_DIR, { recursive: true });
  const gateway = await startGateway({
    httpPort: GATEWAY_PORT,
    demoPort: DEMO_PORT,
    allowedOrigins: ALLOWED_ORIGINS,
    workDir: WORK_DIR,
  });
  const state = { gatewayPid: gateway.pid, dataDir: gateway.dataDir };
  writeFileSync(STATE_FILE, JSON.stringify(state));
  try {
    const fixtures = await startFixtureServer({
      ports: [HOST_PORT, FOREIGN_PORT],
      gatewayUrl: gateway.url,
      adminKey: gateway.adminKey,
      workDir: WORK_DIR,
    });
    state.fixturePid = fixtures.pid;
    writeFileSync(STATE_FILE, JSON.stringify(state));

    const password = `pw-${randomBytes(12).toString('hex')}`;
    try {
      for (const [i, username] of TEST_USERS.entries()) {
        await createUser(gateway, {
          username,
          password,
          display_name: `Test ${username[0].toUpperCase()}${username.slice(1)}`,
          extension: String(201 + i),
          number: `+120255501${10 + i}`, // the fictional 555-01xx range
        });
      }
    } catch (e) {
      // Tests that need no account still run; those that do fail with this message.
      process.env.E2E_USERS_ERROR = e.message;
      console.error(`[e2e] test users could not be created: ${e.message}`);
    }
    // Workers inherit the runner's environment. The admin key stays on the Node side.
    process.env.E2E_GATEWAY_URL = gateway.url;
    process.env.E2E_ADMIN_KEY = gateway.adminKey;
    process.env.E2E_PASSWORD = password;
  } catch (e) {
    await stopPid(state.fixturePid);
    await stopPid(gateway.pid);
    throw e;
  }
}
