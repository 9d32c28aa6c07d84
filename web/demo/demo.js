// The "custom website" side of the SDK: plain JavaScript, as a customer would write it.
const dialer = new Net2PhoneDialer({
  rootHtmlElement: document.getElementById('net2phone-dialer')
});

const { InvalidPhoneNumberError, AuthenticationError, Net2PhoneDialerError } = Net2PhoneDialer.errors;

const logList = document.getElementById('event-log');
const callError = document.getElementById('call-error');

function log(text) {
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  item.append(time, ' ', text);
  logList.prepend(item);
}

const currentCall = document.getElementById('current-call');
const currentCallText = document.getElementById('current-call-text');
const answerButton = document.getElementById('answer-call');
let current = null;

// Call state changes (the seed's subscribe signature): the log, and the CRM's own call controls.
dialer.subscribe((event) => {
  const call = event.call;
  const inbound = call.direction === 'inbound';
  const other = (inbound ? call.from : call.to) ?? 'a hidden number';
  log(`${inbound ? 'Call from' : 'Call to'} ${other}: ${call.state}` +
    (call.result ? ` (${call.result}${call.end_reason ? `, ${call.end_reason}` : ''})` : ''));
  current = call.state === 'disconnected' ? null : call;
  currentCall.hidden = current === null;
  answerButton.hidden = !(inbound && call.state === 'connecting');
  currentCallText.textContent = inbound && call.state === 'connecting'
    ? `Incoming call from ${call.caller.caller_display_name ?? ''} ${other}`.replace('  ', ' ')
    : `${call.state === 'answered' ? 'In call with' : 'Calling'} ${other}`;
});

// hangUp/answer act on the current call without an argument; the id makes sure it is this one.
async function act(method) {
  if (!current) return;
  try {
    await dialer[method]({ callId: current.id });
  } catch (e) {
    log(`${method}: ${e.name}: ${e.message}`);
  }
}
answerButton.addEventListener('click', () => act('answer'));
document.getElementById('hang-up-call').addEventListener('click', () => act('hangUp'));

// Sign-in and connection events are opt-in.
dialer.subscribe((event) => {
  if (event.type === 'authStateChanged') {
    log(event.signed_in ? `Signed in as ${event.user.display_name} (${event.reason})` : `Signed out (${event.reason})`);
  } else {
    log(`Dialer connection: ${event.state}`);
  }
}, { events: ['authStateChanged', 'connectionStateChanged'] });

async function call(to) {
  callError.textContent = '';
  try {
    await dialer.placeCall({ to });
    log(`Calling ${to}…`);
  } catch (e) {
    if (e instanceof InvalidPhoneNumberError) {
      callError.textContent = 'The phone call was not dispatched. The phone number was invalid.';
    } else if (e instanceof AuthenticationError) {
      callError.textContent = 'Sign in to the phone on the right first.';
    } else if (e instanceof Net2PhoneDialerError) {
      callError.textContent = `Some other known error from the dialer: ${e.message}`;
    } else {
      callError.textContent = 'Unknown error.';
      console.error('Unknown error.', e);
    }
    log(`${e.name}: ${e.message}`);
  }
}

for (const button of document.querySelectorAll('button.call')) {
  button.addEventListener('click', () => call(button.dataset.number));
}

document.getElementById('manual-call').addEventListener('submit', (e) => {
  e.preventDefault();
  call(document.getElementById('manual-number').value);
});
