import { readFileSync, rmSync } from 'node:fs';
import { STATE_FILE } from './global-setup.mjs';
import { stopPid } from './gateway.mjs';

export default async function globalTeardown() {
  let state;
  try {
    state = JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return;
  }
  await stopPid(state.fixturePid);
  await stopPid(state.gatewayPid);
  if (state.dataDir) rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}
