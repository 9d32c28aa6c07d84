import { strings } from '../strings';
import { el } from './dom';

export interface NetworkNotice {
  root: HTMLElement;
  /** Says what the network blocks and what to open, or hides the notice (`null`). */
  show(message: string | null): void;
}

/** "The network blocks call audio": shown when a call ended with `media_failed`. */
export function networkNotice(): NetworkNotice {
  const root = el('div', { class: 'mic-notice network-notice', role: 'alert', hidden: true });
  const show = (message: string | null) => {
    root.hidden = message === null;
    if (message === null) {
      root.replaceChildren();
      return;
    }
    const dismiss = el('button', { type: 'button', class: 'dismiss' }, strings.dismiss);
    dismiss.addEventListener('click', () => show(null));
    root.replaceChildren(el('h2', {}, strings.networkHeading), el('p', {}, message), dismiss);
  };
  return { root, show };
}
