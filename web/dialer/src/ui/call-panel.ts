import { callPanelModel, type CallAction, type CallPanelModel } from '../call/call-panel-model';
import type { TrackedCall } from '../call/call-book';
import { strings } from '../strings';
import { el } from './dom';

export interface CallPanel {
  root: HTMLElement;
  /** Shows `call` (or nothing); call it on every applied state. */
  show(call: TrackedCall | null): void;
  /** Stops the timers. */
  dispose(): void;
}

/** How long the "Call ended — …" panel stays after the call ended. */
export const ENDED_VISIBLE_MS = 10_000;

const buttonText: Record<CallAction, string> = {
  answer: strings.answer,
  reject: strings.decline,
  hangUp: strings.hangUp,
};

/**
 * The current call: the other party, the state in words, a running timer once answered, and the
 * buttons of `callPanelModel`. Pressing one runs `act`; a failure is shown in the panel.
 */
export function callPanel(
  act: (action: CallAction, callId: string) => Promise<void>,
  now: () => number = Date.now,
): CallPanel {
  const root = el('section', { class: 'call-panel', 'aria-label': 'Call', hidden: true });
  let tracked: TrackedCall | null = null;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;
  let timerText: HTMLElement | null = null;

  const stopTimers = () => {
    clearInterval(ticker);
    clearTimeout(hideTimer);
    ticker = hideTimer = undefined;
  };

  const render = (model: CallPanelModel) => {
    const error = el('p', { class: 'call-error error', role: 'alert' });
    const buttons = model.actions.map((action) => {
      const button = el('button', { type: 'button', class: `call-action ${action}`, 'data-action': action }, buttonText[action]);
      button.addEventListener('click', () => {
        buttons.forEach((b) => (b.disabled = true));
        error.textContent = '';
        act(action, model.callId)
          .catch((e: Error) => {
            error.textContent = e.message;
          })
          .finally(() => buttons.forEach((b) => (b.disabled = false)));
      });
      return button;
    });
    timerText = model.timer === null ? null : el('span', { class: 'call-timer', 'aria-label': 'Call duration' }, model.timer);
    root.dataset.kind = model.kind;
    root.replaceChildren(
      ...(model.kind === 'incoming' ? [el('h2', { class: 'call-heading' }, strings.incomingCall)] : []),
      ...(model.name ? [el('p', { class: 'call-name' }, model.name)] : []),
      el('p', { class: 'call-number' }, model.number),
      ...(model.kind === 'incoming'
        ? []
        : [el('p', { class: 'call-status', 'aria-live': 'polite' }, model.status, ...(timerText ? [' ', timerText] : []))]),
      ...(model.kind === 'ended' ? [] : [el('p', { class: 'call-note' }, strings.noAudioYet)]),
      ...(buttons.length ? [el('div', { class: 'call-actions' }, ...buttons)] : []),
      error,
    );
  };

  const show = (call: TrackedCall | null) => {
    stopTimers();
    tracked = call;
    if (!call) {
      root.hidden = true;
      root.replaceChildren();
      return;
    }
    const model = callPanelModel(call, now());
    render(model);
    root.hidden = false;
    if (model.kind === 'active') {
      ticker = setInterval(() => {
        if (timerText && tracked) timerText.textContent = callPanelModel(tracked, now()).timer;
      }, 1000);
    } else if (model.kind === 'ended') {
      hideTimer = setTimeout(() => show(null), ENDED_VISIBLE_MS);
    }
  };

  return { root, show, dispose: stopTimers };
}
