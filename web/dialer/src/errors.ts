import type { ErrorName } from '@opendialer/protocol';

/** An error that crosses to the host page as `{ name, message }` and is rebuilt there. */
export class DialerError extends Error {
  constructor(
    readonly errorName: ErrorName,
    message: string,
    /** The gateway's error code, when the error came from the gateway. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export function toWireError(e: unknown): { name: ErrorName; message: string } {
  if (e instanceof DialerError) return { name: e.errorName, message: e.message };
  return { name: 'Net2PhoneDialerError', message: e instanceof Error ? e.message : String(e) };
}
