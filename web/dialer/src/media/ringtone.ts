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

/** North American ringback-style cadence: 440 + 480 Hz, 2 s on, 4 s off. */
const FREQUENCIES = [440, 480];
const ON_S = 2;
const PERIOD_MS = 6000;
const LEVEL = 0.08;
/** Call waiting (a call rings while the user talks on another): a short 440 Hz beep every 10 s, under the call. */
const WAITING = { frequencies: [440], onS: 0.3, periodMs: 10_000 };
/** How long `resume()` may take before the browser counts as blocking audio. */
export const BLOCKED_AFTER_MS = 400;

export function browserRingtoneContext(): RingtoneContext | null {
  const Ctor = typeof AudioContext === 'undefined' ? undefined : AudioContext;
  return Ctor ? (new Ctor() as unknown as RingtoneContext) : null;
}

/**
 * The ringtone of an incoming call, generated with WebAudio (no audio file). When the browser
 * keeps the `AudioContext` suspended (autoplay policy: no click in the dialer yet), `onBlocked(true)`
 * lets the UI show a visible alert; a click there calls `unblock()`, which resumes it.
 */
export class Ringtone {
  private ctx: RingtoneContext | null = null;
  private nodes: { gain: GainNode; oscillators: OscillatorNode[] } | null = null;
  private cadence: ReturnType<typeof setTimeout> | undefined;
  private blockCheck: ReturnType<typeof setTimeout> | undefined;
  private blocked = false;
  private waiting = false;

  constructor(
    private readonly createContext: () => RingtoneContext | null,
    private readonly onBlocked: (blocked: boolean) => void,
  ) {}

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
    gain.connect(ctx.destination);
    const oscillators = (waiting ? WAITING.frequencies : FREQUENCIES).map((f) => {
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
    clearTimeout(this.cadence);
    clearTimeout(this.blockCheck);
    this.cadence = this.blockCheck = undefined;
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

  /** Resumes the context from a click (a user gesture lets the browser start audio). */
  async unblock(): Promise<void> {
    await this.ctx?.resume();
  }

  /** One ring now (2 s on), then the next after the 4 s pause. */
  private ring(): void {
    clearTimeout(this.cadence);
    const ctx = this.ctx;
    if (!ctx || !this.nodes) return;
    const level = this.nodes.gain.gain;
    const t = ctx.currentTime;
    level.cancelScheduledValues(t);
    level.setValueAtTime(LEVEL, t);
    level.setValueAtTime(0, t + (this.waiting ? WAITING.onS : ON_S));
    this.cadence = setTimeout(() => this.ring(), this.waiting ? WAITING.periodMs : PERIOD_MS);
  }

  private setBlocked(blocked: boolean): void {
    if (blocked === this.blocked) return;
    this.blocked = blocked;
    this.onBlocked(blocked);
  }
}
