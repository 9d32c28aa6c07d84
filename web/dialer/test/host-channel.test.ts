import { afterEach, describe, expect, it, vi } from 'vitest';
import { DialerError } from '../src/errors';
import { HostChannel } from '../src/host-channel';

const PARENT = 'https://crm.example';
const request = (over: Record<string, unknown> = {}) => ({
  ns: 'net2phone-dialer', v: 1, kind: 'request', id: 'r1', method: 'getAuthState', params: {}, ...over,
});

function setup(handler = vi.fn(async () => ({ ok: 1 }))) {
  const parent = { postMessage: vi.fn() } as unknown as Window & { postMessage: ReturnType<typeof vi.fn> };
  const channel = new HostChannel(window, parent, PARENT, handler);
  const deliver = (data: unknown, origin = PARENT, source: unknown = parent) =>
    window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }));
  return { parent, channel, handler, deliver };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('HostChannel', () => {
  let channel: HostChannel | undefined;
  afterEach(() => channel?.close());

  it('answers a valid request from the parent with a response posted to the parent origin', async () => {
    const s = setup();
    channel = s.channel;
    s.deliver(request());
    await flush();
    expect(s.handler).toHaveBeenCalledWith('getAuthState', {});
    expect(s.parent.postMessage).toHaveBeenCalledWith(
      { ns: 'net2phone-dialer', v: 1, kind: 'response', id: 'r1', ok: true, result: { ok: 1 } },
      PARENT,
    );
    expect(s.channel.stats).toEqual({ accepted: 1, ignored: 0 });
  });

  it('ignores a valid request from another origin', async () => {
    const s = setup();
    channel = s.channel;
    s.deliver(request(), 'https://evil.example');
    await flush();
    expect(s.handler).not.toHaveBeenCalled();
    expect(s.parent.postMessage).not.toHaveBeenCalled();
    expect(s.channel.stats).toEqual({ accepted: 0, ignored: 1 });
  });

  it('ignores a request with the right origin from a window that is not the parent', async () => {
    const s = setup();
    channel = s.channel;
    s.deliver(request(), PARENT, { postMessage() {} });
    s.deliver(request(), PARENT, null);
    await flush();
    expect(s.handler).not.toHaveBeenCalled();
    expect(s.channel.stats.ignored).toBe(2);
  });

  it.each([
    ['another namespace', request({ ns: 'other' })],
    ['another version', request({ v: 2 })],
    ['an empty id', request({ id: '' })],
    ['an id over 64 chars', request({ id: 'x'.repeat(65) })],
    ['params that are not an object', request({ params: 'to' })],
    ['a response envelope', { ns: 'net2phone-dialer', v: 1, kind: 'response', id: 'r1', ok: true, result: null }],
    ['a string', 'placeCall'],
  ])('ignores %s', async (_name, data) => {
    const s = setup();
    channel = s.channel;
    s.deliver(data);
    await flush();
    expect(s.handler).not.toHaveBeenCalled();
  });

  it('answers a failed request with the error name and message', async () => {
    const s = setup(vi.fn(async () => {
      throw new DialerError('InvalidPhoneNumberError', 'bad number');
    }));
    channel = s.channel;
    s.deliver(request({ method: 'placeCall', params: { to: 'x' } }));
    await flush();
    expect(s.parent.postMessage).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'response', id: 'r1', ok: false, error: { name: 'InvalidPhoneNumberError', message: 'bad number' } }),
      PARENT,
    );
  });

  it('sends ready only once and events with the parent origin as target', () => {
    const s = setup();
    channel = s.channel;
    s.channel.sendReady();
    s.channel.sendReady();
    s.channel.sendEvent({ type: 'tokenRequested' });
    expect(s.parent.postMessage.mock.calls).toEqual([
      [{ ns: 'net2phone-dialer', v: 1, kind: 'ready' }, PARENT],
      [{ ns: 'net2phone-dialer', v: 1, kind: 'event', event: { type: 'tokenRequested' } }, PARENT],
    ]);
  });
});
