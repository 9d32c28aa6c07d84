import { strings } from '../strings';
import { el } from './dom';

export interface RingtoneNotice {
  root: HTMLElement;
  show(visible: boolean): void;
}

/**
 * "Incoming call — click to hear the ringtone": shown while the browser blocks the ringtone, so an
 * incoming call is never missed silently. The click itself is what lets the browser play it.
 */
export function ringtoneNotice(unblock: () => Promise<void>): RingtoneNotice {
  const button = el('button', { type: 'button', class: 'ringtone-blocked', 'data-action': 'ringtone' }, strings.ringtoneBlocked);
  button.addEventListener('click', () => void unblock().catch(() => undefined));
  const root = el('div', { class: 'ringtone-notice', role: 'alert', hidden: true }, button);
  return {
    root,
    show: (visible) => {
      root.hidden = !visible;
    },
  };
}
