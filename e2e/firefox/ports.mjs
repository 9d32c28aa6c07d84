// Ports of the Firefox suite: E2E_PORT_BASE + 520 to + 559, clear of the Chromium suite's ranges
// (support/constants.mjs), and the gateway's WebRTC port (its HTTP port + 300) below base + 1000.
const BASE = Number(process.env.E2E_PORT_BASE || 18080) + 520;
export const FF_HTTP_PORT = BASE;
export const FF_SIP_PORT = BASE + 1;
export const FF_TRUNK_PORT = BASE + 2;
export const FF_TRUNK_MEDIA_PORT = BASE + 4; // SIPp binds +4 to +7
export const FF_PEER_PORT = BASE + 8;
export const FF_CALLER_PORT = BASE + 10;
export const FF_CALLER_MEDIA_PORT = BASE + 12; // SIPp binds +12 to +15
export const FF_HOST_PORT = BASE + 20;
export const FF_RTP_PORTS = `${BASE + 24}-${BASE + 39}`;
export const FF_GATEWAY_URL = `http://127.0.0.1:${FF_HTTP_PORT}`;
export const FF_HOST_ORIGIN = `http://localhost:${FF_HOST_PORT}`;
