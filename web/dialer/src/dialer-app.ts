import { AuthSession, isSignInResult, type SignInResult } from './auth';
import { CallBook } from './call/call-book';
import type { CallAction } from './call/call-panel-model';
import { callPanel, type CallPanel } from './ui/call-panel';
import { DialerError } from './errors';
import { GatewayClient, type SocketLike } from './gateway-client';
import { SessionRenewal } from './session-renewal';
import { strings } from './strings';
import { mount, el } from './ui/dom';
import { signInView } from './ui/sign-in-view';
import { signedInView, type SignedInView } from './ui/signed-in-view';
import { validateCallTarget } from './validation';
import {
  isCallIdParams,
  isCallStateChangedEvent,
  isWsAuthStateChangedEvent,
  type CallIdParams,
  type ConnectionState,
  type DialerEvent,
} from '@opendialer/protocol';

type SignedOutReason = 'signed_out' | 'expired' | 'revoked';

export interface DialerAppOptions {
  root: HTMLElement;
  gatewayUrl: string;
  storage: Storage | null;
  emit: (event: DialerEvent) => void;
  createSocket?: (url: string) => SocketLike;
  /** The clock of the call timer (tests pass a fake one). */
  now?: () => number;
}

/**
 * The dialer's behaviour: answers host requests, keeps the session, and renders the views.
 * The host channel and the gateway client are transports; this is where they meet.
 */
export class DialerApp {
  private readonly auth: AuthSession;
  private readonly gateway: GatewayClient;
  private signedInUi: SignedInView | null = null;
  private readonly calls: CallBook;
  private readonly callUi: CallPanel;
  /** Set once the host has sent `setToken`: it signs in with `getToken`, so ask it for tokens. */
  private hostUsesToken = false;
  private readonly renewal: SessionRenewal;

  constructor(private readonly opts: DialerAppOptions) {
    this.auth = new AuthSession(opts.storage);
    this.renewal = new SessionRenewal(() => void this.renewSession(), opts.now);
    this.calls = new CallBook(opts.now);
    this.callUi = callPanel((action, callId) => this.callAction(action, callId), opts.now);
    this.gateway = new GatewayClient({
      url: opts.gatewayUrl,
      createSocket: opts.createSocket,
      onConnected: (client) => this.handshake(client),
      onEvent: (event) => this.onGatewayEvent(event),
      onStateChange: (state) => this.onConnectionState(state),
    });
  }

  start(): void {
    if (this.auth.storedToken()) {
      mount(this.opts.root, el('p', { class: 'restoring', role: 'status' }, strings.connecting));
    } else {
      this.render();
    }
    this.gateway.start();
  }

