import { AuthSession, isSignInResult, type SignInResult } from './auth';
import { CallBook } from './call/call-book';
import { TransferWaiter } from './call/transfer-waiter';
import type { CallAction } from './call/call-panel-model';
import { callPanel, type CallPanel } from './ui/call-panel';
import { mediaControls } from './ui/media-controls';
import { callSwitcher, type CallSwitcher } from './ui/call-switcher';
import { micNotice, type MicNotice } from './ui/mic-notice';
import { networkNotice, type NetworkNotice } from './ui/network-notice';
import { IceServers } from './media/ice-servers';
import { browserMediaEnvironment } from './media/browser-media';
import { AudioMarker } from './media/audio-marker';
import { CallAudio, type PreparedMedia } from './media/call-audio';
import { AudioDevices, browserDeviceEnvironment, type DeviceEnvironment } from './media/audio-devices';
import { deviceSettings } from './ui/device-settings';
import { CallQualityMonitor } from './quality/call-quality-monitor';
import { signalIndicator } from './ui/signal-indicator';
import type { MediaEnvironment } from './media/call-media';
import { RemoteAudio } from './media/remote-audio';
import { browserRingtoneContext, Ringtone, type RingtoneContext } from './media/ringtone';
import { ringbackCadence } from './media/cadence';
import { ringtoneNotice, type RingtoneNotice } from './ui/ringtone-notice';
import { deviceId } from './device-id';
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
  isMethodParams,
  isWsAuthStateChangedEvent,
  isWsCallProgressEvent,
  isWsSipQualityEvent,
  isWsMediaMovedEvent,
  isWsTransferFailedEvent,
  isWsMediaUpdateEvent,
  isWsPlaceCallResult,
  isWsRecentCallsResult,
  isWsSdpResult,
  type CallIdParams,
  type TransferParams,
  type ConnectionState,
  type DialerEvent,
  type WireCall,
} from '@opendialer/protocol';

type SignedOutReason = 'signed_out' | 'expired' | 'revoked';

export interface DialerAppOptions {
  root: HTMLElement;
  gatewayUrl: string;
  storage: Storage | null;
  /** This tab's sessionStorage: which call's audio the tab carries survives a reload (part 5). */
  tabStorage?: Storage | null;
  emit: (event: DialerEvent) => void;
  createSocket?: (url: string) => SocketLike;
  /** The clock of the call timer (tests pass a fake one). */
  now?: () => number;
  /** Microphone and WebRTC (tests pass fakes); the browser's by default. */
  media?: MediaEnvironment;
  /** The element that plays the far end; by default a new one appended to the document's body. */
  audioElement?: HTMLAudioElement;
  /** Echo cancellation, noise suppression and automatic gain control of the microphone (default true). */
  audioProcessing?: boolean;
  /** The gateway's default region (config.json `defaultRegion`), for formatting numbers as typed. */
  defaultRegion?: string;
  /** The ringtone's audio context (tests pass a fake); the browser's `AudioContext` by default. */
  createAudioContext?: () => RingtoneContext | null;
  /** Audio device listing and output choice (tests pass a fake); the browser's by default. */
  devices?: DeviceEnvironment;
}

/** How many calls `recentCalls` asks the call log for. */
const RECENT_LIMIT = 10;

/**
 * The dialer's behaviour: answers host requests, keeps the session, and renders the views.
 * The host channel and the gateway client are transports; this is where they meet.
 */
