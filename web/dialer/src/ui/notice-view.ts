import { el } from './dom';
import { strings } from '../strings';

/** A page that explains why the dialer does not operate here. */
export function noticeView(message: string): HTMLElement {
  return el('section', { class: 'notice', role: 'alert' }, el('h1', {}, strings.title), el('p', {}, message));
}
