import { DialerError } from './errors';
import { strings } from './strings';

export const MAX_NUMBER_LENGTH = 64;

/**
 * The local part of the number rules (docs/protocol.md): a non-empty string of at most 64
 * characters. Whether it is a valid number is the gateway's libphonenumber check.
 */
export function validateCallTarget(to: unknown): string {
  if (typeof to !== 'string' || to.trim() === '') {
    throw new DialerError('InvalidPhoneNumberError', strings.errors.invalidNumber);
  }
  if (to.length > MAX_NUMBER_LENGTH) {
    throw new DialerError('InvalidPhoneNumberError', strings.errors.numberTooLong);
  }
  return to.trim();
}
