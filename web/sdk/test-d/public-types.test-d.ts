// Pins the public types of the shipped typings (dist/index.d.ts, resolved through package.json).
// Compiled by `npm run typecheck`; every @ts-expect-error line must really be an error.
import Net2PhoneDialer, {
  AudioOutputUnsupportedError,
  AuthenticationError,
  CallDirection,
  CallNotFoundError,
  CallResult,
  CallState,
  InvalidPhoneNumberError,
  Net2PhoneDialerError,
  type AudioDevice,
  type CallLegQuality,
  type CallQuality,
  type CallQualityWarning,
  type AudioDeviceChoice,
  type AudioDeviceList,
  type AudioPlaybackBlocked,
  type AuthState,
  type AuthStateChanged,
  type Call,
  type CallCommand,
  type CallStateChanged,
  type EndReason,
  type ConnectionStateChanged,
  type EventSubscription,
  type Net2PhoneDialerConstructorOptions,
  type PlaceCallCommand,
  type TransferCommand,
  TransferFailedError,
} from '@net2phone/dialer-sdk';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

declare const root: HTMLElement;

// Constructor
const options: Net2PhoneDialerConstructorOptions = { rootHtmlElement: root };
const dialer = new Net2PhoneDialer(options);
new Net2PhoneDialer({ rootHtmlElement: root, serverUrl: 'https://pbx.example.com', getToken: async () => 'token', readyTimeoutMs: 5000 });
// @ts-expect-error options are required
new Net2PhoneDialer();
// @ts-expect-error rootHtmlElement is required
new Net2PhoneDialer({});
// @ts-expect-error a selector is not an element
new Net2PhoneDialer({ rootHtmlElement: '#net2phone-dialer' });
// @ts-expect-error getToken returns Promise<string>
new Net2PhoneDialer({ rootHtmlElement: root, getToken: () => 42 });

// placeCall
const command: PlaceCallCommand = { to: '+15551234567' };
const placed: Promise<void> = dialer.placeCall(command);
assertType<Equal<typeof placed, Promise<void>>>();
// @ts-expect-error `to` is required
dialer.placeCall({});
// @ts-expect-error `to` is a string
dialer.placeCall({ to: 15551234567 });
// @ts-expect-error the command is required
dialer.placeCall();

// subscribe, seed signature
const subscription: EventSubscription = dialer.subscribe((event) => {
  assertType<Equal<typeof event, CallStateChanged>>();
  assertType<Equal<typeof event.type, 'callStateChanged'>>();
  assertType<Equal<typeof event.call, Call>>();
  assertType<Equal<typeof event.call.start_time, Date>>();
  assertType<Equal<typeof event.call.answer_time, Date | null>>();
  assertType<Equal<typeof event.call.end_time, Date | null>>();
  assertType<Equal<typeof event.call.result, CallResult | null>>();
  assertType<Equal<typeof event.call.state, CallState>>();
  assertType<Equal<typeof event.call.direction, CallDirection>>();
  assertType<Equal<typeof event.call.from, string | null>>();
  assertType<Equal<typeof event.call.caller.caller_display_name, string | null>>();
  assertType<Equal<typeof event.call.end_reason, EndReason | null>>();
  if (event.call.end_reason !== null) {
    // A closed union: a switch over it can be exhaustive, and it still reads as a string.
    const asString: string = event.call.end_reason;
    void asString;
  }
  // @ts-expect-error start_time is a Date, not an ISO string
  event.call.start_time.toUpperCase();
});
subscription.dispose();
// @ts-expect-error the seed signature delivers CallStateChanged only
dialer.subscribe((event: AuthStateChanged) => event.reason);

// subscribe, opt-in event types
dialer.subscribe(
  (event) => {
    assertType<Equal<typeof event, AuthStateChanged | ConnectionStateChanged>>();
  },
  { events: ['authStateChanged', 'connectionStateChanged'] },
);
// @ts-expect-error unknown event type
dialer.subscribe(() => undefined, { events: ['callRinging'] });

// end_reason is the documented union, not any string
assertType<Equal<EndReason,
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
  | 'transferred'>>();
declare const someString: string;
// @ts-expect-error an arbitrary string is not an EndReason
const notAReason: Call['end_reason'] = someString;
void notAReason;

// hangUp, answer, reject: optional { callId }, Promise<void>
for (const act of [dialer.hangUp, dialer.answer, dialer.reject]) {
  assertType<Equal<typeof act, (command?: CallCommand) => Promise<void>>>();
}
const hungUp: Promise<void> = dialer.hangUp();
void hungUp;
dialer.answer({ callId: 'call-1' });
dialer.reject({});
// @ts-expect-error callId is a string
dialer.hangUp({ callId: 1 });
// @ts-expect-error the command is an object, not the id itself
dialer.answer('call-1');
// @ts-expect-error unknown property (snake_case is the wire's, not the SDK's)
dialer.reject({ call_id: 'call-1' });

// Audio: mute, hold, sendDtmf, and the opt-in audioPlaybackBlocked event
assertType<Equal<typeof dialer.mute, (muted: boolean) => Promise<void>>>();
assertType<Equal<typeof dialer.hold, (held: boolean, command?: CallCommand) => Promise<void>>>();
assertType<Equal<typeof dialer.sendDtmf, (digits: string) => Promise<void>>>();
// @ts-expect-error muted is a boolean
dialer.mute('true');
// @ts-expect-error held is required
dialer.hold();
// @ts-expect-error digits are a string
dialer.sendDtmf(1234);
dialer.subscribe(
  (event) => {
    assertType<Equal<typeof event, AudioPlaybackBlocked>>();
    assertType<Equal<typeof event.blocked, boolean>>();
  },
  { events: ['audioPlaybackBlocked'] },
);