export class DialerApp {
  private readonly auth: AuthSession;
  private readonly gateway: GatewayClient;
  private signedInUi: SignedInView | null = null;
  private readonly calls: CallBook;
  private readonly transfers = new TransferWaiter();
  private readonly callUi: CallPanel;
  private readonly switcher: CallSwitcher;
  /** Set once the host has sent `setToken`: it signs in with `getToken`, so ask it for tokens. */
  private hostUsesToken = false;
  private readonly renewal: SessionRenewal;
  private readonly audio: CallAudio;
  /** Explains a microphone problem (denied, missing, busy) with the fix; empty otherwise. */
  private readonly micNotice: MicNotice;
  /** After a call ended with media_failed: what the network blocks and what to open. */
  private readonly networkNotice: NetworkNotice = networkNotice();
  /** TURN servers and the gateway's media ports (`mediaConfig`). */
  private readonly iceServers = new IceServers();
  /** The WebSocket dropped since it was last connected: restart ICE once it is back. */
  private lostGateway = false;
  private readonly ringtone: Ringtone;
  /** The chosen microphone, speaker and ringer (setAudioDevices, the settings view). */
  private readonly devices: AudioDevices;
  private readonly settingsUi: HTMLElement;
  /** callQuality every 5 s while a call with audio here is answered, and the signal indicator. */
  private readonly quality: CallQualityMonitor;
  private readonly signal = signalIndicator();
  /** The local ringback of an outbound call whose far end rings without early media (protocol.md part 4). */
  private readonly ringback: Ringtone;
  private ringbackCall: string | null = null;
  private readonly ringtoneNotice: RingtoneNotice;
  /** The last `recentCalls` result, kept across re-renders; `null` before it arrives. */
  private recent: unknown[] | null = null;
  /** Shown above the next sign-in form: the gateway ended the session (not the user). */
  private endedNotice: string | null = null;
  /** This browser profile's id, sent with every `hello` (protocol.md, part 5). */
  private readonly device: string;
  /** The call whose audio this tab carried before a reload has been re-attached (or tried). */
  private reattached = false;
  /** The call being re-attached now: not shown read-only meanwhile. */
  private reattaching: string | null = null;

  constructor(private readonly opts: DialerAppOptions) {
    this.auth = new AuthSession(opts.storage);
    this.device = deviceId(opts.storage);
    this.renewal = new SessionRenewal(() => void this.renewSession(), opts.now);
    this.calls = new CallBook(opts.now);
    const doc = opts.root.ownerDocument;
    const element = opts.audioElement ?? doc.createElement('audio');
    if (!element.isConnected) doc.body.append(element);
    const remote = new RemoteAudio(element, (blocked) => {
      this.opts.emit({ type: 'audioPlaybackBlocked', blocked });
      this.refreshMedia();
    });
    this.audio = new CallAudio({
      env: this.iceServers.wrap(opts.media ?? browserMediaEnvironment(), () => this.gateway.request('mediaConfig', {})),
      audio: remote,
      processing: opts.audioProcessing ?? true,
      microphone: () => this.devices.input,
      onMicrophone: () => void this.devices.restore(),
      request: (method, params) => this.viaGateway(() => this.gateway.request(method, params)),
      isAnswered: (id) => this.calls.get(id)?.call.state === 'answered',
      isConnected: () => this.gateway.connectionState === 'connected',
      marker: new AudioMarker(opts.tabStorage ?? null),
      onChange: () => this.refreshMedia(),
    });
    const controls = mediaControls({
      mute: async (muted) => this.audio.mute(muted),
      hold: (held) => this.audio.hold(held),
      sendDtmf: async (digits) => this.audio.sendDtmf(digits),
      enableAudio: () => this.audio.enablePlayback(),
      takeOver: () => this.takeOverAudio(this.calls.current()?.call.id),
    });
    this.callUi = callPanel((action, callId) => this.callAction(action, callId), opts.now, controls);
    this.switcher = callSwitcher(
      (callId) => this.swapTo(callId),
      (heldId) => {
        const current = this.calls.current();
        return current ? this.attendedTransfer(heldId, current.call.id) : Promise.resolve();
      },
    );
    this.micNotice = micNotice();
    // One AudioContext for both tones: browsers limit how many a page may create.
    const createContext = opts.createAudioContext ?? browserRingtoneContext;
    let context: RingtoneContext | null | undefined;
    const sharedContext = () => (context === undefined ? (context = createContext()) : context);
    this.ringtone = new Ringtone(sharedContext, (blocked) => this.ringtoneNotice.show(blocked));
    // The user just clicked Call: an autoplay block here needs no notice of its own.
    this.ringback = new Ringtone(sharedContext, () => undefined, ringbackCadence(opts.defaultRegion));
    this.ringtoneNotice = ringtoneNotice(() => this.ringtone.unblock());
    this.devices = new AudioDevices(opts.devices ?? browserDeviceEnvironment(), opts.storage, {
      input: (id) => this.audio.switchMicrophone(id),
      output: (id) => remote.setSink(id),
      ringer: (id) => this.ringtone.setSink(id),
    });
    this.quality = new CallQualityMonitor({
      source: this.audio,
      emit: (event) => this.opts.emit(event),
      show: (q) => this.signal.show(q),
    });
    this.settingsUi = deviceSettings({
      list: () => this.devices.list(),
      chosen: () => this.devices.chosen,
      set: (choice) => this.devices.set(choice),
    }).root;
    this.gateway = new GatewayClient({
      url: opts.gatewayUrl,
      createSocket: opts.createSocket,
      onConnected: (client) => this.handshake(client),
      onEvent: (event) => this.onGatewayEvent(event),
      onStateChange: (state) => this.onConnectionState(state),
    });
    this.refreshMedia();
  }

