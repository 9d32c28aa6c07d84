import { describe, expect, it } from 'vitest';
import { caretAfter, dialString, formatAsTyped, significantBefore } from '../src/number-format';

describe('formatAsTyped', () => {
  it('formats a national number for the default region as it grows', () => {
    expect(formatAsTyped('6505550', 'US')).toBe('(650) 555-0');
    expect(formatAsTyped('6505550100', 'US')).toBe('(650) 555-0100');
  });

  it('formats an international number for its own country, whatever the default region', () => {
    expect(formatAsTyped('+442079460018', 'US')).toBe('+44 20 7946 0018');
    expect(formatAsTyped('+16505550100', undefined)).toBe('+1 650 555 0100');
  });

  it('keeps extensions of 2 to 6 digits as typed', () => {
    expect(formatAsTyped('201', 'US')).toBe('201');
    expect(formatAsTyped('650555', 'US')).toBe('650555');
  });

  it('reformats a pasted number with spaces, dashes, parentheses and dots, keeping the leading +', () => {
    expect(formatAsTyped('+1 (650) 555.0100', 'US')).toBe('+1 650 555 0100');
    expect(formatAsTyped('650-555-0100', 'US')).toBe('(650) 555-0100');
    expect(formatAsTyped(' 2 0 1 ', 'US')).toBe('201');
  });

  it('leaves text that is not a number alone, for the gateway to reject', () => {
    expect(formatAsTyped('abc', 'US')).toBe('abc');
    expect(formatAsTyped('*72', 'US')).toBe('*72');
  });
});

describe('dialString', () => {
  it('sends the gateway digits with the leading + only', () => {
    expect(dialString('+1 (650) 555-0100')).toBe('+16505550100');
    expect(dialString('(650) 555.0100')).toBe('6505550100');
    expect(dialString('tel:+44 20 7946 0018')).toBe('+442079460018');
    expect(dialString(' 201 ')).toBe('201');
  });
});

describe('caret', () => {
  it('stays after the same digit when formatting inserts punctuation before it', () => {
    // "650555|0" typed in the middle: 6 digits before the caret.
    const formatted = formatAsTyped('6505550', 'US');
    expect(caretAfter(formatted, significantBefore('6505550', 6))).toBe('(650) 555'.length);
    expect(caretAfter(formatted, 0)).toBe(0);
  });
});
