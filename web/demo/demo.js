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

// Call state changes (the seed's subscribe signature).
dialer.subscribe((event) => {
  const call = event.call;
  log(`Call ${call.id} to ${call.to ?? 'hidden number'}: ${call.state}` +
    (call.result ? ` (${call.result})` : ''));
});

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
