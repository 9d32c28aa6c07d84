/** One audio device of the browser: `id` is its `deviceId`, `label` its name (empty until the microphone was allowed once). */
export interface AudioDevice {
  id: string;
  label: string;
}

/** What `getAudioDevices()` resolves to: `{ inputs: [{ id, label }], outputs: [...] }`. */
export interface AudioDeviceList {
  /** Microphones. */
  inputs: AudioDevice[];
  /** Speakers and headsets; empty where the browser cannot choose where audio plays. */
  outputs: AudioDevice[];
}

/** `setAudioDevices({ input, output, ringer })`: ids from `getAudioDevices`; a key left out keeps its choice. */
export interface AudioDeviceChoice {
  /** The microphone. */
  input?: string;
  /** Where the call's audio plays. */
  output?: string;
  /** Where the ringtone of incoming calls plays (may differ from `output`). */
  ringer?: string;
}
