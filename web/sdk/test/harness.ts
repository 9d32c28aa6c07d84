import Net2PhoneDialer, { type Net2PhoneDialerConstructorOptions } from '../src/index';

export const SERVER = 'http://dialer.test:8080';
const header = { ns: 'net2phone-dialer', v: 1 } as const;

export interface Posted {
  data: { id: string; method: string; params: Record<string, unknown>; [key: string]: unknown };
  targetOrigin: string;
}

/** A dialer in a jsdom page, with its iframe's window standing in for the dialer app. */
export function createDialer(options: Partial<Net2PhoneDialerConstructorOptions> = {}) {
  const root = document.createElement('div');
  document.body.appendChild(root);
  const dialer = new Net2PhoneDialer({ rootHtmlElement: root, serverUrl: SERVER, ...options });
  const iframe = root.querySelector('iframe')!;
  const frameWindow = iframe.contentWindow!;
  const posted: Posted[] = [];
  frameWindow.postMessage = ((data: Posted['data'], targetOrigin: string) => {
    posted.push({ data, targetOrigin });
  }) as Window['postMessage'];

  /** Delivers `data` to the SDK as if posted by `source` at `origin` (by default: the dialer). */
  function deliver(data: unknown, from: { origin?: string; source?: Window | null } = {}) {
    const source = 'source' in from ? from.source : frameWindow;
    window.dispatchEvent(new MessageEvent('message', { data, origin: from.origin ?? SERVER, source }));
  }
  return {
    dialer,
    root,
    iframe,
    posted,
    deliver,
    ready: () => deliver({ ...header, kind: 'ready' }),
    respond: (id: string, result: unknown) => deliver({ ...header, kind: 'response', id, ok: true, result }),
    fail: (id: string, name: string, message: string) =>
      deliver({ ...header, kind: 'response', id, ok: false, error: { name, message } }),
    emit: (event: unknown) => deliver({ ...header, kind: 'event', event }),
  };
}

/** Lets promise chains run (works with fake timers too). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

export const wireCall = {
  id: 'call-1',
  state: 'answered',
  direction: 'outbound',
  result: null,
  from: '101',
  to: '+15551234567',
  caller: { caller_display_name: null },
  start_time: '2026-11-24T10:00:00.000Z',
  answer_time: '2026-11-24T10:00:04.500Z',
  end_time: null,
  end_reason: null,
  seq: 1,
};
