import { el } from './dom';
import { strings } from '../strings';

/** The twelve keys of a phone, with the letters printed under the digits. */
export const DIAL_PAD_KEYS: ReadonlyArray<readonly [key: string, letters: string]> = [
  ['1', ''], ['2', 'ABC'], ['3', 'DEF'],
  ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
  ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'],
  ['*', ''], ['0', '+'], ['#', ''],
];

/**
 * The idle dial pad (hidden until its toggle shows it): native buttons, so Tab, Enter and Space
 * work; each press calls `press` with the key's character.
 */
export function dialPad(press: (key: string) => void): HTMLElement {
  const pad = el('div', { id: 'dial-pad', class: 'dial-pad', role: 'group', 'aria-label': strings.dialPadLabel });
  pad.hidden = true;
  for (const [key, letters] of DIAL_PAD_KEYS) {
    const button = el(
      'button',
      { type: 'button', class: 'dial-key', 'data-key': key, 'aria-label': strings.dialPadKey(key, letters) },
      el('span', { class: 'dial-digit' }, key),
      el('span', { class: 'dial-letters', 'aria-hidden': 'true' }, letters),
    );
    button.addEventListener('click', () => press(key));
    pad.append(button);
  }
  return pad;
}
