/**
 * Text from the far end (SIP display names, user parts) shown in the dialer: it may be of any
 * length and may carry bidirectional controls that reorder what is shown (U+202E makes
 * "gnp.exe" read as "exe.png"). Everything shown from a call goes through here.
 */

/** Embedding/override (U+202A-202E), isolate (U+2066-2069) and mark (U+200E/F) controls; C0/C1 controls. */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u0000-\u001F\u007F-\u009F]/g;

/** Characters shown at most; longer text ends in "…" and is whole (up to FULL_MAX) in the title. */
export const SHOWN_MAX = 64;
/** What a `title` carries at most, so a 10 MB name cannot bloat the DOM. */
export const FULL_MAX = 1024;

/** The text with bidi and control characters removed (not replaced: nothing invisible stays). */
export function neutralised(text: string): string {
  return text.replace(HIDDEN, '');
}

/** Cut to `max` code points (never inside a surrogate pair), with "…" when anything was cut. */
export function cut(text: string, max: number): string {
  const points = Array.from(text.length > max * 2 + 2 ? text.slice(0, max * 2 + 2) : text);
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

/** What to show, and the whole (neutralised) text for a tooltip when it was cut, else null. */
export function shownText(raw: string, max = SHOWN_MAX): { text: string; title: string | null } {
  const clean = neutralised(raw);
  const text = cut(clean, max);
  return { text, title: text === clean ? null : cut(clean, FULL_MAX) };
}
