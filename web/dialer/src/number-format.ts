import type { AsYouType as AsYouTypeClass, CountryCode } from 'libphonenumber-js/min';

// libphonenumber-js (with its metadata, most of the app's JavaScript) is a separate chunk loaded
// after `ready` (loadFormatting), so it costs nothing on the way to ready. Until it is there,
// numbers are shown as they are.
let AsYouType: typeof AsYouTypeClass | null = null;
let loading: Promise<void> | null = null;
const waiting: Array<() => void> = [];

/** Loads the formatter once; resolves when numbers format (or stay as typed, if it failed to load). */
export function loadFormatting(): Promise<void> {
  loading ??= import('./as-you-type').then(
    (m) => {
      AsYouType = m.AsYouType;
      for (const f of waiting.splice(0)) f();
    },
    () => {
      loading = null; // try again next time
    },
  );
  return loading;
}

/** Runs `f` once the formatter has loaded, to reformat what was shown before; never if it already has. */
export function onFormattingLoaded(f: () => void): void {
  if (!AsYouType) waiting.push(f);
}

/** Punctuation people put in phone numbers; none of it matters to the gateway. */
const PUNCTUATION = /[\s\u00a0\u2010-\u2015\-().\/]/g;

/** Two to six digits is an extension (docs/protocol.md, "Number rules"): shown as typed. */
const EXTENSION = /^\d{2,6}$/;

/**
 * What the gateway gets: the number without spaces, dashes, parentheses, dots or slashes, with
 * its leading `+` kept ("+1 (650) 555-0100" → "+16505550100", "tel:+44…" → "+44…"). Anything
 * else is left for the gateway, whose libphonenumber check reports it as invalid.
 */
export function dialString(text: string): string {
  return text.trim().replace(/^tel:/i, '').replace(PUNCTUATION, '');
}

/**
 * The number as it should look while typed or after a paste: formatted for `region` (the
 * gateway's default region, from config.json) or, with a leading `+`, for its country.
 * Extensions and anything that is not a number (letters, `*`, `#`) are left as they are.
 */
export function formatAsTyped(text: string, region: string | undefined): string {
  const plain = dialString(text);
  if (!/^\+?\d+$/.test(plain)) return text; // letters, *, #: the gateway will say what is wrong
  if (EXTENSION.test(plain)) return plain;
  if (!AsYouType) return text;
  return new AsYouType(toCountry(region)).input(plain);
}

function toCountry(region: string | undefined): CountryCode | undefined {
  return region && /^[A-Z]{2}$/.test(region) ? (region as CountryCode) : undefined;
}

/**
 * Where the caret goes after reformatting: after the same number of digits (and `+`) as before,
 * so typing in the middle of "(650) 555-0100" does not throw the caret to the end.
 */
export function caretAfter(formatted: string, significantBefore: number): number {
  if (significantBefore <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < formatted.length; i++) {
    if (/[\d+]/.test(formatted[i])) seen++;
    if (seen === significantBefore) return i + 1;
  }
  return formatted.length;
}

/** The number of digits and `+` in `text` before `caret`. */
export function significantBefore(text: string, caret: number): number {
  return (text.slice(0, caret).match(/[\d+]/g) ?? []).length;
}
