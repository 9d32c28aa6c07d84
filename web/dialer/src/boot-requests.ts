import type { AuthState } from '@opendialer/protocol';

/** What a request needs from the app (DialerApp.handleHostRequest). */
export interface RequestTarget {
  handleHostRequest(method: string, params: Record<string, unknown>): Promise<unknown>;
}

/**
 * Host requests while the dialer starts (main.ts). Without a stored session, getAuthState is
 * answered before the app exists (signed out: nobody can have signed in yet); every other request,
 * and getAuthState once the app exists or when a session may be resumed, waits for the app.
 * `firstRequest` resolves when the first request arrives, so that the app can be built after it.
 */
export class BootRequests {
  private created = false;
  private arrived!: () => void;
  readonly firstRequest = new Promise<void>((resolve) => (this.arrived = resolve));

  constructor(private readonly noSession: boolean, private readonly app: Promise<RequestTarget>) {}

  /** From now on every request goes to the app. */
  appCreated(): void {
    this.created = true;
  }

  handle(method: string, params: Record<string, unknown>): Promise<unknown> {
    this.arrived();
    if (!this.created && this.noSession && method === 'getAuthState') {
      const signedOut: AuthState = { signed_in: false, user: null };
      return Promise.resolve(signedOut);
    }
    return this.app.then((app) => app.handleHostRequest(method, params));
  }
}
