import { MAX_PHONE_NUMBER_LENGTH } from '@opendialer/protocol';
import { DialerError } from './errors';
import { strings } from './strings';

/**
 * The local part of the number rules (docs/protocol.md): a non-empty string of at most 64
 * characters. Whether it is a valid number is the gateway's libphonenumber check.
 */
export function validateCallTarget(to: unknown): string {
  if (typeof to !== 'string' || to.trim() === '') {
    throw new DialerError('InvalidPhoneNumberError', strings.errors.invalidNumber);
  }
  if (to.length > MAX_PHONE_NUMBER_LENGTH) {
    throw new DialerError('InvalidPhoneNumberError', strings.errors.numberTooLong);
  }
  return to.trim();
}
