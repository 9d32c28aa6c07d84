import { isDeviceId } from '@opendialer/protocol';

export const DEVICE_KEY = 'opendialer.device';

/**
 * This browser profile's device id for `hello` (protocol.md part 5): kept in localStorage, so every
 * dialer of the profile on one host site sends the same one, and the gateway keeps an answered call
 * in its other tabs (read-only) instead of ending it there as answered elsewhere. Where storage is
 * blocked, each dialer instance is a device of its own.
 */
export function deviceId(storage: Storage | null): string {
  try {
    const stored = storage?.getItem(DEVICE_KEY);
    if (isDeviceId(stored)) return stored;
  } catch {
    return randomId();
  }
  const id = randomId();
  try {
    storage?.setItem(DEVICE_KEY, id);
  } catch {
    // Blocked storage: this instance keeps its own id.
  }
  return id;
}

/** 128 random bits as 22 characters of base64url. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
