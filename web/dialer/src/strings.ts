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
  signInFailed: 'Sign-in failed. Try again.',

  signOut: 'Sign out',
  extension: (ext: string) => `Ext. ${ext}`,
  phoneNumber: 'Phone number',
  call: 'Call',
  calling: 'Calling…',

  incomingCall: 'Incoming call',
  inCall: 'In call',
  unknownParty: 'Unknown',
  callEnded: (reason: string | null) => (reason ? `Call ended — ${reason}` : 'Call ended'),
  noAudioYet: 'Calls carry no audio yet.',
  answer: 'Answer',
  decline: 'Decline',
  hangUp: 'Hang up',
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
  },

  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',

  errors: {
    invalidNumber: 'Enter a phone number or an extension.',
    numberTooLong: 'The phone number is too long.',
    connection: 'The dialer cannot reach the server.',
    timeout: 'The server did not answer in time.',
    notSignedIn: 'You are not signed in.',
    invalidCallId: 'call_id must be a non-empty string.',
  },
} as const;
