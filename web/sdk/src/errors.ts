/**
 * The closed set of errors the SDK rejects with. Each class sets `name` explicitly (minifiers
 * rename classes) and restores its prototype, so `instanceof` holds for the class and the base
 * even when compiled to ES5, where `Error.call(this)` returns a fresh object.
 */
export class Net2PhoneDialerError extends Error {
  constructor(message?: string) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'Net2PhoneDialerError';
    this.message = message || '';
  }
}

/** `to` is missing, not a string, too long, or not a valid number or extension. */
export class InvalidPhoneNumberError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'InvalidPhoneNumberError';
  }
}

/** An outgoing call is already ringing. */
export class OutgoingCallAlreadyRingingError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'OutgoingCallAlreadyRingingError';
  }
}

/** The microphone is denied or unavailable. */
export class MicrophonePermissionError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'MicrophonePermissionError';
  }
}

/** The user is not signed in, or the session expired or was revoked. */
export class AuthenticationError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** A constructor option or method argument has the wrong type. */
export class InvalidOptionsError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'InvalidOptionsError';
  }
}

/** The dialer did not become ready, or did not answer a request, in time. */
export class DialerTimeoutError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'DialerTimeoutError';
  }
}

/** The method was called after `dispose()`. */
export class DialerDisposedError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'DialerDisposedError';
  }
}

/** The dialer cannot reach the gateway. */
export class ConnectionError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** Another call is in progress. */
export class CallInProgressError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'CallInProgressError';
  }
}

/**
 * `hangUp`, `answer` or `reject` found no such call, or no current call to act on; `mute`, `hold`
 * or `sendDtmf` found no answered call with audio in this dialer.
 */
export class CallNotFoundError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'CallNotFoundError';
  }
}

/**
 * `setAudioDevices({ output })` or `({ ringer })` where the browser cannot choose where audio plays
 * (no `HTMLMediaElement.setSinkId`, e.g. Safari before 18.4): the choice is refused, never ignored.
 */
export class AudioOutputUnsupportedError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'AudioOutputUnsupportedError';
  }
}

/**
 * `placeCall` to a number the gateway's destination policy refuses (premium rate, shared cost, a
 * blocked prefix or a country not allowed): no call was placed.
 */
export class DestinationNotAllowedError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'DestinationNotAllowedError';
  }
}

/** `placeCall` over the user's limit of calls per minute or per day: no call was placed; try later. */
export class CallRateLimitedError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'CallRateLimitedError';
  }
}

/**
 * `transfer` did not hand the call over; the message says why: the target was busy, declined, did
 * not answer or could not be reached (the caller is still on the call with this user), or the
 * transfer could not start (no answered call, the user themself as target, a transfer already
 * under way, a target the gateway cannot transfer to). The call is untouched.
 */
export class TransferFailedError extends Net2PhoneDialerError {
  constructor(message?: string) {
    super(message);
    this.name = 'TransferFailedError';
  }
}

/** `Net2PhoneDialer.errors`, and the name → class table errors are rebuilt from. */
export const errors = {
  Net2PhoneDialerError,
  InvalidPhoneNumberError,
  OutgoingCallAlreadyRingingError,
  MicrophonePermissionError,
  AuthenticationError,
  InvalidOptionsError,
  DialerTimeoutError,
  DialerDisposedError,
  ConnectionError,
  CallInProgressError,
  CallNotFoundError,
  AudioOutputUnsupportedError,
  DestinationNotAllowedError,
  CallRateLimitedError,
  TransferFailedError,
};

export type Net2PhoneDialerErrors = typeof errors;

/** Rebuilds an error received as `{ name, message }`; an unknown name becomes the base class. */
export function rebuildError(wire: { name: string; message: string }): Net2PhoneDialerError {
  const ErrorClass = Object.prototype.hasOwnProperty.call(errors, wire.name)
    ? errors[wire.name as keyof Net2PhoneDialerErrors]
    : Net2PhoneDialerError;
  return new ErrorClass(wire.message);
}
