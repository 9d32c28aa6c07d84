import { DialerApp, type DialerAppOptions } from '../src/dialer-app';
import type { SocketLike } from '../src/gateway-client';
import { fakeAudioElement, fakeMedia } from './fake-media';

/** A gateway WebSocket that answers each request from a table, by method. */
export class FakeGateway implements SocketLike {
  readyState = 0;
  sent: Array<{ id: string; method: string; params: Record<string, unknown> }> = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  /** Answers by method; a function gets the params. */
  constructor(private readonly answers: Record<string, (params: Record<string, unknown>) => object>) {
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }
  send(data: string) {
    const req = JSON.parse(data);
    this.sent.push(req);
    const answer = this.answers[req.method]?.(req.params) ?? { ok: false, error: { code: 'unknown_method', message: 'no' } };
    queueMicrotask(() => this.onmessage?.({ data: JSON.stringify({ v: 1, type: 'response', id: req.id, ...answer }) }));
  }
  close() {
    this.readyState = 3;
  }
  event(event: object) {
    this.onmessage?.({ data: JSON.stringify({ v: 1, type: 'event', event }) });
  }
}

export const user = { username: 'ada', display_name: 'Ada Whitfield', extension: '201', number: '+12025550143' };
export const signedIn = (token: string) => ({ ok: true, result: { session: { token, expires_at: '2030-01-01T00:00:00Z' }, user } });
export const authRequired = { ok: false, error: { code: 'authentication_required', message: 'Sign in first.' } };

/** A DialerApp in a jsdom page, connected to a FakeGateway that says hello, with fake media. */
export function start(answers: Record<string, (p: Record<string, unknown>) => object>, options: Partial<DialerAppOptions> = {}) {
  const root = document.createElement('main');
  document.body.replaceChildren(root);
  const events: Array<Record<string, unknown>> = [];
  let socket!: FakeGateway;
  const media = fakeMedia();
  const audio = fakeAudioElement();
  const app = new DialerApp({
    root,
    gatewayUrl: 'ws://gw/ws',
    storage: localStorage,
    tabStorage: sessionStorage,
    emit: (e) => events.push(e as unknown as Record<string, unknown>),
    media: media.env,
    audioElement: audio.element,
    ...options,
    createSocket: () => (socket = new FakeGateway({ hello: () => ({ ok: true, result: { protocol: 1, server: 'opendialer', version: 't' } }), checkNumber: (p) => ({ ok: true, result: { to: p.to } }), ...answers })),
  });
  app.start();
  return { app, root, events, media, audio, gateway: () => socket };
}
