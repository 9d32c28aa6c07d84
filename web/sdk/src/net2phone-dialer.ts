import {
  MAX_CALL_ID_LENGTH,
  MAX_PHONE_NUMBER_LENGTH,
  isAudioDeviceChoice,
  isAudioDeviceList,
  isAuthStateChangedEvent,
  isCallStateChangedEvent,
  isAudioPlaybackBlockedEvent,
  isCallQualityEvent,
  isConnectionStateChangedEvent,
  isDtmfDigits,
  isTokenRequestedEvent,
  type MethodName,
  type MethodParams,
  type MethodResult,
} from '@opendialer/protocol';
import { toCall } from './from-wire';
import { DialerChannel } from './dialer-channel';
import {
  AuthenticationError,
  DialerDisposedError,
  DialerTimeoutError,
  InvalidOptionsError,
  InvalidPhoneNumberError,
  errors,
  type Net2PhoneDialerErrors,
} from './errors';
import type {
  AuthState,
  CallStateChanged,
  DialerEvent,
  DialerEventMap,
  DialerEventType,
  EventSubscription,
  SubscribeOptions,
} from './events';
import { resolveServerUrl } from './server-url';
import type { AudioDevice, AudioDeviceChoice, AudioDeviceList } from './audio-devices';

export interface Net2PhoneDialerConstructorOptions {
  /**
   * The element the dialer renders into; it fills the element. `null` is accepted by the type so
   * that the seed's `document.getElementById(...)` type-checks under `strict`; at run time a
   * missing element throws `InvalidOptionsError`.
   */
  rootHtmlElement: HTMLElement | null;
  /** Base URL of the dialer server. Defaults to the origin the SDK file was loaded from. */
  serverUrl?: string;
  /** Returns a sign-in token (minted by the admin API); called on start and whenever the dialer asks. */
  getToken?: () => Promise<string>;
  /** How long to wait for the dialer to load before requests fail with `DialerTimeoutError`. Default 15000. */
  readyTimeoutMs?: number;
}

export interface PlaceCallCommand {
  /** The phone number (E.164 or national) or extension to call. */
  to: string;
}

/**
 * The call `hangUp`, `answer` and `reject` act on: `callId` is a `call.id` from a
 * `callStateChanged` event. Without it (or without the argument) they act on the current call.
 */
export interface CallCommand {
  callId?: string;
}

/**
 * What `transfer` hands over and to whom: `callId` the answered call (without it, the one the user
 * talks on), and either `to`, an extension or a phone number (blind transfer), or `toCallId`, the
 * user's answered consultation call to join it with (attended transfer).
 */
export type TransferCommand =
  | { callId?: string; to: string; toCallId?: undefined }
  | { callId?: string; toCallId: string; to?: undefined };

interface Subscriber {
  callback(event: DialerEvent): void;
  events: readonly string[];
}

const DEFAULT_READY_TIMEOUT_MS = 15_000;
const MAX_TRACKED_CALLS = 50;
const ALL_EVENT_TYPES: readonly DialerEventType[] = [
  'callStateChanged',
  'authStateChanged',
  'connectionStateChanged',
  'tokenRequested',
  'audioPlaybackBlocked',
  'callQuality',
];

/** The embedded dialer: renders the dialer iframe into `rootHtmlElement` and talks to it. */
export class Net2PhoneDialer {
  /** The error classes, for `instanceof` checks: `const { InvalidPhoneNumberError } = Net2PhoneDialer.errors`. */
  static readonly errors: Net2PhoneDialerErrors = errors;

  private readonly iframe: HTMLIFrameElement;
  private readonly channel: DialerChannel;
  private readonly getToken: (() => Promise<string>) | undefined;
  private subscribers: Subscriber[] = [];
  private tokenExchange: Promise<void> | null = null;
  /** The last delivered `seq` per call id, most recently updated last; bounded by MAX_TRACKED_CALLS. */
  private readonly seqs = new Map<string, number>();
  /** The last delivered event of each call that has not ended, for subscribers that come late. */
  private readonly current = new Map<string, CallStateChanged>();
  private disposed = false;

