// Ports and origins of the e2e environment. Host pages (localhost) and the dialer (127.0.0.1)
// are cross-site, as in production.
// E2E_PORT_BASE moves every port (default 18080: 18080, 18081, 18090, 18091; the call tests use
// base+20 to base+32 and the RTP ranges base+100 to base+219).
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
export const TEST_USERS = ['signin', 'wrongpw', 'ratelimit', 'tokenuser', 'revoked', 'caller', 'democaller', 'demotarget', 'newcomer', 'screens'];

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

// The call tests (tests/calls.spec.ts) start their own gateways, so that the shared one above keeps
// having no trunk: one whose trunk is SIPp on TRUNK_PORT (UDP), one whose trunk is a TCP port where
// nothing listens.
export const CALLS_HTTP_PORT = BASE + 20;
export const CALLS_SIP_PORT = BASE + 21;
/** SIPp playing the trunk (UAS scenarios) listens here; the calls gateway's DIALER_SIP_TRUNK. */
export const TRUNK_PORT = BASE + 22;
/** SIPp playing a caller (UAC scenarios) sends from here to CALLS_SIP_PORT. */
export const CALLER_PORT = BASE + 23;
export const TRUNK_MEDIA_PORT = BASE + 24;
export const CALLER_MEDIA_PORT = BASE + 26;
export const CALLS_RTP_PORTS = `${BASE + 100}-${BASE + 199}`;
export const CALLS_GATEWAY_URL = `http://127.0.0.1:${CALLS_HTTP_PORT}`;

export const UNREACHABLE_HTTP_PORT = BASE + 30;
export const UNREACHABLE_SIP_PORT = BASE + 31;
/** Nothing listens here: the second gateway's trunk (TCP, so the refusal is seen at once). */
export const DEAD_TRUNK_PORT = BASE + 32;
export const UNREACHABLE_RTP_PORTS = `${BASE + 200}-${BASE + 219}`;
export const UNREACHABLE_GATEWAY_URL = `http://127.0.0.1:${UNREACHABLE_HTTP_PORT}`;
// The audio tests (tests/audio.spec.ts) run their own gateway whose trunk is SIPp on AUDIO_TRUNK_PORT;
// the SIP side's media is SIPp's RTP echo or a Node RTP peer on AUDIO_PEER_PORT.
export const AUDIO_HTTP_PORT = BASE + 40;
export const AUDIO_SIP_PORT = BASE + 41;
export const AUDIO_TRUNK_PORT = BASE + 42;
export const AUDIO_TRUNK_MEDIA_PORT = BASE + 44;
export const AUDIO_PEER_PORT = BASE + 48; // SIPp takes its media port to +3 (RTCP, video)
export const AUDIO_RTP_PORTS = `${BASE + 220}-${BASE + 259}`;
export const AUDIO_GATEWAY_URL = `http://127.0.0.1:${AUDIO_HTTP_PORT}`;

/** Every gateway's one WebRTC UDP port (DIALER_WEBRTC_PORT): its HTTP port + 300, clear of the ranges above. */
export const webRtcPortOf = (httpPort) => httpPort + 300;

/** Ring timeout of the call gateways: short, so the no-answer test is quick. */
export const RING_TIMEOUT_S = 5;

// PBX mode (tests/pbx.spec.ts): a gateway without a trunk, Kamailio as the PBX, baresip as the
// other phone. With E2E_PORT_BASE=28080 all of these stay inside 25000-29999.
export const PBX_HTTP_PORT = BASE + 40;
export const PBX_SIP_PORT = BASE + 41;
export const KAMAILIO_PORT = BASE + 42;
export const BARESIP_SIP_PORT = BASE + 44;
export const BARESIP_CTRL_PORT = BASE + 46;
export const PBX_RTP_PORTS = `${BASE + 220}-${BASE + 239}`;
export const BARESIP_RTP_PORTS = `${BASE + 240}-${BASE + 249}`;
export const PBX_GATEWAY_URL = `http://127.0.0.1:${PBX_HTTP_PORT}`;

