// `require('@net2phone/dialer-sdk')` in a CommonJS TypeScript file: the module is the class at run
// time, with `default` and every named export attached; the typings describe `default` and the names.
import sdk = require('@net2phone/dialer-sdk');

declare const root: HTMLElement;
const dialer = new sdk.default({ rootHtmlElement: root });
const placed: Promise<void> = dialer.placeCall({ to: '101' });
void placed;
const state: sdk.CallState = sdk.CallState.Answered;
void state;
const error = new sdk.Net2PhoneDialer.errors.InvalidPhoneNumberError('x');
const base: sdk.Net2PhoneDialerError = error;
void base;
// @ts-expect-error `to` must be a string
dialer.placeCall({ to: 1 });
const hungUp: Promise<void> = dialer.hangUp({ callId: 'call-1' });
void hungUp;
const notFound: sdk.Net2PhoneDialerError = new sdk.CallNotFoundError('no call');
const refused: sdk.Net2PhoneDialerError = new sdk.DestinationNotAllowedError('premium rate');
const limited: sdk.Net2PhoneDialerError = new sdk.CallRateLimitedError('too many calls');
void notFound;
void refused;
void limited;
