import { callPanelModel, type CallAction, type CallPanelModel } from '../call/call-panel-model';
import type { TrackedCall } from '../call/call-book';
import type { MediaView } from '../media/call-audio';
import { onFormattingLoaded } from '../number-format';
import { strings } from '../strings';
import { el } from './dom';
import type { MediaControls } from './media-controls';

export interface CallPanel {
  root: HTMLElement;
  /** Shows `call` (or nothing); call it on every applied state. */
  show(call: TrackedCall | null): void;
  /** Shows the audio of the current call: the media controls and the `data-media-*` attributes. */
  setMedia(view: MediaView): void;
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
 * The current call: the other party, the state in words, a running timer once answered, the
 * buttons of `callPanelModel` and, while the call is live, the media controls. Pressing a button
 * runs `act`; a failure is shown in the panel.
 *
 * For end-to-end tests the panel carries the audio state (read-only, nothing secret):
 * `data-media-state` (the peer connection's state, or `none`), `data-media-ice-state`,
 * `data-media-codec` (`PCMU`/`PCMA`, empty before the answer), `data-media-muted`,
 * `data-media-held`, `data-audio-blocked` (`true`/`false`), `data-media-call-id`,
 * `data-dtmf-sent` (the tones the browser has played out) and `data-audio-elsewhere` (`true` while
 * the answered call is shown read-only because its audio is in another dialer).
 */
export function callPanel(
  act: (action: CallAction, callId: string) => Promise<void>,
  now: () => number = Date.now,
  media: MediaControls | null = null,
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
    const live = model.kind === 'outgoing' || model.kind === 'active';
    const buttons = model.actions.map((action) => {
      const button = el('button', { type: 'button', class: `call-action ${action}`, 'data-action': action }, buttonText[action]);
      button.addEventListener('click', () => {
        buttons.forEach((b) => (b.disabled = true));
        error.textContent = '';
        act(action, model.callId)
          .catch((e: Error & { errorName?: string }) => {
            // Microphone problems get their own notice with the fix.
            if (e.errorName !== 'MicrophonePermissionError') error.textContent = e.message;
          })
          .finally(() => buttons.forEach((b) => (b.disabled = false)));
      });
      return button;
    });
    timerText = model.timer === null ? null : el('span', { class: 'call-timer', 'aria-label': 'Call duration' }, model.timer);
    root.dataset.kind = model.kind;
    root.replaceChildren(
      ...(model.kind === 'incoming' ? [el('h2', { class: 'call-heading' }, model.status)] : []), // "Incoming call", or a transfer recall
      ...(model.name ? [el('p', { class: 'call-name', ...(model.nameTitle ? { title: model.nameTitle } : {}) }, model.name)] : []),
      el('p', { class: 'call-number' }, model.number),
      ...(model.kind === 'incoming'
        ? []
        : [el('p', { class: 'call-status', 'aria-live': 'polite' }, model.status, ...(timerText ? [' ', timerText] : []))]),
      ...(live && media ? [media.root] : []),
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

  const setMedia = (view: MediaView) => {
    const data = root.dataset;
    data.mediaState = view.connection;
    data.mediaIceState = view.ice;
    data.mediaCodec = view.codec ?? '';
    data.mediaMuted = String(view.muted);
    data.mediaHeld = String(view.held);
    data.audioBlocked = String(view.blocked);
    data.mediaCallId = view.callId ?? '';
    data.dtmfSent = view.tonesSent;
    data.audioElsewhere = String(view.elsewhere);
    media?.update(view);
  };

  // A call shown before number formatting loaded (a reloaded tab, another tab) gets its number formatted.
  onFormattingLoaded(() => {
    const number = root.querySelector('.call-number');
    if (tracked && number) number.textContent = callPanelModel(tracked, now()).number;
  });

  return { root, show, setMedia, dispose: stopTimers };
}
