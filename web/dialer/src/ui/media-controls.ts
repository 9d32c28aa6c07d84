import { DTMF_DIGITS_PATTERN } from '@opendialer/protocol';
import type { MediaView } from '../media/call-audio';
import { strings } from '../strings';
import { el } from './dom';

export interface MediaActions {
  mute(muted: boolean): Promise<void>;
  hold(held: boolean): Promise<void>;
  sendDtmf(digits: string): Promise<void>;
  enableAudio(): Promise<void>;
  takeOver(): Promise<void>;
}

export interface MediaControls {
  root: HTMLElement;
  update(view: MediaView): void;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/**
 * Mute/Unmute, Hold/Resume and a DTMF keypad for an answered call with audio, the "Click to
 * enable call audio" button while the browser blocks the far end's audio, and for a call whose
 * audio is in another tab "On a call in another tab" with "Take the call here". The elements live as
 * long as the panel and are updated in place, so focus stays on the pressed button.
 */
export function mediaControls(actions: MediaActions): MediaControls {
  let view: MediaView | null = null;
  const error = el('p', { class: 'media-error error', role: 'alert' });
  const run = (button: HTMLButtonElement | null, action: () => Promise<void>) => {
    if (button) button.disabled = true;
    error.textContent = '';
    action()
      .catch((e: Error & { errorName?: string }) => {
        // Microphone problems get their own notice with the fix.
        if (e.errorName !== 'MicrophonePermissionError') error.textContent = e.message;
      })
      .finally(() => {
        if (button) button.disabled = false;
      });
  };

  const enable = el('button', { type: 'button', class: 'enable-audio', 'data-action': 'enableAudio', hidden: true }, strings.enableAudio);
  enable.addEventListener('click', () => run(enable, actions.enableAudio));

  const takeOver = el('button', { type: 'button', class: 'take-over', 'data-action': 'takeOver', hidden: true }, strings.takeOverAudio);
  takeOver.addEventListener('click', () => run(takeOver, actions.takeOver));

  const mute = el('button', { type: 'button', class: 'media-action mute', 'data-action': 'mute', 'aria-pressed': 'false' }, strings.mute);
  mute.addEventListener('click', () => run(mute, () => actions.mute(!view?.muted)));
  const hold = el('button', { type: 'button', class: 'media-action hold', 'data-action': 'hold', 'aria-pressed': 'false' }, strings.hold);
  hold.addEventListener('click', () => run(hold, () => actions.hold(!view?.held)));

  const sent = el('output', { class: 'dtmf-sent', 'aria-live': 'polite' });
  const keys = KEYS.map((key) => {
    const button = el('button', { type: 'button', class: 'dtmf-key', 'data-key': key, 'aria-label': strings.keypadKey(key) }, key);
    button.addEventListener('click', () => send(key));
    return button;
  });
  const keypad = el(
    'div',
    { id: 'dtmf-keypad', class: 'dtmf-keypad', role: 'group', 'aria-label': strings.keypadLabel, hidden: true },
    el('div', { class: 'dtmf-keys' }, ...keys),
    el('p', { class: 'dtmf-readout' }, strings.tonesSent, ' ', sent),
  );
  // Typing a key while the keypad has focus sends it too.
  keypad.addEventListener('keydown', (e) => {
    if (e.key.length === 1 && DTMF_DIGITS_PATTERN.test(e.key) && e.key !== ',' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      send(e.key.toUpperCase());
    }
  });
  let typed = '';
  const send = (key: string) =>
    run(null, () =>
      actions.sendDtmf(key).then(() => {
        typed = (typed + key).slice(-32);
        sent.textContent = typed;
      }),
    );

  const toggle = el(
    'button',
    { type: 'button', class: 'media-action keypad', 'data-action': 'keypad', 'aria-expanded': 'false', 'aria-controls': 'dtmf-keypad' },
    strings.keypad,
  );
  toggle.addEventListener('click', () => {
    keypad.hidden = !keypad.hidden;
    toggle.setAttribute('aria-expanded', String(!keypad.hidden));
  });

  const status = el('p', { class: 'media-status', 'aria-live': 'polite' });
  const row = el('div', { class: 'media-actions', hidden: true }, mute, hold, toggle);
  const elsewhere = el('p', { class: 'media-elsewhere', hidden: true }, strings.onCallElsewhere);
  const root = el('div', { class: 'media-controls' }, enable, elsewhere, takeOver, row, status, keypad, error);

  const update = (next: MediaView) => {
    const callChanged = view?.callId !== next.callId;
    view = next;
    enable.hidden = !next.blocked;
    takeOver.hidden = !next.takeOver;
    elsewhere.hidden = !next.elsewhere;
    row.hidden = !next.active;
    mute.textContent = next.muted ? strings.unmute : strings.mute;
    mute.setAttribute('aria-pressed', String(next.muted));
    hold.textContent = next.held ? strings.resume : strings.hold;
    hold.setAttribute('aria-pressed', String(next.held));
    status.textContent = next.active ? [next.held ? strings.onHold : '', next.muted ? strings.mutedNote : ''].filter(Boolean).join(' · ') : '';
    if (!next.active || callChanged) {
      keypad.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
    }
    if (callChanged) {
      typed = '';
      sent.textContent = '';
      error.textContent = '';
    }
  };
  return { root, update };
}
