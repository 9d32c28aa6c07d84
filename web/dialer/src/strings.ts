// Every user-visible string of the dialer, in one place.
export const strings = {
  title: 'net2phone dialer',
  notEmbedded: 'This dialer must be embedded in a website with the net2phone dialer SDK.',
  notAllowed: (origin: string) =>
    `This dialer can't be used on ${origin}: the site is not allowed to embed it.`,
  configUnavailable: 'The dialer could not load its configuration. Try again later.',
  unknownOrigin: 'an unknown site',

  signInHeading: 'Sign in',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  wrongCredentials: 'Wrong username or password.',
  /** Shown above the sign-in form when the gateway ended the session. */
  sessionEnded: 'You were signed out. Sign in again to make and receive calls.',
  signInFailed: 'Sign-in failed. Try again.',

  signOut: 'Sign out',
  extension: (ext: string) => `Ext. ${ext}`,
  phoneNumber: 'Phone number',
  call: 'Call',
  calling: 'Calling…',
  /** Under the number field. */
  numberHint: 'A phone number or an extension',

  recentCalls: 'Recent calls',
  noRecentCalls: 'No calls yet. Calls you make and receive appear here.',
  /** The accessible name of a recent call: what pressing it does. */
  callBack: (party: string) => `Call back ${party}`,
  outgoing: 'Outgoing',
  incoming: 'Incoming',
  missed: 'Missed',
  /** A recent call's outcome in words (from its result and end_reason). */
  outcomes: {
    answered: (duration: string) => `Answered, ${duration}`,
    inProgress: 'In progress',
    busy: 'Busy',
    declined: 'Declined',
    declinedByYou: 'You declined',
    no_answer: 'No answer',
    canceled: 'Cancelled',
    missed: 'Missed',
    failed: 'Failed',
    unreachable: 'Could not be reached',
    answered_elsewhere: 'Picked up on another device',
  },

  ringtoneBlocked: 'Incoming call — click to hear the ringtone',

  incomingCall: 'Incoming call',
  /** A blind transfer's caller offered back: the target did not answer. */
  transferRecall: 'Transfer not answered — caller returned',
  inCall: 'In call',
  unknownParty: 'Unknown',
  callEnded: (reason: string | null) => (reason ? `Call ended — ${reason}` : 'Call ended'),
  answer: 'Answer',
  decline: 'Decline',
  hangUp: 'Hang up',
  mute: 'Mute',
  unmute: 'Unmute',
  hold: 'Hold',
  resume: 'Resume',
  keypad: 'Keypad',
  /** The idle dial pad: the button that shows it, and its group. */
  dialPad: 'Dial pad',
  dialPadLabel: 'Dial pad keys',
  /** The accessible name of a dial pad key: "2 ABC", "0 +", "star", "pound". */
  dialPadKey: (key: string, letters: string) => (key === '*' ? 'star' : key === '#' ? 'pound' : letters ? `${key} ${letters}` : key),
  keypadLabel: 'Keypad tones',
  /** The accessible name of a keypad key: "Send tone 5", "Send tone star". */
  keypadKey: (key: string) => `Send tone ${key === '*' ? 'star' : key === '#' ? 'pound' : key}`,
  tonesSent: 'Tones sent:',
  onHold: 'On hold',
  mutedNote: 'Microphone muted',
  enableAudio: 'Click to enable call audio',
  takeOverAudio: 'Take the call here',
  /** A call answered in another tab of this browser: shown read-only. */
  onCallElsewhere: 'On a call in another tab',
  microphoneHeading: 'Microphone needed',
  dismiss: 'Dismiss',
  /** `Call ended — <reason>`, per end_reason of protocol.md part 3. */
  endReasons: {
    busy: 'the line is busy',
    declined: 'declined',
    no_answer: 'no answer',
    canceled: 'cancelled',
    failed: 'the call failed',
    unreachable: 'the number could not be reached',
    local_hangup: 'you hung up',
    remote_hangup: 'the other party hung up',
    answered_elsewhere: 'answered on another device',
    media_timeout: 'the audio connection was lost',
    connection_lost: 'the dialer carrying the audio lost its connection',
    media_failed: 'your network blocks the call audio',
    gateway_shutdown: 'the phone service was stopped',
    gateway_restart: 'the phone service restarted',
    transferred: 'transferred',
    session_expired: 'the phone network stopped confirming the call',
  },

  networkHeading: 'Your network blocks call audio',
  /** After `media_failed`: what to open, from the gateway's `mediaConfig` (null when unknown). */
  networkBlocked: (gateway: { address: string; udp_port: number; tcp_port: number; turn: boolean } | null): string => {
    if (!gateway) return 'The call audio could not get through this network. Ask your IT team to allow the dialer\'s audio traffic, or try another network.';
    const ports = [`UDP port ${gateway.udp_port}`];
    if (gateway.tcp_port > 0) ports.push(`TCP port ${gateway.tcp_port}`);
    const open = `${ports.join(' or ')} to ${gateway.address}`;
    return gateway.turn
      ? `The call audio could not get through this network, not even through the TURN server. Ask your IT team to allow ${open}, or the TURN server's ports.`
      : `The call audio could not get through this network. Ask your IT team to allow ${open}, or to set up a TURN server for the dialer.`;
  },

  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',

  audioSettings: 'Audio settings',
  quality: {
    good: 'Call quality good',
    fair: 'Call quality fair',
    poor: 'Call quality poor',
    loss: 'loss',
    jitter: 'jitter',
    rtt: 'round trip',
    warnings: {
      high_packet_loss: 'audio packets are being lost',
      high_jitter: 'audio arrives unevenly',
      high_rtt: 'long delay',
      low_mos: 'poor audio quality',
    },
  },
  systemDefault: 'System default',
  microphone: 'Microphone',
  speaker: 'Speaker',
  ringer: 'Ringtone',
  transfer: {
    failed: (reason: string) =>
      `The transfer did not go through (${
        { busy: 'the target is busy', declined: 'the target declined', no_answer: 'the target did not answer', unreachable: 'the target could not be reached' }[reason] ?? reason
      }); the caller is still on the line with you.`,
    timeout: 'The transfer target did not answer in time; the caller is still on the line with you.',
    callEnded: 'The call ended before the transfer completed.',
    superseded: 'Another transfer of this call was started.',
    button: 'Transfer',
    prompt: 'Transfer to (extension or number)',
    waiting: 'Call waiting',
    swap: 'Swap',
    join: 'Join (transfer)',
    onHold: 'On hold',
  },
  errors: {
    outputUnsupported: 'This browser cannot choose where audio plays: it uses the system’s output device.',
    unknownDevice: 'No such audio device: use an id from getAudioDevices().',
    deviceFailed: 'The audio device could not be used.',
    invalidNumber: 'Enter a phone number or an extension.',
    numberTooLong: 'The phone number is too long.',
    connection: 'The dialer cannot reach the server.',
    timeout: 'The server did not answer in time.',
    notSignedIn: 'You are not signed in.',
    numberNotValid: 'That number is not valid or does not exist. Check the digits, or start with + and the country code (for example +44 20 7946 0018).',
    invalidCallId: 'call_id must be a non-empty string.',
    microphoneDenied:
      'The microphone is blocked for this site. Click the icon at the left of the address bar, set Microphone to Allow, then try again.',
    microphoneMissing: 'No microphone was found. Connect one, then try again.',
    microphoneBusy: 'The microphone could not be started; another application may be using it. Close it, then try again.',
    microphoneUnavailable: 'The microphone is not available on this page: it needs a secure (https) connection.',
    noRingingCall: 'There is no ringing call to answer.',
    noAudioCall: 'There is no answered call with audio in this dialer.',
    invalidMuted: 'muted must be true or false.',
    invalidHeld: 'held must be true or false.',
    invalidTransfer: 'transfer expects { to: string, call_id?: string }.',
    noTransferableCall: 'There is no answered call to transfer.',
    invalidDigits: 'digits must be 1 to 64 of 0-9, A-D, *, # and "," (a pause).',
    mediaFailed: 'The call audio could not be set up, so the call was ended.',
    dtmfUnavailable: 'Keypad tones cannot be sent on this call yet.',
  },
} as const;
