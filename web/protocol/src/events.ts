import { isOneOf, isPlainObject, isStringOrNull, isTimestamp, type PlainObject } from './checks';

export const CALL_STATES = ['connecting', 'answered', 'disconnected'] as const;
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CALL_RESULTS = ['answered', 'not_answered'] as const;
export const AUTH_STATE_REASONS = ['signed_in', 'signed_out', 'expired', 'revoked', 'restored'] as const;
export const CONNECTION_STATES = ['connecting', 'connected', 'disconnected'] as const;
/** Why a call ended (protocol.md, parts 3 to 5); set together with `state: "disconnected"`. */
export const END_REASONS = [
  'busy',
  'declined',
  'no_answer',
  'canceled',
  'failed',
  'unreachable',
  'local_hangup',
  'remote_hangup',
  'answered_elsewhere',
  'media_timeout',
  'connection_lost',
  'media_failed',
  'gateway_shutdown',
  'gateway_restart',
  'session_expired',
  'transferred',
] as const;

export type WireCallState = (typeof CALL_STATES)[number];
export type WireCallDirection = (typeof CALL_DIRECTIONS)[number];
export type WireCallResult = (typeof CALL_RESULTS)[number];
export type AuthStateReason = (typeof AUTH_STATE_REASONS)[number];
export type ConnectionState = (typeof CONNECTION_STATES)[number];
export type EndReason = (typeof END_REASONS)[number];

/**
 * The seed's `Call` with ISO-8601 strings for times, plus `end_reason` and `seq` (protocol.md,
 * part 3). `end_reason` is typed as a string on the wire: a newer gateway may add reasons, and an
 * event must not be dropped for that (receivers map unknown reasons with `isEndReason`).
 */
export interface WireCall {
  id: string;
  state: WireCallState;
  direction: WireCallDirection;
  result: WireCallResult | null;
  from: string | null;
  to: string | null;
  caller: { caller_display_name: string | null };
  start_time: string;
  answer_time: string | null;
  end_time: string | null;
  end_reason: string | null;
  /** 1, 2, 3... per call: a receiver drops an event whose `seq` is not newer than the last it used. */
  seq: number;
  /** `true` on a blind transfer's caller offered back to the user (the target did not take it); else absent. */
  recall?: boolean;
}

/** The signed-in user, both on the postMessage and the WebSocket channel. */
export interface WireUser {
  username: string;
  display_name: string;
  extension: string;
  number: string | null;
}

/** `{ type: "callStateChanged", call }`: the latest accumulated state of one call. */
export interface CallStateChangedEvent {
  type: 'callStateChanged';
  call: WireCall;
}

/** `{ type: "authStateChanged", signed_in: false, user: null, reason: "expired" }` */
export interface AuthStateChangedEvent {
  type: 'authStateChanged';
  signed_in: boolean;
  user: WireUser | null;
  reason: AuthStateReason;
}

/** `{ type: "connectionStateChanged", state: "connected" }`: the dialer's WebSocket. */
export interface ConnectionStateChangedEvent {
  type: 'connectionStateChanged';
  state: ConnectionState;
}

/** `{ type: "tokenRequested" }`: the dialer needs a (new) token from the host's `getToken`. */
export interface TokenRequestedEvent {
  type: 'tokenRequested';
}

/**
 * `{ type: "audioPlaybackBlocked", blocked: true }`: the browser refused to start the far end's
 * audio (autoplay policy) and the dialer shows a button to start it; `blocked: false` once it plays.
 */
export interface AudioPlaybackBlockedEvent {
  type: 'audioPlaybackBlocked';
  blocked: boolean;
}

/** One leg's figures in a `callQuality` event; `null` where not measured (yet). */
export interface LegQuality {
  mos: number | null;
  jitter_ms: number | null;
  packet_loss_pct: number | null;
  rtt_ms: number | null;
}

export const QUALITY_WARNINGS = ['high_packet_loss', 'high_jitter', 'high_rtt', 'low_mos'] as const;
export type QualityWarning = (typeof QUALITY_WARNINGS)[number];

/**
 * `callQuality` (docs/call-quality.md): about every 5 s while a call is answered with its audio in
 * this dialer. The top-level figures are the worse of the two legs; `legs` gives both.
 */
export interface CallQualityEvent extends LegQuality {
  type: 'callQuality';
  call_id: string;
  warnings: QualityWarning[];
  legs: { browser: LegQuality; sip: LegQuality | null };
}

