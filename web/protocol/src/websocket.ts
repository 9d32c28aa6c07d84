import { isOneOf, isPlainObject, isStringOrNull, isTimestamp, type PlainObject } from './checks';
import { isMessageId } from './envelope';
import type { ErrorName } from './errors';
import { AUTH_STATE_REASONS, isLegQuality, isWireCall, isWireUser, type AuthStateReason, type LegQuality, type WireCall, type WireUser } from './events';
import type { CallIdParams } from './methods';

/** WebSocket frames between the dialer and the gateway (protocol.md, part 2). */
export const WS_PROTOCOL_VERSION = 1;
export const WS_PATH = '/ws';
/** Larger text frames, and every binary frame, are answered with `bad_request`. */
export const WS_MAX_FRAME_BYTES = 64 * 1024;

export interface WsSession {
  token: string;
  /** ISO-8601 */
  expires_at: string;
}

export interface WsSignInResult {
  session: WsSession;
  user: WireUser;
}

/** Longest SDP accepted in `placeCall`, `answer` and `updateMedia` (protocol.md, part 4). */
export const MAX_SDP_LENGTH = 16 * 1024;

/** The G.711 codecs the browser offers; `mediaUpdate` names the one the SIP side chose. */
export const MEDIA_CODECS = ['PCMU', 'PCMA'] as const;
export type MediaCodec = (typeof MEDIA_CODECS)[number];

/**
 * The result of the gateway's `placeCall`: the id its `callStateChanged` events will carry, and
 * the gateway's SDP answer to the browser's offer (`null`, or absent from a gateway without
 * audio, when no offer was sent).
 */
export interface WsPlaceCallResult {
  call_id: string;
  sdp?: string | null;
}

/** `placeCall` params: the browser's SDP offer travels with the number (part 4). */
export interface WsPlaceCallParams {
  to: string;
  sdp?: string;
}

/** `answer` params: the call (the dialer always names it) and the browser's SDP offer. */
export interface WsAnswerParams extends CallIdParams {
  sdp?: string;
}

/** The result of `answer` and `updateMedia`: the gateway's SDP answer (`null` without an offer). */
export interface WsSdpResult {
  sdp: string | null;
}

/**
 * A new offer for the call's browser leg: codec change after `mediaUpdate`, ICE restart, reload.
 * Without `take` the offer must come from the leg the call has now (else `media_moved`); with
 * `take: true` it replaces the leg and the dialer that had the audio gets `mediaMoved` (part 5).
 */
export interface WsUpdateMediaParams {
  call_id: string;
  sdp: string;
  take?: boolean;
  /** With `take`: only while no connected dialer carries the audio (a reloaded tab, protocol.md part 5). */
  reattach?: boolean;
}

/**
 * `{ type: "mediaMoved", call_id }`: another dialer took this call's audio (`updateMedia` with
 * `take: true`). The dialer closes its peer connection for the call and shows it read-only.
 */
export interface WsMediaMovedEvent {
  type: 'mediaMoved';
  call_id: string;
}

/** `hello`: the protocol version and, optionally, this browser profile's device id (part 5). */
export interface WsHelloParams {
  protocol: 1;
  device?: string;
}

/** A device id: 1 to 64 of `[A-Za-z0-9_-]`; anything else is `bad_request`. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isDeviceId(value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID_PATTERN.test(value);
}

/** A call the dialer shows that has not ended, with the last `seq` it received. */
export interface WsResumeCall {
  call_id: string;
  seq: number;
}

/** The most calls `resume` may list; more is `bad_request`. */
export const MAX_RESUME_CALLS = 50;

/** `resume`: the session, and the calls whose missed events the gateway sends first (part 5). */
export interface WsResumeParams {
  session_token: string;
  calls?: WsResumeCall[];
}

/** `hold`: re-INVITE with `a=sendonly` (held) or `a=sendrecv` (resumed) toward the SIP side. */
export interface WsHoldParams extends CallIdParams {
  held: boolean;
}

/**
 * `{ type: "mediaUpdate", call_id, codec: "PCMA" }`: the SIP side chose a codec other than the
 * first of the gateway's WebRTC answer; the dialer re-offers with it first (`updateMedia`).
 */
export interface WsMediaUpdateEvent {
  type: 'mediaUpdate';
  call_id: string;
  codec: MediaCodec;
}

/**
 * `transfer` (part 7): blind transfer of the answered call to `to` (an extension or a number), or
 * attended transfer joining it with the user's answered consultation call `to_call_id`; exactly one of the two.
 */
export interface WsTransferParams extends CallIdParams {
  to?: string;
  to_call_id?: string;
}