  constructor(options: Net2PhoneDialerConstructorOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidOptionsError(
        'new Net2PhoneDialer(options) needs an options object: { rootHtmlElement: document.getElementById("net2phone-dialer") }.',
      );
    }
    const root = options.rootHtmlElement as unknown;
    // Duck-typed rather than `instanceof HTMLElement`, so elements from other frames are accepted.
    if (!isElement(root)) {
      throw new InvalidOptionsError(`options.rootHtmlElement must be an HTML element, got ${describe(root)}.`);
    }
    if (options.getToken !== undefined && typeof options.getToken !== 'function') {
      throw new InvalidOptionsError(`options.getToken must be a function returning Promise<string>, got ${describe(options.getToken)}.`);
    }
    const readyTimeoutMs = options.readyTimeoutMs === undefined ? DEFAULT_READY_TIMEOUT_MS : options.readyTimeoutMs;
    if (typeof readyTimeoutMs !== 'number' || !(readyTimeoutMs > 0) || readyTimeoutMs === Infinity) {
      throw new InvalidOptionsError(`options.readyTimeoutMs must be a positive number of milliseconds, got ${describe(readyTimeoutMs)}.`);
    }
    const serverUrl = resolveServerUrl(options.serverUrl);
    const hostWindow = root.ownerDocument.defaultView || window;
    this.getToken = options.getToken;

    const iframe = root.ownerDocument.createElement('iframe');
    iframe.setAttribute(
      'src',
      `${serverUrl}/dialer/?parentOrigin=${encodeURIComponent(hostWindow.location.origin)}`,
    );
    // speaker-selection: the dialer may play audio on the output device the user chose (setAudioDevices).
    iframe.setAttribute('allow', 'microphone; autoplay; speaker-selection');
    iframe.setAttribute('title', 'Phone dialer');
    iframe.style.cssText = 'width:100%;height:100%;border:0;display:block';
    this.iframe = iframe;

