import { describe, expect, it } from 'vitest';
import { cut, neutralised, shownText, SHOWN_MAX } from '../src/display-text';

describe('shownText', () => {
  it('cuts a 10,000-character name to 64 characters ending in "…", with the name (up to 1024) in the title', () => {
    const shown = shownText('A'.repeat(10_000));
    expect(Array.from(shown.text)).toHaveLength(SHOWN_MAX);
    expect(shown.text.endsWith('…')).toBe(true);
    expect(shown.title).toHaveLength(1024);
  });
  it('leaves a short name alone, with no title', () => {
    expect(shownText('Alice Liddell')).toEqual({ text: 'Alice Liddell', title: null });
  });
  it('removes every bidi control (U+202A-202E, U+2066-2069, U+200E/F) and control characters', () => {
    const controls = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u0000\u001B\u007F\u0085';
    expect(neutralised(`Ev${controls}il gnp.exe`)).toBe('Evil gnp.exe');
    expect(shownText('\u202Eexe.gnp').text).toBe('exe.gnp');
  });
  it('never cuts inside a surrogate pair', () => {
    const text = '😀'.repeat(100);
    const shown = cut(text, 10);
    expect(Array.from(shown)).toHaveLength(10);
    expect(shown).toBe(`${'😀'.repeat(9)}…`);
  });
});