/**
 * `{ type: "transferFailed", call_id, reason }`: the transfer target did not take the call
 * (`busy`, `declined`, `no_answer`, `unreachable`, `failed`); the call goes on as before (part 7).
 */
export interface WsTransferFailedEvent {
  type: 'transferFailed';
  call_id: string;
  reason: string;
}

/**
 * `{ type: "callProgress", call_id, early_media }`: the far end of an outbound call is ringing (SIP 180/183).
 * `early_media: true` while the far end's own audio (ringback, announcements) is relayed before the answer,
 * `false` when the dialer should play a local ringback tone instead (protocol.md part 4).
 */
export interface WsCallProgressEvent {
  type: 'callProgress';
  call_id: string;
  early_media: boolean;
}

/**
 * `{ type: "sipQuality", call_id, mos, jitter_ms, packet_loss_pct, rtt_ms }`: the SIP leg's figures from the
 * gateway's RTCP, about every 5 s while the call is answered and not held, to the dialer carrying its audio
 * (docs/call-quality.md). The dialer puts them in `callQuality`'s `legs.sip`.
 */
export interface WsSipQualityEvent extends LegQuality {
  type: 'sipQuality';
  call_id: string;
}

/** The gateway's methods: params and result of each. */
export interface WsMethods {
  hello: { params: WsHelloParams; result: { protocol: 1; server: 'opendialer'; version: string } };
  placeCall: { params: WsPlaceCallParams; result: WsPlaceCallResult };
  checkNumber: { params: { to: string }; result: { to: string } };
  hangUp: { params: CallIdParams; result: null };
  answer: { params: WsAnswerParams; result: WsSdpResult | null };
  updateMedia: { params: WsUpdateMediaParams; result: WsSdpResult };
  hold: { params: WsHoldParams; result: null };
  transfer: { params: WsTransferParams; result: Record<string, never> };
  reject: { params: CallIdParams; result: null };
  signIn: { params: { username: string; password: string }; result: WsSignInResult };
  signInWithToken: { params: { token: string }; result: WsSignInResult };
  resume: { params: WsResumeParams; result: WsSignInResult };
  signOut: { params: Record<string, never>; result: null };
  recentCalls: { params: WsRecentCallsParams; result: WsRecentCallsResult };
  mediaConfig: { params: Record<string, never>; result: WsMediaConfigResult };
}

export type WsMethodName = keyof WsMethods;
export type WsMethodParams<M extends WsMethodName> = WsMethods[M]['params'];
export type WsMethodResult<M extends WsMethodName> = WsMethods[M]['result'];

export const WS_METHOD_NAMES: readonly WsMethodName[] = [
  'hello',
  'placeCall',
  'checkNumber',
  'hangUp',
  'answer',
  'updateMedia',
  'hold',
  'transfer',
  'reject',
  'signIn',
  'signInWithToken',
  'resume',
  'signOut',
  'recentCalls',
  'mediaConfig',
];

export const WS_ERROR_CODES = [
  'bad_request',
  'unknown_method',
  'internal_error',
  'invalid_phone_number',
  'authentication_required',
  'invalid_credentials',
  'outgoing_call_already_ringing',
  'call_in_progress',
  'calls_unavailable',
  'call_not_found',
  'media_moved',
  'rate_limited',
  'destination_not_allowed',
  'call_rate_limited',
  'transfer_failed',
  'node_draining',
] as const;

export type WsErrorCode = (typeof WS_ERROR_CODES)[number];

/** How the dialer turns a gateway error code into the name of the SDK error it answers with. */
export const WS_ERROR_CODE_TO_ERROR_NAME: { readonly [C in WsErrorCode]: ErrorName } = {
  bad_request: 'Net2PhoneDialerError',
  unknown_method: 'Net2PhoneDialerError',
  internal_error: 'Net2PhoneDialerError',
  invalid_phone_number: 'InvalidPhoneNumberError',
  authentication_required: 'AuthenticationError',
  invalid_credentials: 'AuthenticationError',
  outgoing_call_already_ringing: 'OutgoingCallAlreadyRingingError',
  call_in_progress: 'CallInProgressError',
  calls_unavailable: 'Net2PhoneDialerError',
  call_not_found: 'CallNotFoundError',
  // Handled inside the dialer (the call is shown read-only); never answered to the host as such.
  media_moved: 'Net2PhoneDialerError',
  // Too many sign-in attempts (from the address, for the username there, or on the gateway): the
  // sign-in failed, so code written against the seed catches it where it catches a wrong password.
  rate_limited: 'AuthenticationError',
  destination_not_allowed: 'DestinationNotAllowedError',
  call_rate_limited: 'CallRateLimitedError',
  transfer_failed: 'TransferFailedError',
  // The node drains (SIGTERM) and placed nothing: the dialer sends the request once more on the node it
  // reconnects to; the host sees this only when that fails too.
  node_draining: 'Net2PhoneDialerError',
};

