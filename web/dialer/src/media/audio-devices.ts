import type { AudioDevice, AudioDeviceChoice, AudioDeviceList } from '@opendialer/protocol';
import { DialerError } from '../errors';
import { strings } from '../strings';

/** localStorage key of the choice: it is this browser's, for every user of the dialer's origin. */
export const AUDIO_DEVICES_KEY = 'opendialer.audioDevices';

/** What the browser provides (tests pass fakes). */
export interface DeviceEnvironment {
  /** `navigator.mediaDevices.enumerateDevices`, or null where there is none (an insecure page). */
  enumerateDevices: (() => Promise<MediaDeviceInfo[]>) | null;
  /** Whether a media element can choose its output device (`HTMLMediaElement.setSinkId`). */
  canChooseOutput(): boolean;
  /**
   * Opens and closes the microphone at once, so that the browser shows device labels (all) and
   * output devices (Firefox) to this page; may ask the user for the microphone.
   */
  unlock?(): Promise<void>;
}

/** Where each choice takes effect. */
export interface DeviceTargets {
  /** A new microphone: replaces the track of the calls with audio here (no renegotiation). */
  input(id: string): Promise<void>;
  /** The call's `<audio>` element plays on this device. */
  output(id: string): Promise<void>;
  /** The ringtone plays on this device. */
  ringer(id: string): Promise<void>;
}

export function browserDeviceEnvironment(): DeviceEnvironment {
  return {
    get enumerateDevices() {
      const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
      return devices && typeof devices.enumerateDevices === 'function' ? () => devices.enumerateDevices() : null;
    },
    canChooseOutput: () => typeof HTMLMediaElement !== 'undefined' && typeof HTMLMediaElement.prototype.setSinkId === 'function',
    unlock: async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      stream.getTracks().forEach((t) => t.stop());
    },
  };
}

/**
 * The audio devices of this browser and the user's choice of microphone, speaker and ringer
 * (`getAudioDevices`/`setAudioDevices`, protocol.md part 1), remembered in localStorage.
 */
export class AudioDevices {
  private choice: AudioDeviceChoice;
  /** The remembered outputs are applied (or there were none). */
  private restored = false;

  constructor(
    private readonly env: DeviceEnvironment,
    private readonly storage: Storage | null,
    private readonly targets: DeviceTargets,
  ) {
    this.choice = readChoice(storage);
  }

  /** The remembered choice (ids; a device may have gone since). */
  get chosen(): AudioDeviceChoice {
    return { ...this.choice };
  }

  /** The microphone to open for a call, or undefined for the browser's default. */
  get input(): string | undefined {
    return this.choice.input;
  }

  /**
   * Applies the remembered outputs. Run at start, and again once a microphone is open: Firefox lets
   * a page use an output device only after it was granted a microphone (or `selectAudioOutput`),
   * so at start it refuses. A device that went away leaves the default.
   */
  async restore(): Promise<void> {
    if (!this.env.canChooseOutput() || this.restored) return;
    let all = true;
    for (const key of ['output', 'ringer'] as const) {
      const id = this.choice[key];
      if (id) all = (await this.targets[key](id).then(() => true, () => false)) && all;
    }
    this.restored = all;
  }

  async list(): Promise<AudioDeviceList> {
    const enumerate = this.env.enumerateDevices;
    if (!enumerate) return { inputs: [], outputs: [] };
    let all = await enumerate().catch(() => [] as MediaDeviceInfo[]);
    const hidden = (d: MediaDeviceInfo) => d.kind === 'audioinput' && !d.label;
    if (this.env.unlock && (all.some(hidden) || (this.env.canChooseOutput() && !all.some((d) => d.kind === 'audiooutput')))) {
      // Labels and (in Firefox) outputs are shown only to a page that has used the microphone.
      if (await this.env.unlock().then(() => true, () => false)) {
        all = await enumerate().catch(() => all);
        void this.restore();
      }
    }
    const of = (kind: MediaDeviceKind): AudioDevice[] =>
      all.filter((d) => d.kind === kind && d.deviceId).map((d) => ({ id: d.deviceId, label: d.label }));
    return { inputs: of('audioinput'), outputs: this.env.canChooseOutput() ? of('audiooutput') : [] };
  }

  /**
   * Checks every id against the browser's devices before changing anything, then applies and
   * remembers the choice. An output where the browser cannot choose one is refused with
   * `AudioOutputUnsupportedError`, never ignored.
   */
  async set(choice: AudioDeviceChoice): Promise<void> {
    if ((choice.output || choice.ringer) && !this.env.canChooseOutput()) {
      throw new DialerError('AudioOutputUnsupportedError', strings.errors.outputUnsupported);
    }
    const { inputs, outputs } = await this.list();
    const known = (list: AudioDevice[], id: string | undefined) => id === undefined || list.some((d) => d.id === id);
    if (!known(inputs, choice.input) || !known(outputs, choice.output) || !known(outputs, choice.ringer)) {
      throw new DialerError('InvalidOptionsError', strings.errors.unknownDevice);
    }
    for (const key of ['output', 'ringer', 'input'] as const) {
      const id = choice[key];
      if (id === undefined) continue;
      try {
        await this.targets[key](id);
      } catch (e) {
        if (e instanceof DialerError) throw e;
        throw new DialerError('Net2PhoneDialerError', strings.errors.deviceFailed);
      }
      this.choice = { ...this.choice, [key]: id };
      writeChoice(this.storage, this.choice);
    }
  }
}

function readChoice(storage: Storage | null): AudioDeviceChoice {
  try {
    const parsed = JSON.parse(storage?.getItem(AUDIO_DEVICES_KEY) ?? '{}') as Record<string, unknown>;
    const out: AudioDeviceChoice = {};
    for (const key of ['input', 'output', 'ringer'] as const) {
      if (typeof parsed[key] === 'string' && parsed[key]) out[key] = parsed[key] as string;
    }
    return out;
  } catch {
    return {};
  }
}

function writeChoice(storage: Storage | null, choice: AudioDeviceChoice): void {
  try {
    storage?.setItem(AUDIO_DEVICES_KEY, JSON.stringify(choice));
  } catch {
    // Storage full or blocked: the choice holds for this page only.
  }
}
