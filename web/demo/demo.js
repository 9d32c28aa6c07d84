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

// The gateway's built-in sandbox carrier (docs/sandbox.md): only present when it has no SIP trunk,
// so a 404 (or any failure) leaves the panel hidden. This part is the demo's, not the seed's snippet.
const sandboxPanel = document.getElementById('sandbox');
const gatewayUrl = sandboxPanel.dataset.gatewayUrl;
const callMeStatus = document.getElementById('call-me-status');

function displayNumber(e164) {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `+1 ${nanp[1]} ${nanp[2]} ${nanp[3]}` : e164;
}

let callMeSeconds = 30;

function showSandbox(numbers) {
  const rows = document.getElementById('sandbox-numbers');
  for (const n of numbers) {
    const row = rows.insertRow();
    row.insertCell().textContent = displayNumber(n.e164);
    row.insertCell().textContent = n.description;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Call';
    button.setAttribute('aria-label', `Call ${displayNumber(n.e164)} (${n.behaviour.replace('_', ' ')})`);
    button.addEventListener('click', () => call(n.e164));
    row.insertCell().append(button);
  }
  sandboxPanel.hidden = false;
}

fetch(`${gatewayUrl}/api/sandbox`)
  .then((response) => (response.ok ? response.json() : null))
  .then((body) => {
    if (body && body.sandbox === true && Array.isArray(body.numbers)) {
      callMeSeconds = body.call_me_seconds ?? callMeSeconds;
      showSandbox(body.numbers);
    }
  })
  .catch(() => { /* a gateway with a real trunk, or unreachable: no sandbox panel */ });

// "Call me": the sandbox calls the signed-in user's extension, to try an incoming call.
document.getElementById('call-me').addEventListener('click', async () => {
  callMeStatus.textContent = '';
  let auth;
  try {
    auth = await dialer.getAuthState();
  } catch (e) {
    callMeStatus.textContent = `The phone is not ready: ${e.message}`;
    return;
  }
  if (!auth.signed_in) {
    callMeStatus.textContent = 'Sign in to the phone on the right first: the sandbox calls the signed-in user.';
    return;
  }
  const extension = auth.user.extension;
  try {
    const response = await fetch(`${gatewayUrl}/api/sandbox/call-me`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ to: extension })
    });
    if (response.status === 202) {
      callMeStatus.textContent = `The sandbox is calling extension ${extension}: answer it in the phone. It plays a tone, then hangs up after ${callMeSeconds} seconds.`;
      log(`Sandbox: calling extension ${extension}`);
    } else {
      const body = await response.json().catch(() => ({}));
      callMeStatus.textContent = body.message ?? `The sandbox said no (HTTP ${response.status}).`;
    }
  } catch (e) {
    callMeStatus.textContent = `Could not reach the gateway: ${e.message}`;
  }
});
