// Ports and origins of the e2e environment. Host pages (localhost) and the dialer (127.0.0.1)
// are cross-site, as in production.
// E2E_PORT_BASE moves all four ports (default 18080: 18080, 18081, 18090, 18091).
const BASE = Number(process.env.E2E_PORT_BASE || 18080);
export const GATEWAY_PORT = BASE;
export const DEMO_PORT = BASE + 1;
export const HOST_PORT = BASE + 10;
export const FOREIGN_PORT = BASE + 11;

export const GATEWAY_URL = `http://127.0.0.1:${GATEWAY_PORT}`;
export const DEMO_ORIGIN = `http://localhost:${DEMO_PORT}`;
export const HOST_ORIGIN = `http://localhost:${HOST_PORT}`;
/** Serves the same fixtures, but is NOT in DIALER_ALLOWED_ORIGINS. */
export const FOREIGN_ORIGIN = `http://localhost:${FOREIGN_PORT}`;
export const ALLOWED_ORIGINS = [HOST_ORIGIN, DEMO_ORIGIN];

/** One user per scenario, so that tests do not see each other's sessions or rate limits. */
export const TEST_USERS = ['signin', 'wrongpw', 'ratelimit', 'tokenuser', 'revoked', 'caller'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--use-fake-device-for-media-stream',
];
