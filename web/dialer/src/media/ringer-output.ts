import type { RingtoneContext } from './ringtone';

type SinkElement = HTMLAudioElement & { setSinkId(id: string): Promise<void> };

/**
 * The ringtone on an output device of its own (it may ring on the speakers while the call plays in
 * a headset). `AudioContext.setSinkId` exists only in Chromium, so the context's sound goes through
 * a `MediaStreamAudioDestinationNode` into an `<audio>` element whose `setSinkId` Chromium, Firefox
 * and Safari 18.4+ all have.
 */
export class RingerOutput {
  private readonly element: SinkElement = document.createElement('audio') as SinkElement;
  private destination: MediaStreamAudioDestinationNode | null = null;

  constructor() {
    this.element.dataset.role = 'ringer-audio';
    this.element.autoplay = true;
    document.body.append(this.element);
  }

  async setDevice(id: string): Promise<void> {
    await this.element.setSinkId(id);
  }

  /** The node the ringtone connects to, in `ctx`. */
  node(ctx: RingtoneContext): AudioNode {
    if (!this.destination) {
      this.destination = (ctx as unknown as AudioContext).createMediaStreamDestination();
      this.element.srcObject = this.destination.stream;
      void this.element.play().catch(() => undefined);
    }
    return this.destination;
  }
}