// Fault tests (tests/faults.spec.ts): their own gateway (restarted on the same ports and data
// directory by the gateway tests), SIPp as its trunk or as a caller, and a Node RTP tone peer as
// the far end's media. A TCP proxy in front of the gateway's HTTP port carries the dialer's
// WebSocket when a test drops it. DIALER_RTP_TIMEOUT_S is short so that timeouts are quick.
export const FAULTS_HTTP_PORT = BASE + 50;
export const FAULTS_SIP_PORT = BASE + 51;
export const FAULTS_TRUNK_PORT = BASE + 52;
export const FAULTS_TRUNK_MEDIA_PORT = BASE + 54; // SIPp binds +54 to +57
export const FAULTS_PEER_PORT = BASE + 58;
export const FAULTS_PROXY_PORT = BASE + 59;
export const FAULTS_CALLER_PORT = BASE + 60;
export const FAULTS_CALLER_MEDIA_PORT = BASE + 62; // SIPp binds +62 to +65
export const FAULTS_RTP_PORTS = `${BASE + 260}-${BASE + 299}`;
export const FAULTS_GATEWAY_URL = `http://127.0.0.1:${FAULTS_HTTP_PORT}`;
export const FAULTS_PROXY_URL = `http://127.0.0.1:${FAULTS_PROXY_PORT}`;
export const FAULTS_RTP_TIMEOUT_S = 6;

// Toll fraud (tests/toll-fraud.spec.ts): a gateway with the default destination policy and SIPp as
// its trunk, to show a refused number never reaches the trunk.
export const TOLL_HTTP_PORT = BASE + 70;
export const TOLL_SIP_PORT = BASE + 71;
export const TOLL_TRUNK_PORT = BASE + 72;
export const TOLL_TRUNK_MEDIA_PORT = BASE + 74; // SIPp binds +74 to +77
export const TOLL_RTP_PORTS = `${BASE + 400}-${BASE + 419}`;
export const TOLL_GATEWAY_URL = `http://127.0.0.1:${TOLL_HTTP_PORT}`;
// Sign-in flood test (tests/security-flood.spec.ts): its own gateway, so its tight limits touch no
// other test. WebRTC port base+900 and SIP port base+901 (webRtcPortOf) stay inside a 1000-port range.
export const FLOOD_HTTP_PORT = BASE + 600;
export const FLOOD_GATEWAY_URL = `http://127.0.0.1:${FLOOD_HTTP_PORT}`;

// Carrier behaviour (tests/carrier.spec.ts): its own gateway, SIPp as the trunk, a Node RTP peer as the
// carrier's early media. WebRTC port base+950 (webRtcPortOf).
export const CARRIER_HTTP_PORT = BASE + 650;
export const CARRIER_SIP_PORT = BASE + 651;
export const CARRIER_TRUNK_PORT = BASE + 652;
export const CARRIER_TRUNK_MEDIA_PORT = BASE + 654; // SIPp binds +654 to +657
export const CARRIER_PEER_PORT = BASE + 658;
export const CARRIER_RTP_PORTS = `${BASE + 660}-${BASE + 679}`;
export const CARRIER_GATEWAY_URL = `http://127.0.0.1:${CARRIER_HTTP_PORT}`;
// A 200 OK answering from another port/codec than the 183 (tests/answer-elsewhere.spec.ts) keeps its own ports
// in the spec, all in base+2100..2199 (WebRTC base+2150).
// The operations test (tests/operations.spec.ts): a gateway with metrics and webhooks, SIPp as its trunk,
// a webhook receiver in the test, and the npm-bundled host page.
export const OPS_HTTP_PORT = BASE + 80;
export const OPS_SIP_PORT = BASE + 81;
export const OPS_TRUNK_PORT = BASE + 82;
export const OPS_TRUNK_MEDIA_PORT = BASE + 84; // SIPp binds +84 to +87
export const OPS_WEBHOOK_PORT = BASE + 88;
export const OPS_METRICS_PORT = BASE + 89;
export const OPS_NPM_HOST_PORT = BASE + 90;
export const OPS_RTP_PORTS = `${BASE + 420}-${BASE + 439}`;
// PBX mode with linphone-cli as the other phone (tests/pbx-linphone.spec.ts): its own gateway, Kamailio and
// linphonec, all in the block base+1200..1299 (WebRTC port set explicitly, not webRtcPortOf).
export const LINPHONE_GW_HTTP_PORT = BASE + 1200;
export const LINPHONE_GW_SIP_PORT = BASE + 1201;
export const LINPHONE_KAMAILIO_PORT = BASE + 1202;
export const LINPHONE_SIP_PORT = BASE + 1204;
export const LINPHONE_GW_WEBRTC_PORT = BASE + 1205;
export const LINPHONE_RTP_PORT = BASE + 1206; // RTP and RTCP: +1206, +1207
export const LINPHONE_GW_RTP_PORTS = `${BASE + 1220}-${BASE + 1239}`;
export const LINPHONE_GATEWAY_URL = `http://127.0.0.1:${LINPHONE_GW_HTTP_PORT}`;
