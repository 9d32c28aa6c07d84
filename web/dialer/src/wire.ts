// Envelope shapes and guards of docs/protocol.md, as the dialer uses them.
// Part 1: postMessage with the SDK. Part 2: WebSocket with the gateway.

export const NS = 'net2phone-dialer';
export const VERSION = 1;

export type ErrorName =
  | 'Net2PhoneDialerError'
  | 'InvalidPhoneNumberError'
  | 'OutgoingCallAlreadyRingingError'
  | 'CallInProgressError'
  | 'MicrophonePermissionError'
  | 'AuthenticationError'
  | 'InvalidOptionsError'
  | 'DialerTimeoutError'
  | 'DialerDisposedError'
  | 'ConnectionError';

export interface WireUser {
  username: string;
  display_name: string;
  extension: string;
  number: string | null;
}

export interface HostRequest {
  ns: typeof NS;
  v: typeof VERSION;
  kind: 'request';
  id: string;
  method: string;
  params: Record<string, unknown>;
}

export type DialerEvent =
  | { type: 'callStateChanged'; call: Record<string, unknown> }
  | {
      type: 'authStateChanged';
      signed_in: boolean;
      user: WireUser | null;
      reason: 'signed_in' | 'signed_out' | 'expired' | 'revoked' | 'restored';
    }
  | { type: 'connectionStateChanged'; state: ConnectionState }
  | { type: 'tokenRequested' };

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export type WireError = { name: ErrorName; message: string };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isHostRequest(data: unknown): data is HostRequest {
  return (
    isObject(data) &&
    data.ns === NS &&
    data.v === VERSION &&
    data.kind === 'request' &&
    typeof data.id === 'string' &&
    data.id.length >= 1 &&
    data.id.length <= 64 &&
    typeof data.method === 'string' &&
    isObject(data.params)
  );
}

// Gateway → dialer frames (part 2).
export type GatewayResponse =
  | { v: 1; type: 'response'; id: string | null; ok: true; result: unknown }
  | { v: 1; type: 'response'; id: string | null; ok: false; error: { code: string; message: string } };
export type GatewayEvent = { v: 1; type: 'event'; event: { type: string; [k: string]: unknown } };

export function isGatewayResponse(x: unknown): x is GatewayResponse {
  if (!isObject(x) || x.v !== VERSION || x.type !== 'response') return false;
  if (!(typeof x.id === 'string' || x.id === null)) return false;
  if (x.ok === true) return 'result' in x;
  return x.ok === false && isObject(x.error) && typeof x.error.code === 'string';
}

export function isGatewayEvent(x: unknown): x is GatewayEvent {
  return isObject(x) && x.v === VERSION && x.type === 'event' && isObject(x.event) && typeof x.event.type === 'string';
}

// The WebSocket error code → SDK error name table of docs/protocol.md. Codes not in the table
// (for example `calls_unavailable`) become the base class.
const errorNameByCode: Record<string, ErrorName> = {
  bad_request: 'Net2PhoneDialerError',
  unknown_method: 'Net2PhoneDialerError',
  internal_error: 'Net2PhoneDialerError',
  invalid_phone_number: 'InvalidPhoneNumberError',
  authentication_required: 'AuthenticationError',
  invalid_credentials: 'AuthenticationError',
  outgoing_call_already_ringing: 'OutgoingCallAlreadyRingingError',
  call_in_progress: 'CallInProgressError',
};

export function errorNameForCode(code: string): ErrorName {
  return Object.prototype.hasOwnProperty.call(errorNameByCode, code) ? errorNameByCode[code] : 'Net2PhoneDialerError';
}
