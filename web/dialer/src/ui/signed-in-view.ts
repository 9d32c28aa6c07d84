import { el } from './dom';
import { strings } from '../strings';
import { dialString, formatAsTyped, caretAfter, significantBefore, onFormattingLoaded } from '../number-format';
import { recentCalls } from './recent-calls';
import { dialPad } from './dial-pad';
import type { ConnectionState, WireUser } from '@opendialer/protocol';

export interface SignedInView {
  root: HTMLElement;
  setConnection(state: ConnectionState): void;
  /** The call log's recent calls (newest first), or `null` to hide the list. */
  setRecentCalls(calls: readonly unknown[] | null): void;
  /** While a call is live the number field and the recent calls make way for the call panel. */
  setCallLive(live: boolean): void;
}

export interface SignedInParts {
  callPanel: HTMLElement;
  micNotice: HTMLElement;
  ringtoneNotice: HTMLElement;
  /** Audio settings (device-settings.ts), shown under the number field when idle. */
  settings?: HTMLElement;
  /** The call's signal indicator (signal-indicator.ts), beside the connection state. */
  signal?: HTMLElement;
  /** Shown after a call ended with media_failed. */
  networkNotice?: HTMLElement;
}

const connectionText: Record<ConnectionState, string> = {
  connected: strings.connected,
  connecting: strings.connecting,
  disconnected: strings.offline,
};

/**
 * The signed-in view: who, connection state, Sign out, the ringtone and microphone notices, the
 * current call (`callPanel`), a number field that formats as you type, Call, and recent calls.
 * `region` is the gateway's default region (config.json `defaultRegion`) for formatting.
 */
export function signedInView(
  user: WireUser,
  connection: ConnectionState,
  actions: { call(to: string): Promise<void>; signOut(): void },
  parts: SignedInParts,
  region?: string,
): SignedInView {
  const status = el('p', { class: 'connection', role: 'status' });
  const setConnection = (state: ConnectionState) => {
    status.textContent = connectionText[state];
    status.dataset.state = state;
  };
  setConnection(connection);

  const detailsText = () => [strings.extension(user.extension), user.number && formatAsTyped(user.number, region)].filter(Boolean).join(' · ');
  const details = el('p', { class: 'user-details' }, detailsText());
  onFormattingLoaded(() => {
    details.textContent = detailsText();
  });
  const number = el('input', {
    id: 'phone-number', name: 'to', type: 'tel', autocomplete: 'tel', maxlength: '64',
    inputmode: 'tel', 'aria-describedby': 'phone-number-hint',
  });
  number.addEventListener('input', (e) => {
    // Deleting keeps the punctuation where it is, so Backspace never seems to do nothing.
    if ((e as InputEvent).inputType?.startsWith('delete')) return;
    const caret = number.selectionStart ?? number.value.length;
    const atEnd = caret === number.value.length;
    const before = significantBefore(number.value, caret);
    const formatted = formatAsTyped(number.value, region);
    if (formatted === number.value) return;
    number.value = formatted;
    const at = atEnd ? formatted.length : caretAfter(formatted, before);
    number.setSelectionRange(at, at);
  });
  /** Puts `text` in the field the way typing would: through the same formatting. */
  const setNumber = (text: string) => {
    number.value = formatAsTyped(text, region);
  };
  const callButton = el('button', { type: 'submit', class: 'call' }, strings.call);
  const pad = dialPad((key) => setNumber(number.value + key));
  const padToggle = el('button', { type: 'button', class: 'dial-pad-toggle', 'aria-expanded': 'false', 'aria-controls': pad.id }, strings.dialPad);
  padToggle.addEventListener('click', () => {
    pad.hidden = !pad.hidden;
    padToggle.setAttribute('aria-expanded', String(!pad.hidden));
  });
  const message = el('p', { class: 'call-message', 'aria-live': 'polite' });
  const callForm = el(
    'form',
    { class: 'call-form' },
    el('label', { for: 'phone-number' }, strings.phoneNumber),
    el('div', { class: 'dial-row' }, number, callButton),
    el('p', { id: 'phone-number-hint', class: 'hint' }, strings.numberHint),
    padToggle,
    pad,
    message,
  );
  const dial = (to: string) => {
    const target = dialString(to);
    message.className = 'call-message';
    if (target === '') {
      message.textContent = strings.errors.invalidNumber;
      message.className = 'call-message error';
      number.focus();
      return;
    }
    callButton.disabled = true;
    message.textContent = strings.calling;
    actions
      .call(target)
      .then(() => {
        message.textContent = ''; // the call panel shows the call from here on
      })
      .catch((err: Error & { errorName?: string }) => {
        // A microphone problem is explained, with the fix, in the microphone notice.
        const shown =
          err.errorName === 'MicrophonePermissionError' ? '' : err.errorName === 'InvalidPhoneNumberError' ? strings.errors.numberNotValid : err.message;
        message.textContent = shown;
        message.className = shown ? 'call-message error' : 'call-message';
      })
      .finally(() => {
        callButton.disabled = false;
      });
  };
  callForm.addEventListener('submit', (e) => {
    e.preventDefault();
    dial(number.value);
  });

  const recent = recentCalls((to) => {
    setNumber(to);
    dial(to);
  }, region);

  const signOut = el('button', { type: 'button', class: 'sign-out' }, strings.signOut);
  signOut.addEventListener('click', () => actions.signOut());

  const idle = el('div', { class: 'idle' }, callForm, recent.root);
  if (parts.settings) idle.append(parts.settings);
  const root = el(
    'section',
    { class: 'signed-in' },
    el(
      'header',
      {},
      el('div', { class: 'who' }, el('h1', { class: 'user-name' }, user.display_name || user.username), details, status, ...(parts.signal ? [parts.signal] : [])),
      signOut,
    ),
    parts.ringtoneNotice,
    parts.micNotice,
    ...(parts.networkNotice ? [parts.networkNotice] : []),
    parts.callPanel,
    idle,
  );
  return {
    root,
    setConnection,
    setRecentCalls: recent.show,
    setCallLive: (live) => {
      idle.hidden = live;
    },
  };
}