/** The SDK error name for a gateway error code; codes this version does not know become the base error. */
export function errorNameForWsErrorCode(code: string): ErrorName {
  return isOneOf(WS_ERROR_CODES, code) ? WS_ERROR_CODE_TO_ERROR_NAME[code] : 'Net2PhoneDialerError';
}

export interface WsRequest<M extends string = string> {
  v: typeof WS_PROTOCOL_VERSION;
  type: 'request';
  id: string;
  method: M;
  params: M extends WsMethodName ? WsMethodParams<M> : PlainObject;
}

export interface WsSuccessResponse<R = PlainObject | null> {
  v: typeof WS_PROTOCOL_VERSION;
  type: 'response';
  id: string | null;
  ok: true;
  result: R;
}

export interface WsErrorResponse {
  v: typeof WS_PROTOCOL_VERSION;
  type: 'response';
  id: string | null;
  ok: false;
  error: { code: string; message: string };
}

export type WsResponse<R = PlainObject | null> = WsSuccessResponse<R> | WsErrorResponse;

export interface WsEvent<E extends { type: string } = { type: string; [field: string]: unknown }> {
  v: typeof WS_PROTOCOL_VERSION;
  type: 'event';
  event: E;
}

/** Sent by the gateway when it ends a connection's session (or a sign-in changes it). */
export interface WsAuthStateChangedEvent {
  type: 'authStateChanged';
  signed_in: boolean;
  reason: AuthStateReason;
  user?: WireUser | null;
}

export type WsServerMessage = WsResponse | WsEvent;

function hasWsHeader(data: unknown, type: 'request' | 'response' | 'event'): data is PlainObject {
  return isPlainObject(data) && data.v === WS_PROTOCOL_VERSION && data.type === type;
}

export function isWsRequest(data: unknown): data is WsRequest {
  return (
    hasWsHeader(data, 'request') &&
    isMessageId(data.id) &&
    typeof data.method === 'string' &&
    data.method.length > 0 &&
    isPlainObject(data.params)
  );
}

export function isWsResponse(data: unknown): data is WsResponse {
  if (!hasWsHeader(data, 'response') || !(data.id === null || isMessageId(data.id))) return false;
  if (data.ok === true) return data.result === null || isPlainObject(data.result);
  return (
    data.ok === false &&
    isPlainObject(data.error) &&
    typeof data.error.code === 'string' &&
    typeof data.error.message === 'string'
  );
}

export function isWsEvent(data: unknown): data is WsEvent {
  return (
    hasWsHeader(data, 'event') &&
    isPlainObject(data.event) &&
    typeof data.event.type === 'string' &&
    data.event.type.length > 0
  );
}

export function isWsServerMessage(data: unknown): data is WsServerMessage {
  return isWsResponse(data) || isWsEvent(data);
}

export function isWsAuthStateChangedEvent(value: unknown): value is WsAuthStateChangedEvent {
  return (
    isPlainObject(value) &&
    value.type === 'authStateChanged' &&
    typeof value.signed_in === 'boolean' &&
    isOneOf(AUTH_STATE_REASONS, value.reason) &&
    (value.user === undefined || value.user === null || isWireUser(value.user))
  );
}

export function isWsPlaceCallResult(value: unknown): value is WsPlaceCallResult {
  return (
    isPlainObject(value) &&
    typeof value.call_id === 'string' &&
    value.call_id.length > 0 &&
    (value.sdp === undefined || isStringOrNull(value.sdp))
  );
}

/** `{ sdp }` from `answer` or `updateMedia`; a `null` result (a gateway without audio) is not one. */
export function isWsSdpResult(value: unknown): value is WsSdpResult {
  return isPlainObject(value) && isStringOrNull(value.sdp);
}

export function isMediaCodec(value: unknown): value is MediaCodec {
  return isOneOf(MEDIA_CODECS, value);
}

export function isWsMediaUpdateEvent(value: unknown): value is WsMediaUpdateEvent {
  return (
    isPlainObject(value) &&
    value.type === 'mediaUpdate' &&
    typeof value.call_id === 'string' &&
    value.call_id.length > 0 &&
    isMediaCodec(value.codec)
  );
}

export function isWsSipQualityEvent(value: unknown): value is WsSipQualityEvent {
  return isPlainObject(value) && value.type === 'sipQuality' && typeof value.call_id === 'string' && value.call_id.length > 0 && isLegQuality(value);
}

