import type { Call } from './call';

/**
 * The latest accumulated state of a call, on every transition.
 *
 * ```js
 * dialer.subscribe((event) => {
 *   if (event.call.state === 'disconnected') console.log(event.call.result, event.call.end_time);
 * });
 * ```
 */
export interface CallStateChanged {
  type: 'callStateChanged';
  call: Call;
}

export interface DialerUser {
  username: string;
  display_name: string;
  extension: string;
  /** E.164 number of the user, `null` when the user has only an extension. */
  number: string | null;
}

/** The result of `getAuthState()`. */
export interface AuthState {
  signed_in: boolean;
  user: DialerUser | null;
}

/**
 * Sign-in, sign-out, and sessions the server ended.
 *
 * ```js
 * dialer.subscribe((e) => showLogin(!e.signed_in), { events: ['authStateChanged'] });
 * ```
 */
export interface AuthStateChanged extends AuthState {
  type: 'authStateChanged';
  reason: 'signed_in' | 'signed_out' | 'expired' | 'revoked' | 'restored';
}

/**
 * The dialer's connection to its server.
 *
 * ```js
 * dialer.subscribe((e) => setOnline(e.state === 'connected'), { events: ['connectionStateChanged'] });
 * ```
 */
export interface ConnectionStateChanged {
  type: 'connectionStateChanged';
  state: 'connecting' | 'connected' | 'disconnected';
}

/**
 * The dialer needs a new sign-in token. The SDK answers it by itself when `getToken` was
 * passed to the constructor; subscribe only to observe it.
 */
export interface TokenRequested {
  type: 'tokenRequested';
}

/**
 * The browser refused to start the call's audio (autoplay policy): the dialer shows a
 * "Click to enable call audio" button. `blocked: false` once audio plays (or the call ends).
 *
 * ```js
 * dialer.subscribe((e) => showAudioHint(e.blocked), { events: ['audioPlaybackBlocked'] });
 * ```
 */
export interface AudioPlaybackBlocked {
  type: 'audioPlaybackBlocked';
  blocked: boolean;
}

/** One leg's figures in `CallQuality`; `null` where not measured (yet). */
export interface CallLegQuality {
  /** Mean opinion score, 1–4.5, from the ITU-T G.107 E-model for G.711 (docs/call-quality.md). */
  mos: number | null;
  jitter_ms: number | null;
  packet_loss_pct: number | null;
  rtt_ms: number | null;
}

/** Raised above (below, for MOS) a threshold, cleared with hysteresis: loss > 3 %, jitter > 30 ms, RTT > 400 ms, MOS < 3.5. */
export type CallQualityWarning = 'high_packet_loss' | 'high_jitter' | 'high_rtt' | 'low_mos';

/**
 * About every 5 s while a call is answered with its audio in this dialer (opt-in). The figures are
 * the worse of the browser leg (WebRTC getStats) and the SIP leg (the gateway's RTCP); `legs` has
 * both (`sip: null` for an extension call, until the gateway's first report, or 15 s after its last).
 *
 * ```js
 * dialer.subscribe((q) => q.warnings.includes('high_packet_loss') && showNetworkHint(), { events: ['callQuality'] });
 * ```
 */
export interface CallQuality extends CallLegQuality {
  type: 'callQuality';
  callId: string;
  warnings: CallQualityWarning[];
  legs: { browser: CallLegQuality; sip: CallLegQuality | null };
}

export interface DialerEventMap {
  callStateChanged: CallStateChanged;
  authStateChanged: AuthStateChanged;
  connectionStateChanged: ConnectionStateChanged;
  tokenRequested: TokenRequested;
  audioPlaybackBlocked: AudioPlaybackBlocked;
  callQuality: CallQuality;
}

export type DialerEventType = keyof DialerEventMap;
export type DialerEvent = DialerEventMap[DialerEventType];

/** The second argument of `subscribe`: the event types the callback receives. */
export interface SubscribeOptions<T extends DialerEventType = DialerEventType> {
  events: readonly T[];
}

export interface EventSubscription {
  /** Unsubscribe: the callback of this subscription will not be invoked anymore. */
  dispose(): void;
}
