import { isPlainObject } from './checks';
import { isWireUser, type WireUser } from './events';

/** `{ signed_in, user }`: the result of `getAuthState` and `setToken`. */
export interface AuthState {
  signed_in: boolean;
  user: WireUser | null;
}

/** `hangUp`, `answer`, `reject`: the call to act on; without `call_id`, the user's current call. */
export interface CallIdParams {
  call_id?: string;
}

/**
 * `transfer` (protocol.md part 7): blind transfer of the answered call `call_id` (without it, the
 * call the user talks on) to `to`, an extension or a phone number; or, with `to_call_id` instead of
 * `to`, attended transfer: joins the held call `call_id` with the user's consultation call `to_call_id`.
 * Exactly one of `to` and `to_call_id`.
 */
export interface TransferParams extends CallIdParams {
  to?: string;
  to_call_id?: string;
}

/** Whether `params` names exactly one transfer target: `to` or `to_call_id`, a non-empty string. */
export function hasOneTransferTarget(params: Record<string, unknown>): boolean {
  const to = params.to;
  const toCallId = params.to_call_id;
  if (to !== undefined && toCallId !== undefined) return false;
  if (toCallId !== undefined) return typeof toCallId === 'string' && toCallId.length > 0 && toCallId.length <= MAX_CALL_ID_LENGTH;
  return typeof to === 'string';
}

/** `hold`: hold (`true`) or resume (`false`) the call `call_id`, without it the current one. */
export interface HoldParams extends CallIdParams {
  held: boolean;
}

/** Longest `call_id` accepted by `hangUp`, `answer` and `reject`. */
export const MAX_CALL_ID_LENGTH = 256;

/** One audio device of the browser: `id` is its `deviceId`, `label` its name (empty before any microphone permission). */
export interface AudioDevice {
  id: string;
  label: string;
}

/** The result of `getAudioDevices`. */
export interface AudioDeviceList {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
}

/** `setAudioDevices`: device ids from `getAudioDevices`; a missing key keeps the current choice. */
export interface AudioDeviceChoice {
  /** The microphone. */
  input?: string;
  /** Where the call's audio plays. */
  output?: string;
  /** Where the ringtone of incoming calls plays. */
  ringer?: string;
}

/** Longest device id accepted by `setAudioDevices` (browsers use 64 hex characters or "default"). */
export const MAX_DEVICE_ID_LENGTH = 512;

/** The methods the SDK may call on the dialer: params and result of each (protocol.md, parts 1, 3 and 4). */
export interface DialerMethods {
  placeCall: { params: { to: string }; result: null };
  hangUp: { params: CallIdParams; result: null };
  answer: { params: CallIdParams; result: null };
  reject: { params: CallIdParams; result: null };
  getAuthState: { params: Record<string, never>; result: AuthState };
  setToken: { params: { token: string }; result: AuthState };
  signOut: { params: Record<string, never>; result: null };
  mute: { params: { muted: boolean }; result: null };
  hold: { params: HoldParams; result: null };
  transfer: { params: TransferParams; result: null };
  sendDtmf: { params: { digits: string }; result: null };
  getAudioDevices: { params: Record<string, never>; result: AudioDeviceList };
  setAudioDevices: { params: AudioDeviceChoice; result: null };
}

export type MethodName = keyof DialerMethods;
export type MethodParams<M extends MethodName> = DialerMethods[M]['params'];
export type MethodResult<M extends MethodName> = DialerMethods[M]['result'];

export const METHOD_NAMES: readonly MethodName[] = [
  'placeCall',
  'hangUp',
  'answer',
  'reject',
  'getAuthState',
  'setToken',
  'signOut',
  'mute',
  'hold',
  'sendDtmf',
  'getAudioDevices',
  'setAudioDevices',
  'transfer',
];

export function isMethodName(value: unknown): value is MethodName {
  return (METHOD_NAMES as readonly unknown[]).indexOf(value) !== -1;
}

/**
 * `sendDtmf` digits (protocol.md, part 4): 1 to 64 of `0-9`, `A-D`, `*`, `#` and `,` (a two-second
 * pause), in either case.
 */
export const DTMF_DIGITS_PATTERN = /^[0-9A-D*#,]{1,64}$/i;

export function isDtmfDigits(value: unknown): value is string {
  return typeof value === 'string' && DTMF_DIGITS_PATTERN.test(value);
}

/** Longest `to` accepted by `placeCall`, on both channels. */
export const MAX_PHONE_NUMBER_LENGTH = 64;

/**
 * Whether `params` fit `method` (for the dialer, after `isRequestMessage`). Only the types are
 * checked here; `to` is validated as a phone number by the dialer and the gateway.
 */
export function isMethodParams<M extends MethodName>(method: M, params: unknown): params is MethodParams<M> {
  if (!isPlainObject(params)) return false;
  switch (method) {
    case 'placeCall':
      return typeof params.to === 'string';
    case 'setToken':
      return typeof params.token === 'string' && params.token.length > 0;
    case 'hangUp':
    case 'answer':
    case 'reject':
      return isCallIdParams(params);
    case 'mute':
      return typeof params.muted === 'boolean';
    case 'hold':
      return typeof params.held === 'boolean' && isCallIdParams(params);
    case 'transfer':
      return hasOneTransferTarget(params) && isCallIdParams(params);
    case 'sendDtmf':
      return isDtmfDigits(params.digits);
    case 'setAudioDevices':
      return isAudioDeviceChoice(params);
    default:
      return true;
  }
}

export function isAuthState(value: unknown): value is AuthState {
  return isPlainObject(value) && typeof value.signed_in === 'boolean' && (value.user === null || isWireUser(value.user));
}

/** `{}` or `{ call_id }` with a non-empty `call_id` of at most `MAX_CALL_ID_LENGTH` characters. */
export function isCallIdParams(params: unknown): params is CallIdParams {
  if (!isPlainObject(params)) return false;
  const id = params.call_id;
  return id === undefined || (typeof id === 'string' && id.length > 0 && id.length <= MAX_CALL_ID_LENGTH);
}

/** `{ input?, output?, ringer? }`, each a non-empty string of at most `MAX_DEVICE_ID_LENGTH`, nothing else. */
export function isAudioDeviceChoice(value: unknown): value is AudioDeviceChoice {
  if (!isPlainObject(value)) return false;
  return Object.keys(value).every(
    (k) =>
      (k === 'input' || k === 'output' || k === 'ringer') &&
      typeof value[k] === 'string' &&
      (value[k] as string).length > 0 &&
      (value[k] as string).length <= MAX_DEVICE_ID_LENGTH,
  );
}

export function isAudioDeviceList(value: unknown): value is AudioDeviceList {
  const isList = (l: unknown) =>
    Array.isArray(l) && l.every((d) => isPlainObject(d) && typeof d.id === 'string' && typeof d.label === 'string');
  return isPlainObject(value) && isList(value.inputs) && isList(value.outputs);
}
