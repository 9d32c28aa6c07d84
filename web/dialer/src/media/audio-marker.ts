export const AUDIO_MARKER_KEY = 'opendialer.audio';

/**
 * `{ call_id }` of the call whose audio this tab carries, in sessionStorage (protocol.md part 5):
 * it survives a reload of the same tab and is not shared with other tabs, so the reloaded dialer
 * knows to take the call's audio back, and no other tab does.
 */
export class AudioMarker {
  constructor(private readonly storage: Storage | null) {}

  callId(): string | null {
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(AUDIO_MARKER_KEY) ?? 'null');
      const id = (parsed as { call_id?: unknown } | null)?.call_id;
      return typeof id === 'string' && id !== '' ? id : null;
    } catch {
      return null;
    }
  }

  set(callId: string): void {
    try {
      this.storage?.setItem(AUDIO_MARKER_KEY, JSON.stringify({ call_id: callId }));
    } catch {
      // Blocked storage: a reload then offers "Take the call here" instead of re-attaching.
    }
  }

  /** Forgets the marker: any call, or only `callId`'s. */
  clear(callId?: string): void {
    if (callId !== undefined && this.callId() !== callId) return;
    try {
      this.storage?.removeItem(AUDIO_MARKER_KEY);
    } catch {
      // See set().
    }
  }
}
