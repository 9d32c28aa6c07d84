export enum CallState {
  /** The initial (first) state of the call. */
  Connecting = 'connecting',
  /** The call was accepted on the other side. */
  Answered = 'answered',
  /**
   * The final (last) state of the call. Always emitted, whether the call was successful,
   * rejected, cancelled or blocked; see `result`.
   */
  Disconnected = 'disconnected',
}

export enum CallDirection {
  Inbound = 'inbound',
  Outbound = 'outbound',
}

export enum CallResult {
  /** The call was answered (including automated answers such as voicemail). */
  Answered = 'answered',
  /** Missed, busy, rejected, blocked or dropped, or cancelled early by the caller. */
  NotAnswered = 'not_answered',
}

/**
 * Why a call ended, set together with `state: "disconnected"`:
 * - `busy`: the callee was busy (SIP 486/600)
 * - `declined`: the callee, or this user, declined the ringing call
 * - `no_answer`: nobody answered before the ring timeout
 * - `canceled`: the caller gave up while it was ringing
 * - `failed`: the call failed for another reason (including reasons newer than this SDK)
 * - `unreachable`: the callee or the trunk could not be reached
 * - `local_hangup`: this user hung up
 * - `remote_hangup`: the other party hung up
 * - `answered_elsewhere`: another dialer of this user answered the inbound call
 * - `media_timeout`: no audio arrived for a while (by default 30 s) while the call was answered and not on hold
 * - `connection_lost`: the dialer carrying the call's audio went away (tab closed, network lost) and none came back in time
 * - `media_failed`: the call was answered but its audio never got through: the network between the browser and the
 *   gateway blocks it (UDP and TCP to the gateway's media port, and TURN if configured); the dialer says what to open
 * - `gateway_shutdown`: the gateway was stopped during the call
 * - `gateway_restart`: the gateway stopped without ending the call (crash); reported once it runs again
 * - `session_expired`: the phone network stopped confirming the call was still up (SIP session timer), so it was ended
 * - `transferred`: this user transferred the answered call (`transfer`); the other party now talks to the target
 */
export type EndReason =
  | 'busy'
  | 'declined'
  | 'no_answer'
  | 'canceled'
  | 'failed'
  | 'unreachable'
  | 'local_hangup'
  | 'remote_hangup'
  | 'answered_elsewhere'
  | 'media_timeout'
  | 'connection_lost'
  | 'media_failed'
  | 'gateway_shutdown'
  | 'gateway_restart'
  | 'session_expired'
  | 'transferred';

export interface Call {
  /** Unique identifier of the call. */
  id: string;
  /** The current state of the call. */
  state: CallState;
  direction: CallDirection;
  /** The final call status; `null` until the call is disconnected. */
  result: CallResult | null;
  /** E.164 phone number or an extension; `null` if the number is hidden. */
  from: string | null;
  /** E.164 phone number or an extension; `null` if the number is hidden. */
  to: string | null;
  caller: {
    /** The optional display name as set in the call information. */
    caller_display_name: string | null;
  };
  start_time: Date;
  /** When the call became "answered"; `null` until then. */
  answer_time: Date | null;
  /** When the call became "disconnected"; `null` until then. */
  end_time: Date | null;
  /** Why the call ended, e.g. "remote_hangup"; `null` until the call is disconnected. */
  end_reason: EndReason | null;
  /**
   * `true` when this inbound call is the caller of this user's blind transfer coming back: the target
   * rang but did not take it. Absent on every other call.
   */
  recall?: true;
}
