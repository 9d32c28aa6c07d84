import type { TrackedCall } from '../call/call-book';
import { strings } from '../strings';
import { el } from './dom';

export interface CallSwitcher {
  root: HTMLElement;
  /** Shows the user's other live call (the one on hold), or hides when there is none. */
  show(other: TrackedCall | null): void;
}

/**
 * Call waiting (protocol.md part 7): under the current call, the other live call ("On hold: …")
 * with a Swap button that resumes it, which holds the current one, and a Join button (attended
 * transfer) that joins the held call's party with the current call's; both calls then end.
 */
export function callSwitcher(
  swap: (callId: string) => Promise<void>,
  join: (heldCallId: string) => Promise<void> = () => Promise.resolve(),
): CallSwitcher {
  const root = el('section', { class: 'call-switcher', 'aria-label': strings.transfer.waiting, hidden: true });
  const show = (other: TrackedCall | null) => {
    if (!other) {
      root.hidden = true;
      root.replaceChildren();
      return;
    }
    const call = other.call;
    const who = call.caller.caller_display_name ?? (call.direction === 'inbound' ? call.from : call.to) ?? '';
    const error = el('p', { class: 'call-error error', role: 'alert' });
    const action = (cls: string, label: string, run: (id: string) => Promise<void>) => {
      const button = el('button', { type: 'button', class: `call-action ${cls}`, 'data-call-id': call.id }, label);
      button.addEventListener('click', () => {
        button.disabled = true;
        error.textContent = '';
        run(call.id)
          .catch((e: Error) => (error.textContent = e.message))
          .finally(() => (button.disabled = false));
      });
      return button;
    };
    const buttons = [action('swap', strings.transfer.swap, swap)];
    if (call.state === 'answered') buttons.push(action('join', strings.transfer.join, join));
    root.replaceChildren(el('p', { class: 'call-held' }, `${strings.transfer.onHold}: ${who}`), ...buttons, error);
    root.hidden = false;
  };
  return { root, show };
}