// Extra methods
assertType<Equal<ReturnType<typeof dialer.getAuthState>, Promise<AuthState>>>();
assertType<Equal<ReturnType<typeof dialer.signOut>, Promise<void>>>();
assertType<Equal<ReturnType<typeof dialer.dispose>, void>>();
// @ts-expect-error internals are private
dialer.request('placeCall', { to: '1' });

// Enums are real TypeScript enums with the seed's string values
assertType<Equal<`${CallState}`, 'connecting' | 'answered' | 'disconnected'>>();
assertType<Equal<`${CallDirection}`, 'inbound' | 'outbound'>>();
assertType<Equal<`${CallResult}`, 'answered' | 'not_answered'>>();
const state: CallState = CallState.Disconnected;
void state;
// @ts-expect-error a string literal is not a string enum member
const notAnEnum: CallState = 'answered';
void notAnEnum;

// Errors
const { InvalidPhoneNumberError: FromStatic, Net2PhoneDialerError: Base } = Net2PhoneDialer.errors;
assertType<Equal<typeof FromStatic, typeof InvalidPhoneNumberError>>();
assertType<Equal<typeof Base, typeof Net2PhoneDialerError>>();
const error: unknown = new AuthenticationError('signed out');
if (error instanceof Net2PhoneDialer.errors.AuthenticationError) {
  const asBase: Net2PhoneDialerError = error;
  const asError: Error = asBase;
  assertType<Equal<typeof asError.message, string>>();
}
assertType<Equal<keyof typeof Net2PhoneDialer.errors,
  | 'Net2PhoneDialerError'
  | 'InvalidPhoneNumberError'
  | 'OutgoingCallAlreadyRingingError'
  | 'MicrophonePermissionError'
  | 'AuthenticationError'
  | 'InvalidOptionsError'
  | 'DialerTimeoutError'
  | 'DialerDisposedError'
  | 'ConnectionError'
  | 'CallInProgressError'
  | 'CallNotFoundError'
  | 'AudioOutputUnsupportedError'
  | 'DestinationNotAllowedError'
  | 'CallRateLimitedError'
  | 'TransferFailedError'>>();
const notFound: Net2PhoneDialerError = new CallNotFoundError('no call');
void notFound;
const refused: Net2PhoneDialerError = new Net2PhoneDialer.errors.DestinationNotAllowedError('premium rate');
const limited: Net2PhoneDialerError = new Net2PhoneDialer.errors.CallRateLimitedError('too many calls');
void refused;
void limited;

// Audio devices
const listed: Promise<AudioDeviceList> = dialer.getAudioDevices();
void listed;
assertType<Equal<AudioDeviceList, { inputs: AudioDevice[]; outputs: AudioDevice[] }>>();
assertType<Equal<AudioDevice, { id: string; label: string }>>();
assertType<Equal<AudioDeviceChoice, { input?: string; output?: string; ringer?: string }>>();
assertType<Equal<typeof dialer.setAudioDevices, (devices: AudioDeviceChoice) => Promise<void>>>();
dialer.setAudioDevices({ input: 'mic-1' });
dialer.setAudioDevices({ output: 'spk-1', ringer: 'spk-2' });
// @ts-expect-error device ids are strings
dialer.setAudioDevices({ input: 1 });
// @ts-expect-error unknown key
dialer.setAudioDevices({ speaker: 'spk-1' });
const outputError = new AudioOutputUnsupportedError('no setSinkId');
assertType<Equal<typeof Net2PhoneDialer.errors.AudioOutputUnsupportedError, typeof AudioOutputUnsupportedError>>();
const asBase: Net2PhoneDialerError = outputError;
void asBase;

// callQuality (opt-in)
dialer.subscribe(
  (event) => {
    assertType<Equal<typeof event, CallQuality>>();
    assertType<Equal<typeof event.callId, string>>();
    assertType<Equal<typeof event.mos, number | null>>();
    assertType<Equal<typeof event.warnings, CallQualityWarning[]>>();
    assertType<Equal<typeof event.legs, { browser: CallLegQuality; sip: CallLegQuality | null }>>();
  },
  { events: ['callQuality'] },
);
assertType<Equal<CallQualityWarning, 'high_packet_loss' | 'high_jitter' | 'high_rtt' | 'low_mos'>>();
// @ts-expect-error the seed signature never delivers callQuality
dialer.subscribe((event: CallQuality) => event.mos);

// transfer, hold with a call (issue 15: transfer and call waiting)
const transferCommand: TransferCommand = { to: '1002' };
const transferred: Promise<void> = dialer.transfer(transferCommand);
assertType<Equal<typeof transferred, Promise<void>>>();
dialer.transfer({ callId: 'c1', to: '+15551234567' });
// @ts-expect-error `to` or `toCallId` is required
dialer.transfer({ callId: 'c1' });
dialer.transfer({ callId: 'c1', toCallId: 'c2' });
// @ts-expect-error not both `to` and `toCallId`
dialer.transfer({ to: '1002', toCallId: 'c2' });
// @ts-expect-error the command is required
dialer.transfer();
dialer.hold(true);
dialer.hold(false, { callId: 'c1' });
// @ts-expect-error callId is a string
dialer.hold(true, { callId: 1 });
assertType<Equal<typeof Net2PhoneDialer.errors.TransferFailedError, typeof TransferFailedError>>();
const transferEnd: EndReason = 'transferred';
void transferEnd;
new TransferFailedError('busy') satisfies Net2PhoneDialerError;