  /** Handles a request envelope from the SDK (docs/protocol.md part 1, "Methods"). */
  async handleHostRequest(method: string, params: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'placeCall':
        await this.placeCall(params.to);
        return null;
      case 'hangUp':
      case 'answer':
      case 'reject':
        if (!isCallIdParams(params)) throw new DialerError('InvalidOptionsError', strings.errors.invalidCallId);
        await this.callAction(method, (params as CallIdParams).call_id);
        return null;
      case 'getAuthState':
        await this.gateway.whenReady();
        return this.auth.snapshot();
      case 'setToken':
        return this.setToken(params.token);
      case 'signOut':
        await this.signOut();
        return null;
      default:
        throw new DialerError('Net2PhoneDialerError', `Unknown method "${method}".`);
    }
  }

  private async placeCall(to: unknown): Promise<void> {
    const number = validateCallTarget(to);
    try {
      await this.gateway.request('placeCall', { to: number });
    } catch (e) {
      if (e instanceof DialerError && e.errorName === 'AuthenticationError') this.signedOut('expired');
      throw e;
    }
  }

  /** hangUp, answer, reject: forwarded to the gateway method of the same name (protocol.md, part 3). */
  private async callAction(method: CallAction, callId: string | undefined): Promise<void> {
    try {
      await this.gateway.request(method, callId === undefined ? {} : { call_id: callId });
    } catch (e) {
      if (e instanceof DialerError && e.errorName === 'AuthenticationError') this.signedOut('expired');
      throw e;
    }
  }

  private async setToken(token: unknown): Promise<unknown> {
    this.hostUsesToken = true;
    if (typeof token !== 'string' || token === '') {
      throw new DialerError('AuthenticationError', strings.errors.notSignedIn);
    }
    const result = await this.gateway.request('signInWithToken', { token });
    this.signedIn(expectSignIn(result), 'signed_in');
    return this.auth.snapshot();
  }

  private async signIn(username: string, password: string): Promise<void> {
    let result: unknown;
    try {
      result = await this.gateway.request('signIn', { username, password });
    } catch (e) {
      if (e instanceof DialerError && e.errorName === 'AuthenticationError') throw new Error(strings.wrongCredentials);
      if (e instanceof DialerError && e.errorName === 'ConnectionError') throw new Error(e.message);
      throw new Error(strings.signInFailed);
    }
    this.signedIn(expectSignIn(result), 'signed_in');
  }

  /** Revokes the session on the gateway and forgets it here, even when the gateway is unreachable. */
  private async signOut(): Promise<void> {
    const revoke = this.auth.signedIn ? this.gateway.request('signOut') : Promise.resolve(null);
    this.signedOut('signed_out');
    await revoke;
  }

  private async handshake(client: GatewayClient): Promise<void> {
    await client.send('hello', { protocol: 1 });
    const token = this.auth.storedToken();
    if (!token) return;
    try {
      const result = expectSignIn(await client.send('resume', { session_token: token }));
      const wasSignedIn = this.auth.signedIn;
      this.accept(result);
      if (!wasSignedIn) this.signedIn(result, 'restored');
    } catch (e) {
      if (!(e instanceof DialerError && e.errorName === 'AuthenticationError')) throw e;
      this.signedOut('expired', true);
    }
  }

  private accept(result: SignInResult): void {
    this.auth.accept(result);
    this.renewal.schedule(result.session.expires_at);
  }

  /**
   * Before the session expires: a getToken host is asked for a fresh token (its backend decides
   * whether the user may stay signed in); otherwise the session is resumed, which slides its expiry.
   */
  private async renewSession(): Promise<void> {
    const token = this.auth.storedToken();
    if (!this.auth.signedIn || !token) return;
    if (this.hostUsesToken) {
      this.opts.emit({ type: 'tokenRequested' });
      return;
    }
    try {
      this.accept(expectSignIn(await this.gateway.request('resume', { session_token: token })));
    } catch (e) {
      if (e instanceof DialerError && e.errorName === 'AuthenticationError') this.signedOut('expired');
      else this.renewal.retrySoon();
    }
  }

  private signedIn(result: SignInResult, reason: 'signed_in' | 'restored'): void {
    this.accept(result);
    this.render();
    this.opts.emit({ type: 'authStateChanged', signed_in: true, user: result.user, reason });
  }

  private signedOut(reason: SignedOutReason, force = false): void {
    const had = this.auth.signedIn || this.auth.storedToken() !== null;
    this.renewal.cancel();
    this.auth.clear();
    this.calls.clear();
    this.callUi.show(null);
    if (!had && !force) return;
    this.render();
    this.opts.emit({ type: 'authStateChanged', signed_in: false, user: null, reason });
    // An explicit sign-out must stick: only a session the server ended asks the host for a new token.
    if (this.hostUsesToken && reason !== 'signed_out') this.opts.emit({ type: 'tokenRequested' });
  }

  private onGatewayEvent(event: { type: string; [k: string]: unknown }): void {
    if (isCallStateChangedEvent(event)) {
      // Every event goes to the host, whose SDK drops repeats by seq; the UI applies newer ones only.
      if (this.calls.apply(event.call)) this.callUi.show(this.calls.current());
      this.opts.emit({ type: 'callStateChanged', call: event.call });
    } else if (isWsAuthStateChangedEvent(event) && !event.signed_in) {
      this.signedOut(event.reason === 'revoked' ? 'revoked' : 'expired');
    }
  }

  private onConnectionState(state: ConnectionState): void {
    this.signedInUi?.setConnection(state);
    this.opts.emit({ type: 'connectionStateChanged', state });
  }

  private render(): void {
    const user = this.auth.user;
    if (user) {
      this.signedInUi = signedInView(user, this.gateway.connectionState, {
        call: (to) => this.placeCall(to),
        signOut: () => void this.signOut().catch(() => {}),
      }, this.callUi.root);
      mount(this.opts.root, this.signedInUi.root);
    } else {
      this.signedInUi = null;
      mount(this.opts.root, signInView((u, p) => this.signIn(u, p)).root);
    }
  }
}

function expectSignIn(result: unknown): SignInResult {
  if (!isSignInResult(result)) throw new DialerError('Net2PhoneDialerError', strings.signInFailed);
  return result;
}
