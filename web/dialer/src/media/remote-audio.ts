/**
 * The far end's audio: one `<audio data-role="remote-audio">` per dialer, outside the views so
 * re-rendering never interrupts it (end-to-end tests find it by that attribute and read its
 * `srcObject`). When the browser refuses to start playback (autoplay policy, `NotAllowedError`),
 * `onBlocked(true)` runs and `resume()` (from a click) tries again; `onBlocked(false)` follows once
 * it plays, or when the audio is detached while still blocked.
 */
export class RemoteAudio {
  private blocked = false;

  constructor(
    readonly element: HTMLAudioElement,
    private readonly onBlocked: (blocked: boolean) => void,
  ) {
    element.autoplay = true;
    element.dataset.role = 'remote-audio';
  }

  get isBlocked(): boolean {
    return this.blocked;
  }

  /** Plays `stream` (the remote track of the current call). */
  play(stream: MediaStream): Promise<void> {
    this.element.srcObject = stream;
    return this.resume();
  }

  /** Starts playback; run from a click when autoplay was refused. */
  async resume(): Promise<void> {
    if (!this.element.srcObject) return this.setBlocked(false);
    try {
      await this.element.play();
      this.setBlocked(false);
    } catch (e) {
      // AbortError only means a newer srcObject or pause() interrupted this play().
      if ((e as { name?: unknown } | null)?.name === 'NotAllowedError') this.setBlocked(true);
    }
  }

  /** Plays on output device `id` (`HTMLMediaElement.setSinkId`; the caller checked it exists). */
  async setSink(id: string): Promise<void> {
    await (this.element as HTMLAudioElement & { setSinkId(id: string): Promise<void> }).setSinkId(id);
  }

  /** Held calls are silent here too. */
  setMuted(muted: boolean): void {
    this.element.muted = muted;
  }

  detach(): void {
    this.element.srcObject = null;
    this.element.muted = false;
    this.setBlocked(false);
  }

  private setBlocked(blocked: boolean): void {
    if (blocked === this.blocked) return;
    this.blocked = blocked;
    this.onBlocked(blocked);
  }
}
