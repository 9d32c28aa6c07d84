// The examples of the net2phone Dialer SDK documentation, as written there (closing brackets
// restored, the `Net2phoneDialer` casing typo fixed). They must compile against the shipped typings.
import Net2PhoneDialer from "@net2phone/dialer-sdk";

// Create a dialer instance during the page load.
const net2PhoneDialer = new Net2PhoneDialer({
  // Pass the options as the object to the constructor function
  rootHtmlElement: document.getElementById('net2phone-dialer')
});

// Invoke methods on the dialer instance.
// Methods are typically asynchronous and return JavaScript promises.
net2PhoneDialer
  .placeCall({ to: 'PHONE_NUMBER_HERE' })
  .then(() => console.log('Call placed'));

// Subscribe to events
function onNet2PhoneDialerEvent(event) {
  console.log(event.type, event.call.state);
}
const subscription = net2PhoneDialer.subscribe(onNet2PhoneDialerEvent);
// Unsubscribe when your app is not interested in the events anymore.
subscription.dispose();

// Dispose the dialer to remove.
// This will remove it from the DOM and inbound calls won't be received anymore.
net2PhoneDialer.dispose();

const net2phoneDialer = net2PhoneDialer;

async function errorHandlingExample() {
  const {
    Net2PhoneDialerError,
    InvalidPhoneNumberError,
  } = Net2PhoneDialer.errors;
  try {
    await net2phoneDialer.placeCall({ to: 'invalid_input' });
  } catch (e) {
    if (e instanceof InvalidPhoneNumberError) {
      console.log(
        'The phone call was not dispatched. The phone number was invalid.',
      );
    }
    if (e instanceof Net2PhoneDialerError) {
      console.log('Some other known error from the dialer.', e.message)
    }
    console.error('Unknown error.', e);
  }
}
void errorHandlingExample;

// The UMD snippet, with the global class.
const dialer = new Net2PhoneDialer({
  rootHtmlElement: document.getElementById('net2phone-dialer')
});
void dialer;
