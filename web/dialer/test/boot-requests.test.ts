import { describe, expect, it, vi } from 'vitest';
import { BootRequests, type RequestTarget } from '../src/boot-requests';

function deferredApp() {
  let resolve!: (app: RequestTarget) => void;
  const app = new Promise<RequestTarget>((r) => (resolve = r));
  const target = { handleHostRequest: vi.fn(async (method: string) => `app:${method}`) };
  return { app, create: () => resolve(target), target };
}

describe('BootRequests (requests while the dialer starts)', () => {
  it('without a stored session answers getAuthState signed out before the app exists, and reports the first request', async () => {
    const { app, target } = deferredApp();
    const requests = new BootRequests(true, app);
    const first = vi.fn();
    void requests.firstRequest.then(first);
    await expect(requests.handle('getAuthState', {})).resolves.toEqual({ signed_in: false, user: null });
    expect(first).toHaveBeenCalled();
    expect(target.handleHostRequest).not.toHaveBeenCalled();
  });

  it('with a stored session getAuthState waits for the app (which resumes first)', async () => {
    const { app, create, target } = deferredApp();
    const requests = new BootRequests(false, app);
    const state = requests.handle('getAuthState', {});
    const settled = vi.fn();
    void state.then(settled);
    await Promise.resolve();
    expect(settled).not.toHaveBeenCalled();
    create();
    await expect(state).resolves.toBe('app:getAuthState');
    expect(target.handleHostRequest).toHaveBeenCalledWith('getAuthState', {});
  });

  it('other requests always wait for the app; once it exists getAuthState goes to it too', async () => {
    const { app, create, target } = deferredApp();
    const requests = new BootRequests(true, app);
    const call = requests.handle('placeCall', { to: '+12025550143' });
    create();
    requests.appCreated();
    await expect(call).resolves.toBe('app:placeCall');
    await expect(requests.handle('getAuthState', {})).resolves.toBe('app:getAuthState');
    expect(target.handleHostRequest).toHaveBeenCalledWith('placeCall', { to: '+12025550143' });
  });
});