export function isWsCallProgressEvent(value: unknown): value is WsCallProgressEvent {
  return (
    isPlainObject(value) &&
    value.type === 'callProgress' &&
    typeof value.call_id === 'string' &&
    value.call_id.length > 0 &&
    typeof value.early_media === 'boolean'
  );
}

export function isWsMediaMovedEvent(value: unknown): value is WsMediaMovedEvent {
  return isPlainObject(value) && value.type === 'mediaMoved' && typeof value.call_id === 'string' && value.call_id.length > 0;
}

export function isWsTransferFailedEvent(value: unknown): value is WsTransferFailedEvent {
  return (
    isPlainObject(value) &&
    value.type === 'transferFailed' &&
    typeof value.call_id === 'string' &&
    value.call_id.length > 0 &&
    typeof value.reason === 'string'
  );
}

/** `resume` params as the gateway checks them: a token, and at most 50 calls with a positive integer seq. */
export function isWsResumeParams(value: unknown): value is WsResumeParams {
  if (!isPlainObject(value) || typeof value.session_token !== 'string') return false;
  if (value.calls === undefined) return true;
  return (
    Array.isArray(value.calls) &&
    value.calls.length <= MAX_RESUME_CALLS &&
    value.calls.every(
      (c) => isPlainObject(c) && typeof c.call_id === 'string' && c.call_id.length > 0 && Number.isSafeInteger(c.seq) && (c.seq as number) > 0,
    )
  );
}

export function isWsSignInResult(value: unknown): value is WsSignInResult {
  return (
    isPlainObject(value) &&
    isPlainObject(value.session) &&
    typeof value.session.token === 'string' &&
    isTimestamp(value.session.expires_at) &&
    isWireUser(value.user)
  );
}

/**
 * Parses one text frame from the gateway. Returns `null` for anything that is not a valid
 * server message (the dialer drops it).
 */
export function parseWsServerMessage(text: string): WsServerMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  return isWsServerMessage(data) ? data : null;
}

export function createWsRequest<M extends WsMethodName>(id: string, method: M, params: WsMethodParams<M>): WsRequest<M> {
  return { v: WS_PROTOCOL_VERSION, type: 'request', id, method, params } as WsRequest<M>;
}

/** `recentCalls` (protocol.md, "Recent calls"): at most `limit` (1..100, default 20) calls. */
export interface WsRecentCallsParams {
  limit?: number;
}

/** A call from the call log: a `WireCall` without `seq`. A call in progress has its current state. */
export type LoggedCall = Omit<WireCall, 'seq'>;

/** The signed-in user's calls from the call log, newest first. */
export interface WsRecentCallsResult {
  calls: LoggedCall[];
}

export function isLoggedCall(value: unknown): value is LoggedCall {
  // The WireCall guard with a stand-in seq: the fields are the same otherwise.
  return isPlainObject(value) && isWireCall({ ...value, seq: 1 });
}

/** A `recentCalls` result; entries that are not calls (from a newer gateway) are the caller's to skip. */
export function isWsRecentCallsResult(value: unknown): value is { calls: unknown[] } {
  return isPlainObject(value) && Array.isArray(value.calls);
}

/**
 * `mediaConfig` (protocol.md part 6): TURN servers with credentials minted for this user, to use as the
 * `RTCPeerConnection`'s `iceServers`, and the gateway's media ports, named when no path works.
 */
export interface WsMediaConfigResult {
  ice_servers: { urls: string[]; username: string; credential: string }[];
  /** When the credentials stop working (ISO-8601), or `null` without TURN. */
  ice_servers_expire_at: string | null;
  /** Where the browser's audio goes: `tcp_port` 0 = no ICE-TCP; `turn` whether TURN servers are configured. */
  gateway: { address: string; udp_port: number; tcp_port: number; turn: boolean };
}

export function isWsMediaConfigResult(value: unknown): value is WsMediaConfigResult {
  if (!isPlainObject(value) || !Array.isArray(value.ice_servers) || !isPlainObject(value.gateway)) return false;
  const g = value.gateway;
  const port = (p: unknown) => typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 65535;
  return (
    value.ice_servers.every(
      (s: unknown) =>
        isPlainObject(s) &&
        Array.isArray(s.urls) &&
        s.urls.every((u: unknown) => typeof u === 'string' && /^turns?:/.test(u)) &&
        typeof s.username === 'string' &&
        typeof s.credential === 'string',
    ) &&
    (value.ice_servers_expire_at === null || typeof value.ice_servers_expire_at === 'string') &&
    typeof g.address === 'string' &&
    port(g.udp_port) &&
    port(g.tcp_port) &&
    typeof g.turn === 'boolean'
  );
}
