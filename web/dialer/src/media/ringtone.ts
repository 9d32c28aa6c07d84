import { RingerOutput } from './ringer-output';
import { period, US_RINGING, type Cadence } from './cadence';

/** The parts of an `AudioContext` the ringtone uses (tests pass a fake). */
export interface RingtoneContext {
  readonly state: string;
  readonly currentTime: number;
  readonly destination: AudioNode;
  onstatechange: ((this: unknown, ev: Event) => unknown) | null;
  resume(): Promise<void>;
  createOscillator(): OscillatorNode;
  createGain(): GainNode;
}

const LEVEL = 0.08;
/** Call waiting (a call rings while the user talks on another): a short 440 Hz beep every 10 s, under the call. */
const WAITING: Cadence = { frequencies: [440], segments: [0.3, 9.7] };
/** How long `resume()` may take before the browser counts as blocking audio. */
export const BLOCKED_AFTER_MS = 400;

export function browserRingtoneContext(): RingtoneContext | null {
  const Ctor = typeof AudioContext === 'undefined' ? undefined : AudioContext;
  return Ctor ? (new Ctor() as unknown as RingtoneContext) : null;
}

/**
 * The ringtone of an incoming call, or the local ringback of an outbound one (another `cadence`),
 * generated with WebAudio (no audio file). When the browser keeps the `AudioContext` suspended
 * (autoplay policy: no click in the dialer yet), `onBlocked(true)` lets the UI show a visible alert;
 * a click there calls `unblock()`, which resumes it.
 */
export class Ringtone {
  private ctx: RingtoneContext | null = null;
  private nodes: { gain: GainNode; oscillators: OscillatorNode[] } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private blockCheck: ReturnType<typeof setTimeout> | undefined;
  private blocked = false;
  /** Plays the ringtone on a chosen output device instead of the context's default one. */
  private sink: RingerOutput | null = null;
  private waiting = false;

  constructor(
    private readonly createContext: () => RingtoneContext | null,
    private readonly onBlocked: (blocked: boolean) => void,
    private readonly cadence: Cadence = US_RINGING,
  ) {}

  /** What plays: the cadence, or the call-waiting tone. */
  private get tone(): Cadence {
    return this.waiting ? WAITING : this.cadence;
  }

  get playing(): boolean {
    return this.nodes !== null;
  }

  /** Rings; `waiting`: the short call-waiting tone instead, because the user is on another call. */
  start(waiting = false): void {
    if (this.nodes && this.waiting === waiting) return;
    if (this.nodes) this.stop();
    this.waiting = waiting;
    // One context for the dialer's lifetime: browsers limit how many a page may create.
    const ctx = (this.ctx ??= this.createContext());
    if (!ctx) return;
    const gain = ctx.createGain();
    gain.gain.value = 0;
    gain.connect(this.sink?.node(ctx) ?? ctx.destination);
    const oscillators = this.tone.frequencies.map((f) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = f;
      osc.connect(gain);
      osc.start();
      return osc;
    });
    this.nodes = { gain, oscillators };
    ctx.onstatechange = () => {
      if (ctx.state === 'running' && this.nodes) {
        this.setBlocked(false);
        this.ring();
      }
    };
    if (ctx.state === 'running') {
      this.ring();
      return;
    }
    ctx.resume().catch(() => undefined);
    this.blockCheck = setTimeout(() => {
      if (this.nodes && ctx.state !== 'running') this.setBlocked(true);
    }, BLOCKED_AFTER_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
    clearTimeout(this.blockCheck);
    this.timer = this.blockCheck = undefined;
    if (this.nodes) {
      for (const osc of this.nodes.oscillators) {
        osc.stop();
        osc.disconnect();
      }
      this.nodes.gain.disconnect();
      this.nodes = null;
    }
    this.setBlocked(false);
  }

  /** Rings on output device `id` from the next ring on (ringer-output.ts). */
  async setSink(id: string): Promise<void> {
    this.sink ??= new RingerOutput();
    await this.sink.setDevice(id);
  }

  /** Resumes the context from a click (a user gesture lets the browser start audio). */
  async unblock(): Promise<void> {
    await this.ctx?.resume();
  }

  /** One period of the cadence now (e.g. 2 s on, 4 s off), then the next. */
  private ring(): void {
    clearTimeout(this.timer);
    const ctx = this.ctx;
    if (!ctx || !this.nodes) return;
    const level = this.nodes.gain.gain;
    let t = ctx.currentTime;
    level.cancelScheduledValues(t);
    this.tone.segments.forEach((seconds, i) => {
      level.setValueAtTime(i % 2 === 0 ? LEVEL : 0, t);
      t += seconds;
    });
    this.timer = setTimeout(() => this.ring(), period(this.tone) * 1000);
  }

  private setBlocked(blocked: boolean): void {
    if (blocked === this.blocked) return;
    this.blocked = blocked;
    this.onBlocked(blocked);
  }
}
