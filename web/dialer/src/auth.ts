import { isWsSignInResult, type AuthState, type WireUser, type WsSignInResult } from '@opendialer/protocol';

export const STORAGE_KEY = 'opendialer.session';

/** What `signIn`, `signInWithToken` and `resume` answer. */
export type SignInResult = WsSignInResult;
export const isSignInResult = isWsSignInResult;

/**
 * Session state of the signed-in user. The token lives in localStorage (partitioned per embedding
 * site by the browser), so a reload can `resume` the session.
 */
export class AuthSession {
  private currentUser: WireUser | null = null;
  private token: string | null = null;

  constructor(private readonly storage: Storage | null) {}

  get user(): WireUser | null {
    return this.currentUser;
  }

  get signedIn(): boolean {
    return this.currentUser !== null;
  }

  storedToken(): string | null {
    if (this.token) return this.token;
    try {
      const raw = this.storage?.getItem(STORAGE_KEY);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Partial<WsSignInResult['session']>;
      return typeof parsed.token === 'string' && parsed.token ? parsed.token : null;
    } catch {
      return null;
    }
  }

  accept(result: SignInResult): void {
    this.currentUser = result.user;
    this.token = result.session.token;
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(result.session));
    } catch {
      // Storage may be blocked for third-party frames; the session then lasts as long as the page.
    }
  }

  clear(): void {
    this.currentUser = null;
    this.token = null;
    try {
      this.storage?.removeItem(STORAGE_KEY);
    } catch {
      // See accept().
    }
  }

  snapshot(): AuthState {
    return { signed_in: this.signedIn, user: this.currentUser };
  }
}
