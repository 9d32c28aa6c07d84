import { isLoggedCall, type LoggedCall } from '@opendialer/protocol';
import { recentCallModel } from '../call/recent-call-model';
import { strings } from '../strings';
import { el } from './dom';

export interface RecentCalls {
  root: HTMLElement;
  /** Shows the call log's calls (newest first); `null` hides the list (not loaded, or it failed). */
  show(calls: readonly unknown[] | null): void;
}

/** How many calls the list shows; the call log may send more. */
export const RECENT_SHOWN = 10;

const ARROWS = { outgoing: '\u2197', incoming: '\u2199', missed: '\u2199' } as const;

/**
 * "Recent calls": one button per call (direction, name or number, time, outcome); pressing it
 * (click, Enter or Space) runs `callBack` with the other party's number. A call whose number was
 * hidden is listed without a button. Its accessible name is only "Call back …", with the details
 * as its description, so that names stay distinct from the call panel's buttons.
 */
export function recentCalls(callBack: (number: string) => void, region?: string, now: () => number = Date.now): RecentCalls {
  const list = el('ul', { class: 'recent-list' });
  const empty = el('p', { class: 'recent-empty' }, strings.noRecentCalls);
  const root = el('section', { class: 'recent-calls', 'aria-labelledby': 'recent-heading', hidden: true },
    el('h2', { id: 'recent-heading' }, strings.recentCalls), empty, list);

  const show = (calls: readonly unknown[] | null) => {
    root.hidden = calls === null;
    const models = (calls ?? []).filter(isLoggedCall).slice(0, RECENT_SHOWN)
      .map((c: LoggedCall) => recentCallModel(c, new Date(now()), region));
    empty.hidden = models.length > 0;
    list.replaceChildren(...models.map((m, i) => {
      const detailsId = `recent-${i}-details`;
      const content = [
        el('span', { class: 'recent-arrow', 'aria-hidden': 'true' }, ARROWS[m.kind]),
        el('span', { class: 'recent-party' }, m.party),
        el('span', { class: 'recent-details', id: detailsId }, `${m.direction} · ${m.time} · ${m.outcome}`),
      ];
      const target = m.callBack;
      if (target === null) return el('li', { class: `recent-call ${m.kind}` }, el('div', { class: 'recent-item' }, ...content));
      const button = el('button', {
        type: 'button', class: 'recent-item', 'data-number': target,
        'aria-label': strings.callBack(m.party), 'aria-describedby': detailsId,
      }, ...content);
      button.addEventListener('click', () => callBack(target));
      return el('li', { class: `recent-call ${m.kind}` }, button);
    }));
  };
  return { root, show };
}