  start(): void {
    void this.devices.restore();
    this.quality.start();
    if (this.auth.storedToken()) {
      mount(this.opts.root, el('p', { class: 'restoring', role: 'status' }, strings.connecting));
    } else {
      this.render();
    }
    this.gateway.start();
  }

  /** Closes the call audio and the connection (the dialer's page goes away). */
  dispose(): void {
    this.quality.stop();
    this.audio.closeAll(false);
    this.ringtone.stop();
    this.stopRingback();
    this.callUi.dispose();
    this.renewal.cancel();
    this.gateway.stop();
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
        // No session and no stored token: there is nothing for the gateway to resume, so "signed
        // out" is the answer now, without waiting for the WebSocket and hello. With a token the
        // answer waits for the resume (or its failure) in the handshake.
        if (!this.auth.signedIn && !this.auth.storedToken()) return this.auth.snapshot();
        await this.gateway.whenReady();
        return this.auth.snapshot();
      case 'setToken':
        return this.setToken(params.token);
      case 'signOut':
        await this.signOut();
        return null;
      case 'mute':
        if (!isMethodParams('mute', params)) throw new DialerError('InvalidOptionsError', strings.errors.invalidMuted);
        this.audio.mute(params.muted);
        return null;
      case 'hold':
        if (!isMethodParams('hold', params)) throw new DialerError('InvalidOptionsError', strings.errors.invalidHeld);
        await this.audio.hold(params.held, params.call_id);
        return null;
      case 'transfer':
        if (!isMethodParams('transfer', params)) throw new DialerError('InvalidOptionsError', strings.errors.invalidTransfer);
        {
          const { to, call_id: callId, to_call_id: toCallId } = params as TransferParams;
          if (toCallId !== undefined) await this.attendedTransfer(callId, toCallId);
          else await this.transfer(to as string, callId);
        }
        return null;
      case 'sendDtmf':
        if (!isMethodParams('sendDtmf', params)) throw new DialerError('InvalidOptionsError', strings.errors.invalidDigits);
        this.audio.sendDtmf(params.digits);
        return null;
      case 'getAudioDevices':
        return this.devices.list();
      case 'setAudioDevices':
        if (!isMethodParams('setAudioDevices', params)) throw new DialerError('InvalidOptionsError', strings.errors.unknownDevice);
        await this.devices.set(params);
        return null;
      default:
        throw new DialerError('Net2PhoneDialerError', `Unknown method "${method}".`);
    }
  }

  /**
   * placeCall (protocol.md, part 4): the number is checked (`checkNumber`), then the microphone and the
   * SDP offer; without a microphone nothing is sent. Then `placeCall { to, sdp }` and the gateway's answer.
   */
  private async placeCall(to: unknown): Promise<void> {
    const number = validateCallTarget(to);
    await this.gateway.whenReady();
    if (!this.auth.signedIn) {
      // No microphone prompt for a call that cannot be placed: the gateway checks the number first
      // (a typo is reported as such even when signed out), then answers authentication_required.
      await this.viaGateway(() => this.gateway.request('placeCall', { to: number }));
      throw new DialerError('AuthenticationError', strings.errors.notSignedIn);
    }
    // The gateway's number rules before the microphone: a bad number is InvalidPhoneNumberError with
    // no permission prompt, whatever the microphone permission is (protocol.md part 4).
    await this.viaGateway(() => this.gateway.requestOnLiveNode('checkNumber', { to: number }));
    const prepared = await this.prepareMedia();
    let result: unknown;
    try {
      // A node that drains refuses it unplaced (`node_draining`); it goes once more to the node the dialer
      // reconnects to (protocol.md part 2).
      result = await this.viaGateway(() => this.gateway.requestOnLiveNode('placeCall', { to: number, sdp: prepared.sdp }));
    } catch (e) {
      this.audio.discard(prepared.media);
      throw e;
    }
    if (!isWsPlaceCallResult(result)) {
      this.audio.discard(prepared.media);
      return;
    }
    await this.connectMedia(result.call_id, prepared, result.sdp);
  }

  /**
   * transfer (protocol.md part 7): the gateway answers once the target rings; the outcome follows as
   * the call's end (`transferred`) or `transferFailed`, which settle the SDK's promise.
   */
  private async transfer(to: string, callId: string | undefined): Promise<void> {
    const target = validateCallTarget(to);
    const id = callId ?? this.calls.current()?.call.id;
    if (id === undefined || this.calls.get(id)?.call.state !== 'answered') {
      throw new DialerError('TransferFailedError', strings.errors.noTransferableCall);
    }
    // A held call is resumed first: the caller must hear the ringback and the target, and a failed transfer
    // gives the call back answered with audio both ways (protocol.md part 7), so hold stays true to the gateway.
    if (this.audio.isHeld(id)) await this.audio.hold(false, id);
    const outcome = this.transfers.wait(id);
    try {
      await this.viaGateway(() => this.gateway.request('transfer', { call_id: id, to: target }));
    } catch (e) {
      this.transfers.ended(id, 'transferred'); // settles the waiter: the request's own error is the answer
      void outcome.catch(() => undefined);
      throw e;
    }
    await outcome;
  }

  /**
   * Attended transfer (protocol.md part 7): joins the held call `callId` (without it, the held one)
   * with the answered consultation call `toCallId`; both end `transferred`, which settles the promise.
   */
  private async attendedTransfer(callId: string | undefined, toCallId: string): Promise<void> {
    const id = callId ?? this.calls.other(this.calls.get(toCallId))?.call.id;
    if (id === undefined || this.calls.get(id)?.call.state !== 'answered' || this.calls.get(toCallId)?.call.state !== 'answered') {
      throw new DialerError('TransferFailedError', strings.errors.noTransferableCall);
    }
    const outcome = this.transfers.wait(id);
    try {
      await this.viaGateway(() => this.gateway.request('transfer', { call_id: id, to_call_id: toCallId }));
    } catch (e) {
      this.transfers.ended(id, 'transferred');
      void outcome.catch(() => undefined);
      throw e;
    }
    await outcome;
  }

  /** The current call in the panel and, with call waiting, the other one under it. */
  private showCalls(): void {
    const current = this.calls.current();
    this.callUi.show(current);
    this.switcher.show(current?.call.state === 'answered' || current?.call.state === 'connecting' ? this.calls.other(current) : null);
  }

  /** Swap (call waiting): resumes `callId`, which holds the call the user talked on (gateway side). */
  private async swapTo(callId: string): Promise<void> {
    await this.audio.hold(false, callId);
    this.calls.focus(callId);
    this.showCalls();
    this.refreshMedia();
  }

  /** hangUp, answer, reject: forwarded to the gateway method of the same name (protocol.md, part 3). */
  private async callAction(method: CallAction, callId: string | undefined): Promise<void> {
    if (method === 'answer') return this.answer(callId);
    await this.viaGateway(() => this.gateway.request(method, callId === undefined ? {} : { call_id: callId }));
  }

  /**
   * answer (protocol.md, part 4): like placeCall, the microphone and the offer first. The call is
   * always named, so that its audio is bound to the right call.
   */
  private async answer(callId: string | undefined): Promise<void> {
    const id = callId ?? this.calls.ringingInboundId();
    if (id === null) throw new DialerError('CallNotFoundError', strings.errors.noRingingCall);
    const prepared = await this.prepareMedia();
    let result: unknown;
    try {
      result = await this.viaGateway(() => this.gateway.request('answer', { call_id: id, sdp: prepared.sdp }));
    } catch (e) {
      this.audio.discard(prepared.media);
      throw e;
    }
    await this.connectMedia(id, prepared, isWsSdpResult(result) ? result.sdp : null);
  }

  /** "Take the call here": moves an answered call's audio to this dialer (from another tab, or from before a reload). */
  private async takeOverAudio(callId: string | undefined, reattach = false): Promise<void> {
    const tracked = callId === undefined ? null : this.calls.get(callId);
    if (!tracked || tracked.call.state !== 'answered') throw new DialerError('CallNotFoundError', strings.errors.noAudioCall);
    const prepared = await this.prepareMedia();
    await this.audio.takeOver(tracked.call.id, prepared, reattach);
    this.refreshMedia();
  }

  /**
   * After a reload (protocol.md part 5): the call whose audio this tab carried is shown answered,
   * so its audio comes back here without a click. A failure leaves "Take the call here" on show.
   */
  private reattach(call: WireCall): void {
    if (this.reattached || call.state !== 'answered' || this.audio.has(call.id) || this.audio.markedCall() !== call.id) return;
    this.reattached = true;
    this.reattaching = call.id;
    this.takeOverAudio(call.id, true)
      .catch(() => undefined)
      .finally(() => {
        this.reattaching = null;
        this.refreshMedia();
      });
  }

  /** Waits for the gateway and a session (no microphone prompt for nothing), then microphone and offer. */
  private async prepareMedia(): Promise<PreparedMedia> {
    await this.gateway.whenReady();
    if (!this.auth.signedIn) throw new DialerError('AuthenticationError', strings.errors.notSignedIn);
    try {
      const prepared = await this.audio.prepare();
      this.micNotice.show(null);
      this.networkNotice.show(null);
      return prepared;
    } catch (e) {
      if (e instanceof DialerError && e.errorName === 'MicrophonePermissionError') this.micNotice.show(e.message);
      throw e;
    }
  }

  /** Applies the gateway's answer; a call whose audio cannot be set up is hung up. */
  private async connectMedia(callId: string, prepared: PreparedMedia, answer: string | null | undefined): Promise<void> {
    try {
      await this.audio.connect(callId, prepared.media, answer);
    } catch (e) {
      void this.gateway.request('hangUp', { call_id: callId }).catch(() => undefined);
      throw e;
    }
    // The call may have ended while its result was on the way.
    const tracked = this.calls.get(callId);
    if (tracked) this.audio.onCallState(tracked.call);
    this.refreshMedia();
  }

  /** A gateway request; AuthenticationError means the session ended. */
  private async viaGateway<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if (e instanceof DialerError && e.errorName === 'AuthenticationError') this.signedOut('expired');
      throw e;
    }
  }

  /**
   * The panel's audio state. An answered call whose audio is not here is shown read-only, with
   * "Take the call here"; that button is also offered while the connection here is lost.
   */
  private refreshMedia(): void {
    const current = this.calls.current()?.call;
    const view = this.audio.view();
    const lostHere = view.callId === current?.id && (view.connection === 'failed' || view.connection === 'disconnected');
    const elsewhere = current?.state === 'answered' && !this.audio.has(current.id) && this.reattaching !== current.id;
    this.callUi.setMedia({ ...view, elsewhere, takeOver: elsewhere || (current?.state === 'answered' && lostHere) });
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
      // rate_limited: refused before the password was checked; the gateway's message says for how long.
      if (e instanceof DialerError && e.code === 'rate_limited') throw new Error(e.message);
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
    await client.send('hello', { protocol: 1, device: this.device });
    const token = this.auth.storedToken();
    if (!token) return;
    // The calls shown that have not ended: the gateway first sends what this dialer missed of them.
    const calls = this.calls.live();
    try {
      const result = expectSignIn(await client.send('resume', calls.length ? { session_token: token, calls } : { session_token: token }));
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
    void this.loadRecentCalls();
  }

  /** Recent calls from the call log, after sign-in and after each call ends; a failure hides the list. */
  private async loadRecentCalls(): Promise<void> {
    let calls: unknown[] | null = null;
    try {
      const result = await this.gateway.request('recentCalls', { limit: RECENT_LIMIT });
      if (isWsRecentCallsResult(result)) calls = result.calls;
    } catch {
      // An older gateway, or the session ended: no list rather than an error.
    }
    if (!this.auth.signedIn) return;
    this.recent = calls;
    this.signedInUi?.setRecentCalls(calls);
  }

  /** After each applied call state: the ringtone rings while an inbound call rings; the idle part hides during a call. */
  private callsChanged(): void {
    if (this.calls.ringingInboundId() !== null) this.ringtone.start(this.calls.hasAnswered());
    else this.ringtone.stop();
    if (this.ringbackCall !== null && this.calls.get(this.ringbackCall)?.call.state !== 'connecting') this.stopRingback();
    const current = this.calls.current()?.call;
    this.setCallLive(current !== undefined && current.state !== 'disconnected');
  }

  /** `callProgress`: a local ringback while the far end rings without early media; its own audio otherwise. */
  private onCallProgress(callId: string, earlyMedia: boolean): void {
    const call = this.calls.get(callId)?.call;
    if (!call || call.direction !== 'outbound' || call.state !== 'connecting' || earlyMedia) {
      if (this.ringbackCall === callId) this.stopRingback();
      return;
    }
    this.ringbackCall = callId;
    this.ringback.start();
  }

  private stopRingback(): void {
    this.ringbackCall = null;
    this.ringback.stop();
  }

  private setCallLive(live: boolean): void {
    const ui = this.signedInUi;
    if (!ui) return;
    const doc = this.opts.root.ownerDocument;
    const active = doc.activeElement;
    const focusLost = !active || active === doc.body || this.callUi.root.contains(active) || !ui.root.contains(active);
    const inIdle = active !== null && ui.root.querySelector('.idle')?.contains(active) === true;
    ui.setCallLive(live);
    // Keep keyboard users where the action is, but never pull focus into a dialer that does not have it.
    if (!doc.hasFocus()) return;
    if (live && (inIdle || focusLost)) this.callUi.root.querySelector<HTMLButtonElement>('.call-actions button')?.focus();
    if (!live && focusLost) ui.root.querySelector<HTMLInputElement>('#phone-number')?.focus();
  }

  private signedOut(reason: SignedOutReason, force = false): void {
    const had = this.auth.signedIn || this.auth.storedToken() !== null;
    this.renewal.cancel();
    this.auth.clear();
    this.audio.closeAll(true);
    this.ringtone.stop();
    this.stopRingback();
    this.calls.clear();
    this.recent = null;
    this.callUi.show(null);
    this.micNotice.show(null);
    if (!had && !force) return;
    this.endedNotice = reason === 'signed_out' ? null : strings.sessionEnded;
    this.render();
    this.opts.emit({ type: 'authStateChanged', signed_in: false, user: null, reason });
    // An explicit sign-out must stick: only a session the server ended asks the host for a new token.
    if (this.hostUsesToken && reason !== 'signed_out') this.opts.emit({ type: 'tokenRequested' });
  }

  private onGatewayEvent(event: { type: string; [k: string]: unknown }): void {
    if (isCallStateChangedEvent(event)) {
      // A state whose seq is not newer (a replay after resume) is neither shown nor forwarded.
      if (!this.calls.apply(event.call)) return;
      this.showCalls();
      this.audio.onCallState(event.call);
      this.reattach(event.call);
      this.refreshMedia();
      this.callsChanged();
      if (event.call.state === 'disconnected') {
        this.transfers.ended(event.call.id, event.call.end_reason);
        void this.loadRecentCalls();
      }
      if (event.call.end_reason === 'media_failed') this.networkNotice.show(strings.networkBlocked(this.iceServers.current?.gateway ?? null));
      this.opts.emit({ type: 'callStateChanged', call: event.call });
    } else if (isWsTransferFailedEvent(event)) {
      this.transfers.failed(event.call_id, event.reason);
    } else if (isWsSipQualityEvent(event)) {
      this.quality.setSipLeg(event.call_id, event);
    } else if (isWsCallProgressEvent(event)) {
      this.onCallProgress(event.call_id, event.early_media);
    } else if (isWsMediaMovedEvent(event)) {
      this.audio.moved(event.call_id);
    } else if (isWsMediaUpdateEvent(event)) {
      void this.audio.onMediaUpdate(event);
    } else if (isWsAuthStateChangedEvent(event) && !event.signed_in) {
      this.signedOut(event.reason === 'revoked' ? 'revoked' : 'expired');
    }
  }

  private onConnectionState(state: ConnectionState): void {
    if (state === 'disconnected') this.lostGateway = true;
    if (state === 'connected' && this.lostGateway) {
      this.lostGateway = false;
      this.audio.restartIce();
    }
    this.signedInUi?.setConnection(state);
    this.opts.emit({ type: 'connectionStateChanged', state });
  }

  private render(): void {
    const user = this.auth.user;
    if (user) {
      this.signedInUi = signedInView(user, this.gateway.connectionState, {
        call: (to) => this.placeCall(to),
        signOut: () => void this.signOut().catch(() => {}),
      }, { callPanel: this.callUi.root, micNotice: this.micNotice.root, networkNotice: this.networkNotice.root, ringtoneNotice: this.ringtoneNotice.root, settings: this.settingsUi, signal: this.signal.root }, this.opts.defaultRegion);
      this.signedInUi.setRecentCalls(this.recent);
      mount(this.opts.root, this.signedInUi.root);
      this.callUi.root.after(this.switcher.root);
      this.callsChanged();
    } else {
      this.signedInUi = null;
      mount(this.opts.root, signInView((u, p) => this.signIn(u, p), this.endedNotice).root);
      this.endedNotice = null;
    }
  }
}

function expectSignIn(result: unknown): SignInResult {
  if (!isSignInResult(result)) throw new DialerError('Net2PhoneDialerError', strings.signInFailed);
  return result;
}
