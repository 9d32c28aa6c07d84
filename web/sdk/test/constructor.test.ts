import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import Net2PhoneDialer, { InvalidOptionsError } from '../src/index';
import { setLoadedFrom } from '../src/server-url';
import { SERVER, createDialer } from './harness';

afterEach(() => {
  document.body.innerHTML = '';
  setLoadedFrom(null);
});

function construct(options: unknown) {
  return () => new Net2PhoneDialer(options as never);
}

describe('new Net2PhoneDialer(options)', () => {
  it.each<[string, unknown]>([
    ['no options', undefined],
    ['null options', null],
    ['a string', '#net2phone-dialer'],
    ['no rootHtmlElement', { serverUrl: SERVER }],
    ['a null rootHtmlElement (getElementById found nothing)', { rootHtmlElement: null, serverUrl: SERVER }],
    ['a selector string as rootHtmlElement', { rootHtmlElement: '#dialer', serverUrl: SERVER }],
    ['a text node as rootHtmlElement', { rootHtmlElement: document.createTextNode('x'), serverUrl: SERVER }],
    ['an object that only claims nodeType 1', { rootHtmlElement: { nodeType: 1 }, serverUrl: SERVER }],
  ])('throws InvalidOptionsError for %s', (_, options) => {
    expect(construct(options)).toThrow(InvalidOptionsError);
  });

  it('says what is wrong with rootHtmlElement', () => {
    expect(construct({ rootHtmlElement: null, serverUrl: SERVER })).toThrow(/rootHtmlElement must be an HTML element, got null/);
  });

  it.each<[string, unknown]>([
    ['a non-function getToken', { getToken: 'token' }],
    ['a negative readyTimeoutMs', { readyTimeoutMs: -1 }],
    ['a string readyTimeoutMs', { readyTimeoutMs: '1000' }],
    ['a relative serverUrl', { serverUrl: '/dialer' }],
    ['an ftp serverUrl', { serverUrl: 'ftp://dialer.test' }],
    ['a numeric serverUrl', { serverUrl: 8080 }],
  ])('throws InvalidOptionsError for %s', (_, extra) => {
    const rootHtmlElement = document.createElement('div');
    expect(construct({ rootHtmlElement, serverUrl: SERVER, ...(extra as object) })).toThrow(InvalidOptionsError);
  });

  it('asks for serverUrl when it cannot tell where the SDK was loaded from', () => {
    expect(construct({ rootHtmlElement: document.createElement('div') })).toThrow(/options\.serverUrl is required/);
    setLoadedFrom('file:///home/me/dialer-sdk.mjs');
    expect(construct({ rootHtmlElement: document.createElement('div') })).toThrow(InvalidOptionsError);
  });

  it('appends a dialer iframe with the documented attributes', () => {
    const { root, iframe } = createDialer();
    expect(root.children).toHaveLength(1);
    expect(iframe.getAttribute('src')).toBe(`${SERVER}/dialer/?parentOrigin=${encodeURIComponent(location.origin)}`);
    expect(iframe.getAttribute('allow')).toBe('microphone; autoplay; speaker-selection');
    expect(iframe.getAttribute('title')).toBe('Phone dialer');
    expect(iframe.style.width).toBe('100%');
    expect(iframe.style.height).toBe('100%');
    expect(iframe.style.borderWidth || iframe.style.border).toMatch(/^0/);
    expect(iframe.style.display).toBe('block');
  });

  it('keeps a path prefix of serverUrl and drops its trailing slash', () => {
    const { iframe } = createDialer({ serverUrl: 'https://pbx.example.com/phone/' });
    expect(iframe.getAttribute('src')).toMatch(/^https:\/\/pbx\.example\.com\/phone\/dialer\/\?parentOrigin=/);
  });

  it('throws InvalidOptionsError naming serverUrl and the meta tag when bundled from npm without either', () => {
    setLoadedFrom('https://crm.example.com/assets/app-3f2a.js');
    expect(construct({ rootHtmlElement: document.createElement('div') })).toThrow(
      /options\.serverUrl is required.*<meta name="net2phone-dialer-server"/,
    );
  });

  it('takes the server from <meta name="net2phone-dialer-server"> when the SDK is bundled into the host', () => {
    setLoadedFrom('https://crm.example.com/assets/app-3f2a.js');
    document.head.insertAdjacentHTML('beforeend', '<meta name="net2phone-dialer-server" content="https://dialer.example.com/phone/">');
    try {
      const rootHtmlElement = document.createElement('div');
      new Net2PhoneDialer({ rootHtmlElement });
      expect(rootHtmlElement.querySelector('iframe')!.getAttribute('src')).toMatch(
        /^https:\/\/dialer\.example\.com\/phone\/dialer\/\?parentOrigin=/,
      );
    } finally {
      document.head.querySelector('meta[name="net2phone-dialer-server"]')!.remove();
    }
  });

  it('rejects a <meta name="net2phone-dialer-server"> that is not an http(s) URL', () => {
    document.head.insertAdjacentHTML('beforeend', '<meta name="net2phone-dialer-server" content="dialer.example.com">');
    try {
      expect(construct({ rootHtmlElement: document.createElement('div') })).toThrow(/must hold an absolute http\(s\) URL/);
    } finally {
      document.head.querySelector('meta[name="net2phone-dialer-server"]')!.remove();
    }
  });

  it('prefers the gateway /sdk/ file the SDK was loaded from, keeping a path prefix before /sdk/', () => {
    setLoadedFrom('https://proxy.example.com/phone/sdk/dialer-sdk.umd.js');
    const rootHtmlElement = document.createElement('div');
    new Net2PhoneDialer({ rootHtmlElement });
    expect(rootHtmlElement.querySelector('iframe')!.getAttribute('src')).toMatch(
      /^https:\/\/proxy\.example\.com\/phone\/dialer\/\?parentOrigin=/,
    );
  });

  it('defaults serverUrl to the origin the SDK file was loaded from', () => {
    setLoadedFrom('https://gateway.example.com:8443/sdk/dialer-sdk.mjs');
    const rootHtmlElement = document.createElement('div');
    new Net2PhoneDialer({ rootHtmlElement });
    expect(rootHtmlElement.querySelector('iframe')!.getAttribute('src')).toMatch(
      /^https:\/\/gateway\.example\.com:8443\/dialer\/\?parentOrigin=/,
    );
  });

  it('accepts an element from another realm (not instanceof this window\'s HTMLElement)', () => {
    const other = new JSDOM('<div id="net2phone-dialer"></div>', { url: 'https://host.example.com/' });
    const rootHtmlElement = other.window.document.getElementById('net2phone-dialer')!;
    expect(rootHtmlElement instanceof HTMLElement).toBe(false);
    const dialer = new Net2PhoneDialer({ rootHtmlElement, serverUrl: SERVER });
    const iframe = rootHtmlElement.querySelector('iframe')!;
    expect(iframe.getAttribute('src')).toBe(`${SERVER}/dialer/?parentOrigin=${encodeURIComponent('https://host.example.com')}`);
    dialer.dispose();
    other.window.close();
  });
});