export type DialerEvent =
  | CallQualityEvent
  | CallStateChangedEvent
  | AuthStateChangedEvent
  | ConnectionStateChangedEvent
  | TokenRequestedEvent
  | AudioPlaybackBlockedEvent;

export type DialerEventType = DialerEvent['type'];

export const EVENT_TYPES: readonly DialerEventType[] = [
  'callStateChanged',
  'authStateChanged',
  'connectionStateChanged',
  'tokenRequested',
  'audioPlaybackBlocked',
  'callQuality',
];

export function isEndReason(value: unknown): value is EndReason {
  return isOneOf(END_REASONS, value);
}

export function isWireUser(value: unknown): value is WireUser {
  return (
    isPlainObject(value) &&
    typeof value.username === 'string' &&
    typeof value.display_name === 'string' &&
    typeof value.extension === 'string' &&
    isStringOrNull(value.number)
  );
}

export function isWireCall(value: unknown): value is WireCall {
  return (
    isPlainObject(value) &&
    typeof value.id === 'string' &&
    value.id.length > 0 &&
    isOneOf(CALL_STATES, value.state) &&
    isOneOf(CALL_DIRECTIONS, value.direction) &&
    (value.result === null || isOneOf(CALL_RESULTS, value.result)) &&
    isStringOrNull(value.from) &&
    isStringOrNull(value.to) &&
    isPlainObject(value.caller) &&
    isStringOrNull(value.caller.caller_display_name) &&
    isTimestamp(value.start_time) &&
    (value.answer_time === null || isTimestamp(value.answer_time)) &&
    (value.end_time === null || isTimestamp(value.end_time)) &&
    isStringOrNull(value.end_reason) &&
    typeof value.seq === 'number' &&
    Number.isSafeInteger(value.seq) &&
    value.seq > 0 &&
    (value.recall === undefined || typeof value.recall === 'boolean')
  );
}

export function isCallStateChangedEvent(value: unknown): value is CallStateChangedEvent {
  return isPlainObject(value) && value.type === 'callStateChanged' && isWireCall(value.call);
}

export function isAuthStateChangedEvent(value: unknown): value is AuthStateChangedEvent {
  return (
    isPlainObject(value) &&
    value.type === 'authStateChanged' &&
    typeof value.signed_in === 'boolean' &&
    (value.user === null || isWireUser(value.user)) &&
    isOneOf(AUTH_STATE_REASONS, value.reason)
  );
}

export function isConnectionStateChangedEvent(value: unknown): value is ConnectionStateChangedEvent {
  return (
    isPlainObject(value) &&
    value.type === 'connectionStateChanged' &&
    isOneOf(CONNECTION_STATES, value.state)
  );
}

export function isTokenRequestedEvent(value: unknown): value is TokenRequestedEvent {
  return isPlainObject(value) && value.type === 'tokenRequested';
}

export function isAudioPlaybackBlockedEvent(value: unknown): value is AudioPlaybackBlockedEvent {
  return isPlainObject(value) && value.type === 'audioPlaybackBlocked' && typeof value.blocked === 'boolean';
}

const isFigure = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

export function isLegQuality(value: unknown): value is LegQuality {
  return isPlainObject(value) && isFigure(value.mos) && isFigure(value.jitter_ms) && isFigure(value.packet_loss_pct) && isFigure(value.rtt_ms);
}

function qualityRest(v: PlainObject): boolean {
  const legs = v.legs;
  return (
    Array.isArray(v.warnings) &&
    v.warnings.every((w: unknown) => isOneOf(QUALITY_WARNINGS, w)) &&
    isPlainObject(legs) &&
    isLegQuality(legs.browser) &&
    (legs.sip === null || isLegQuality(legs.sip))
  );
}

export function isCallQualityEvent(value: unknown): value is CallQualityEvent {
  return (
    isPlainObject(value) &&
    isLegQuality(value) &&
    (value as PlainObject).type === 'callQuality' &&
    typeof (value as PlainObject).call_id === 'string' &&
    qualityRest(value as PlainObject)
  );
}

/** A known event with every field of the right type. Unknown event types are not `DialerEvent`s. */
export function isDialerEvent(value: unknown): value is DialerEvent {
  return (
    isCallQualityEvent(value) ||
    isCallStateChangedEvent(value) ||
    isAuthStateChangedEvent(value) ||
    isConnectionStateChangedEvent(value) ||
    isTokenRequestedEvent(value) ||
    isAudioPlaybackBlockedEvent(value)
  );
}
