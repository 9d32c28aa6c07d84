import { strings } from '../strings';
import { el } from './dom';

export interface MicNotice {
  root: HTMLElement;
  /** Shows a microphone problem with its fix, or hides the notice (`null`). */
  show(message: string | null): void;
}

/** "Microphone needed": why a call could not start without the microphone, and how to allow it. */
export function micNotice(): MicNotice {
  const root = el('div', { class: 'mic-notice', role: 'alert', hidden: true });
  const show = (message: string | null) => {
    root.hidden = message === null;
    if (message === null) {
      root.replaceChildren();
      return;
    }
    const dismiss = el('button', { type: 'button', class: 'dismiss' }, strings.dismiss);
    dismiss.addEventListener('click', () => show(null));
    root.replaceChildren(el('h2', {}, strings.microphoneHeading), el('p', {}, message), dismiss);
  };
  return { root, show };
}
