/**
 * @net2phone/dialer-sdk: the whole public API. Everything not exported here is internal.
 *
 * ```js
 * import Net2PhoneDialer from '@net2phone/dialer-sdk';
 * const dialer = new Net2PhoneDialer({ rootHtmlElement: document.getElementById('net2phone-dialer') });
 * await dialer.placeCall({ to: '+15551234567' });
 * ```
 */
import { Net2PhoneDialer } from './net2phone-dialer';

export default Net2PhoneDialer;
export { Net2PhoneDialer };
export type { CallCommand, Net2PhoneDialerConstructorOptions, PlaceCallCommand, TransferCommand } from './net2phone-dialer';
export type { AudioDevice, AudioDeviceChoice, AudioDeviceList } from './audio-devices';
export { CallDirection, CallResult, CallState } from './call';
export type { Call, EndReason } from './call';
export type {
  AudioPlaybackBlocked,
  CallLegQuality,
  CallQuality,
  CallQualityWarning,
  AuthState,
  AuthStateChanged,
  CallStateChanged,
  ConnectionStateChanged,
  DialerEvent,
  DialerEventMap,
  DialerEventType,
  DialerUser,
  EventSubscription,
  SubscribeOptions,
  TokenRequested,
} from './events';
export {
  AudioOutputUnsupportedError,
  AuthenticationError,
  CallInProgressError,
  CallNotFoundError,
  CallRateLimitedError,
  ConnectionError,
  DestinationNotAllowedError,
  DialerDisposedError,
  DialerTimeoutError,
  InvalidOptionsError,
  InvalidPhoneNumberError,
  MicrophonePermissionError,
  Net2PhoneDialerError,
  OutgoingCallAlreadyRingingError,
  TransferFailedError,
} from './errors';
export type { Net2PhoneDialerErrors } from './errors';