    this.channel = new DialerChannel({
      window: hostWindow,
      iframe,
      origin: new URL(serverUrl).origin,
      readyTimeoutMs,
      onReady: () => this.exchangeToken(),
      onEvent: (event) => this.dispatch(event),
    });
    root.appendChild(iframe);
  }

  /** Starts an outbound call. Only one outbound call can ring at a time. */
  async placeCall(placeCallCommand: PlaceCallCommand): Promise<void> {
    this.assertNotDisposed();
    const command = placeCallCommand as unknown;
    if (typeof command !== 'object' || command === null) {
      throw new InvalidPhoneNumberError(`placeCall expects { to: string }, got ${describe(command)}.`);
    }
    const to = (command as { to?: unknown }).to;
    if (typeof to !== 'string' || to.length === 0) {
      throw new InvalidPhoneNumberError(`placeCall expects "to" to be a non-empty string, got ${describe(to)}.`);
    }
    if (to.length > MAX_PHONE_NUMBER_LENGTH) {
      throw new InvalidPhoneNumberError(`The phone number is ${to.length} characters long; at most ${MAX_PHONE_NUMBER_LENGTH} are allowed.`);
    }
    await this.request('placeCall', { to });
  }

  /**
   * Ends a call: cancels a ringing outbound call, hangs up an answered call, or declines a
   * ringing inbound call. Without `callId`, acts on the current call. Rejects with
   * `CallNotFoundError` when there is no such call.
   */
  hangUp(command?: CallCommand): Promise<void> {
    return this.callRequest('hangUp', command);
  }

  /** Answers a ringing inbound call (without `callId`: the ringing one). `CallNotFoundError` if none. */
  answer(command?: CallCommand): Promise<void> {
    return this.callRequest('answer', command);
  }

  /** Declines a ringing inbound call (without `callId`: the ringing one). `CallNotFoundError` if none. */
  reject(command?: CallCommand): Promise<void> {
    return this.callRequest('reject', command);
  }

  /**
   * Mutes (`true`) or unmutes (`false`) the microphone on the answered call; the far end hears
   * silence. Rejects with `CallNotFoundError` when this dialer has no answered call with audio.
   */
  async mute(muted: boolean): Promise<void> {
    await this.request('mute', { muted: this.flag('mute', muted) });
  }

  /**
   * Puts the answered call on hold (`true`) or resumes it (`false`); while held no audio flows
   * either way. Rejects with `CallNotFoundError` when this dialer has no answered call with audio.
   */
  async hold(held: boolean, command?: CallCommand): Promise<void> {
    const flag = this.flag('hold', held);
    const callId = this.callIdOf('hold', command);
    await this.request('hold', callId === undefined ? { held: flag } : { held: flag, call_id: callId });
  }

  /**
   * Blind transfer: hands the answered call to `to` (an extension or a phone number). The caller
   * hears the target ring; resolves once the target rings (this user's call then ends `disconnected`
   * with `end_reason: 'transferred'` and this user is free). Rejects with `TransferFailedError` saying
   * why when the target is busy, declines or cannot be reached before it rings (the caller is back on
   * the same call), or when there is no answered call, the target is this user, or a transfer is
   * already under way; `InvalidPhoneNumberError` for a malformed target. A target that rang but did
   * not answer gives the caller back as a new incoming call with `recall: true`. The same holds when
   * the caller is another user's extension; that user's call stays answered throughout.
   *
   * Attended transfer: `hold(true)` the first call, `placeCall` the consultation call, then
   * `transfer({ callId: first, toCallId: consultation })` joins the caller and the consulted party;
   * both of this user's calls end `transferred`.
   *
   * ```js
   * await dialer.transfer({ to: '1002' });
   * await dialer.transfer({ callId: first.id, toCallId: consultation.id });
   * ```
   */
  async transfer(command: TransferCommand): Promise<void> {
    this.assertNotDisposed();
    const target = command as { to?: unknown; toCallId?: unknown } | null | undefined;
    const toCallId = target?.toCallId;
    if (toCallId !== undefined && target?.to === undefined) {
      if (typeof toCallId !== 'string' || toCallId.length === 0 || toCallId.length > MAX_CALL_ID_LENGTH) {
        throw new InvalidOptionsError(`transfer expects { toCallId: string } (a call id), got ${describe(command)}.`);
      }
      const callId = this.callIdOf('transfer', command);
      await this.request('transfer', callId === undefined ? { to_call_id: toCallId } : { to_call_id: toCallId, call_id: callId });
      return;
    }
    const to = target?.to;
    if (typeof to !== 'string' || to.length === 0 || to.length > MAX_PHONE_NUMBER_LENGTH || toCallId !== undefined) {
      throw new InvalidPhoneNumberError(`transfer expects { to: string } (1 to ${MAX_PHONE_NUMBER_LENGTH} characters) or { toCallId: string }, got ${describe(command)}.`);
    }
    const callId = this.callIdOf('transfer', command);
    await this.request('transfer', callId === undefined ? { to } : { to, call_id: callId });
  }

  /**
   * Sends DTMF tones on the answered call: 1 to 64 of `0-9`, `A-D`, `*`, `#`, and `,` for a
   * two-second pause, e.g. `sendDtmf('1234#')`. Rejects with `InvalidOptionsError` for other
   * digits and `CallNotFoundError` when this dialer has no answered call with audio.
   */
  async sendDtmf(digits: string): Promise<void> {
    this.assertNotDisposed();
    if (!isDtmfDigits(digits)) {
      throw new InvalidOptionsError(`sendDtmf expects 1 to 64 of 0-9, A-D, *, # and ",", got ${describe(digits)}.`);
    }
    await this.request('sendDtmf', { digits });
  }

  /**
   * The browser's microphones (`inputs`) and speakers (`outputs`), as the dialer's origin sees
   * them: `const { inputs, outputs } = await dialer.getAudioDevices()`. Labels are empty until the
   * microphone has been allowed once; `outputs` is empty where the browser cannot choose one.
   */
  async getAudioDevices(): Promise<AudioDeviceList> {
    const list = await this.request('getAudioDevices', {});
    const copy = (d: AudioDevice): AudioDevice => ({ id: d.id, label: d.label });
    return isAudioDeviceList(list) ? { inputs: list.inputs.map(copy), outputs: list.outputs.map(copy) } : { inputs: [], outputs: [] };
  }

  /**
   * Chooses the microphone (`input`), the call's speaker (`output`) and the ringtone's speaker
   * (`ringer`) by ids from `getAudioDevices`; keys left out keep their choice, which the dialer
   * remembers for this browser. A new microphone replaces the one of an answered call at once,
   * without renegotiation. Rejects with `InvalidOptionsError` for an unknown id and
   * `AudioOutputUnsupportedError` for `output`/`ringer` where the browser cannot choose a speaker.
   */
  async setAudioDevices(devices: AudioDeviceChoice): Promise<void> {
    this.assertNotDisposed();
    if (!isAudioDeviceChoice(devices)) {
      throw new InvalidOptionsError(`setAudioDevices expects { input?, output?, ringer? } (ids from getAudioDevices()), got ${describe(devices)}.`);
    }
    await this.request('setAudioDevices', { ...devices });
  }

  /** Whether a user is signed in to the dialer, and who. */
  getAuthState(): Promise<AuthState> {
    return this.request('getAuthState', {});
  }

  /** Signs the current user out of the dialer. */
  async signOut(): Promise<void> {
    await this.request('signOut', {});
  }

  /** Receives every `callStateChanged` event. Can be called any number of times. */
  subscribe(callback: (event: CallStateChanged) => void): EventSubscription;
  /** Receives the listed event types: `subscribe(cb, { events: ['authStateChanged', 'callStateChanged'] })`. */
  subscribe<T extends DialerEventType>(
    callback: (event: DialerEventMap[T]) => void,
    options: SubscribeOptions<T>,
  ): EventSubscription;
  subscribe(callback: (event: never) => void, options?: SubscribeOptions): EventSubscription {
    this.assertNotDisposed();
    if (typeof callback !== 'function') {
      throw new InvalidOptionsError(`subscribe expects a callback function, got ${describe(callback)}.`);
    }
    let events: readonly string[] = ['callStateChanged'];
    if (options !== undefined) {
      const list = (options as { events?: unknown } | null)?.events;
      if (!Array.isArray(list) || !list.every((type) => ALL_EVENT_TYPES.indexOf(type) !== -1)) {
        throw new InvalidOptionsError(`subscribe options.events must be an array of ${ALL_EVENT_TYPES.join(', ')}.`);
      }
      events = list;
    }
    const subscriber: Subscriber = { callback: callback as (event: DialerEvent) => void, events };
    this.subscribers.push(subscriber);
    if (events.indexOf('callStateChanged') !== -1 && this.current.size > 0) {
      // A late subscriber gets the current state of each call in progress once, after subscribe returns.
      queueMicrotask(() => {
        for (const event of this.current.values()) {
          if (this.subscribers.indexOf(subscriber) === -1) return;
          this.deliver(subscriber, event);
        }
      });
    }
    return {
      dispose: () => {
        this.subscribers = this.subscribers.filter((s) => s !== subscriber);
      },
    };
  }

  /** Removes the dialer from the page and ends every subscription. The instance cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscribers = [];
    this.channel.dispose();
    const parent = this.iframe.parentNode;
    if (parent) parent.removeChild(this.iframe);
  }

  private async callRequest(method: 'hangUp' | 'answer' | 'reject', command: CallCommand | undefined): Promise<void> {
    this.assertNotDisposed();
    const callId = (command as { callId?: unknown } | null | undefined)?.callId;
    if ((command !== undefined && (typeof command !== 'object' || command === null)) ||
        (callId !== undefined && (typeof callId !== 'string' || callId.length === 0 || callId.length > MAX_CALL_ID_LENGTH))) {
      throw new InvalidOptionsError(`${method} expects nothing or { callId: string }, got ${describe(command)}.`);
    }
    await this.request(method, callId === undefined ? {} : { call_id: callId });
  }

  private callIdOf(method: string, command: unknown): string | undefined {
    const callId = (command as { callId?: unknown } | null | undefined)?.callId;
    if ((command !== undefined && (typeof command !== 'object' || command === null)) ||
        (callId !== undefined && (typeof callId !== 'string' || callId.length === 0 || callId.length > MAX_CALL_ID_LENGTH))) {
      throw new InvalidOptionsError(`${method} expects { callId?: string }, got ${describe(command)}.`);
    }
    return callId as string | undefined;
  }

  private flag(method: string, value: unknown): boolean {
    this.assertNotDisposed();
    if (typeof value !== 'boolean') throw new InvalidOptionsError(`${method} expects true or false, got ${describe(value)}.`);
    return value;
  }

  private request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    return this.channel.request(method, params);
  }

  private assertNotDisposed(): void {
    if (this.disposed) {
      throw new DialerDisposedError('The dialer was disposed: create a new Net2PhoneDialer to use it again.');
    }
  }

  private dispatch(raw: { type: string }): void {
    let event: DialerEvent;
    if (isCallStateChangedEvent(raw)) {
      // Each state of a call is delivered once and in order: drop repeats (e.g. the states the
      // gateway replays after a reconnect) and anything older than what was delivered.
      const { id, seq } = raw.call;
      if (seq <= (this.seqs.get(id) || 0)) return;
      this.seqs.delete(id);
      this.seqs.set(id, seq);
      if (this.seqs.size > MAX_TRACKED_CALLS) this.seqs.delete(this.seqs.keys().next().value as string);
      event = { type: raw.type, call: toCall(raw.call) };
      if (event.call.state === 'disconnected') this.current.delete(id);
      else this.current.set(id, event);
    } else if (isAuthStateChangedEvent(raw)) {
      event = { type: raw.type, signed_in: raw.signed_in, user: raw.user && { ...raw.user }, reason: raw.reason };
    } else if (isConnectionStateChangedEvent(raw)) {
      event = { type: raw.type, state: raw.state };
    } else if (isCallQualityEvent(raw)) {
      // A structured clone of the dialer's event: its objects are this page's own.
      const { call_id, ...figures } = raw;
      event = { ...figures, callId: call_id };
    } else if (isAudioPlaybackBlockedEvent(raw)) {
      event = { type: raw.type, blocked: raw.blocked };
    } else if (isTokenRequestedEvent(raw)) {
      event = { type: raw.type };
      void this.exchangeToken();
    } else {
      return; // an event type this SDK version does not know, or a malformed one
    }
    for (const subscriber of this.subscribers) {
      if (subscriber.events.indexOf(event.type) !== -1) this.deliver(subscriber, event);
    }
  }

  private deliver(subscriber: Subscriber, event: DialerEvent): void {
    try {
      subscriber.callback(event);
    } catch (error) {
      console.error(`[Net2PhoneDialer] A subscriber threw while handling "${event.type}":`, error);
    }
  }

  /** Hands a fresh token from `getToken` to the dialer; one exchange at a time, failures only logged. */
  private exchangeToken(): Promise<void> {
    const getToken = this.getToken;
    if (!getToken || this.disposed) return Promise.resolve();
    if (!this.tokenExchange) {
      this.tokenExchange = withTimeout(Promise.resolve().then(getToken), 30_000)
        .then((token) => {
          if (typeof token !== 'string' || token.length === 0) {
            throw new AuthenticationError(`getToken() must resolve to a non-empty string, got ${describe(token)}.`);
          }
          return this.channel.send('setToken', { token });
        })
        .then(
          () => undefined,
          (error: unknown) => {
            if (!this.disposed) console.error('[Net2PhoneDialer] authStateChanged: signing in with getToken() failed:', error);
          },
        )
        .then(() => {
          this.tokenExchange = null;
        });
    }
    return this.tokenExchange;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new DialerTimeoutError(`getToken() did not settle within ${ms / 1000} s.`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function isElement(value: unknown): value is HTMLElement {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Node).nodeType === 1 &&
    typeof (value as Node).appendChild === 'function' &&
    typeof (value as Node).ownerDocument === 'object'
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return (value as object).constructor?.name || 'an object';
  return typeof value === 'number' ? String(value) : typeof value;
}
