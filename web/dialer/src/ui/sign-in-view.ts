import { el } from './dom';
import { strings } from '../strings';

export interface SignInView {
  root: HTMLElement;
  showError(message: string): void;
}

/**
 * The sign-in form. `onSubmit` resolves on success and rejects with a message to show; `notice`
 * says why the user is here again (the session ended).
 */
export function signInView(onSubmit: (username: string, password: string) => Promise<void>, notice: string | null = null): SignInView {
  const username = el('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', required: true });
  const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = el('button', { type: 'submit' }, strings.signIn);
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-heading' },
    el('h1', { id: 'sign-in-heading' }, strings.signInHeading),
    ...(notice ? [el('p', { class: 'session-ended' }, notice)] : []),
    el('label', { for: 'username' }, strings.username),
    username,
    el('label', { for: 'password' }, strings.password),
    password,
    button,
    error,
  );
  const showError = (message: string) => {
    error.textContent = message;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    showError('');
    button.disabled = true;
    button.textContent = strings.signingIn;
    onSubmit(username.value.trim(), password.value)
      .catch((err: Error) => {
        password.value = '';
        showError(err.message);
        password.focus();
      })
      .finally(() => {
        button.disabled = false;
        button.textContent = strings.signIn;
      });
  });
  return { root: form, showError };
}
