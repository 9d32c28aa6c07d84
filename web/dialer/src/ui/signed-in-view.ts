import { el } from './dom';
import { strings } from '../strings';
import type { ConnectionState, WireUser } from '@opendialer/protocol';

export interface SignedInView {
  root: HTMLElement;
  setConnection(state: ConnectionState): void;
}

const connectionText: Record<ConnectionState, string> = {
  connected: strings.connected,
  connecting: strings.connecting,
  disconnected: strings.offline,
};

/** The signed-in view: who, connection state, a microphone notice, the current call (`callPanel`), a number field and Call, Sign out. */
export function signedInView(
  user: WireUser,
  connection: ConnectionState,
  actions: { call(to: string): Promise<void>; signOut(): void },
  callPanel: HTMLElement,
  micNotice: HTMLElement,
): SignedInView {
  const status = el('p', { class: 'connection', role: 'status' });
  const setConnection = (state: ConnectionState) => {
    status.textContent = connectionText[state];
    status.dataset.state = state;
  };
  setConnection(connection);

  const details = [strings.extension(user.extension), user.number].filter(Boolean).join(' · ');
  const number = el('input', { id: 'phone-number', name: 'to', type: 'tel', autocomplete: 'tel', maxlength: '64' });
  const callButton = el('button', { type: 'submit', class: 'call' }, strings.call);
  const message = el('p', { class: 'call-message', 'aria-live': 'polite' });
  const callForm = el(
    'form',
    { class: 'call-form' },
    el('label', { for: 'phone-number' }, strings.phoneNumber),
    number,
    callButton,
    message,
  );
  callForm.addEventListener('submit', (e) => {
    e.preventDefault();
    callButton.disabled = true;
    message.textContent = strings.calling;
    message.className = 'call-message';
    actions
      .call(number.value)
      .then(() => {
        message.textContent = ''; // the call panel shows the call from here on
      })
      .catch((err: Error & { errorName?: string }) => {
        // A microphone problem is explained, with the fix, in the microphone notice.
        const shown = err.errorName === 'MicrophonePermissionError' ? '' : err.message;
        message.textContent = shown;
        message.className = shown ? 'call-message error' : 'call-message';
      })
      .finally(() => {
        callButton.disabled = false;
      });
  });

  const signOut = el('button', { type: 'button', class: 'sign-out' }, strings.signOut);
  signOut.addEventListener('click', () => actions.signOut());

  const root = el(
    'section',
    { class: 'signed-in' },
    el('header', {}, el('h1', { class: 'user-name' }, user.display_name || user.username), el('p', { class: 'user-details' }, details), status),
    micNotice,
    callPanel,
    callForm,
    signOut,
  );
  return { root, setConnection };
}
