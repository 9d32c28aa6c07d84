/**
 * Names of the SDK error classes: `error.name` in a failed `response` (docs/protocol.md, part 1,
 * "Errors"). The SDK rebuilds the class with the same name; an unknown name becomes
 * `Net2PhoneDialerError`.
 */
export const ERROR_NAMES = [
  'Net2PhoneDialerError',
  'InvalidPhoneNumberError',
  'OutgoingCallAlreadyRingingError',
  'CallInProgressError',
  'MicrophonePermissionError',
  'AuthenticationError',
  'InvalidOptionsError',
  'DialerTimeoutError',
  'DialerDisposedError',
  'ConnectionError',
  'CallNotFoundError',
  'AudioOutputUnsupportedError',
  'DestinationNotAllowedError',
  'CallRateLimitedError',
  'TransferFailedError',
] as const;

export type ErrorName = (typeof ERROR_NAMES)[number];

/** The error carried by a failed `response`: `{ name, message }`. */
export interface WireError {
  name: string;
  message: string;
}

export function isErrorName(value: unknown): value is ErrorName {
  return (ERROR_NAMES as readonly unknown[]).indexOf(value) !== -1;
}
