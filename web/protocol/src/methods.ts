import { isPlainObject } from './checks';
import { isWireUser, type WireUser } from './events';

/** `{ signed_in, user }`: the result of `getAuthState` and `setToken`. */
export interface AuthState {
  signed_in: boolean;
  user: WireUser | null;
}

/** The methods the SDK may call on the dialer: params and result of each (protocol.md, part 1). */
export interface DialerMethods {
  placeCall: { params: { to: string }; result: null };
  getAuthState: { params: Record<string, never>; result: AuthState };
  setToken: { params: { token: string }; result: AuthState };
  signOut: { params: Record<string, never>; result: null };
}

export type MethodName = keyof DialerMethods;
export type MethodParams<M extends MethodName> = DialerMethods[M]['params'];
export type MethodResult<M extends MethodName> = DialerMethods[M]['result'];

export const METHOD_NAMES: readonly MethodName[] = ['placeCall', 'getAuthState', 'setToken', 'signOut'];

export function isMethodName(value: unknown): value is MethodName {
  return (METHOD_NAMES as readonly unknown[]).indexOf(value) !== -1;
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
    default:
      return true;
  }
}

export function isAuthState(value: unknown): value is AuthState {
  return isPlainObject(value) && typeof value.signed_in === 'boolean' && (value.user === null || isWireUser(value.user));
}
