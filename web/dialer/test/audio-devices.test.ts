import { beforeEach, describe, expect, it } from 'vitest';
import { AUDIO_DEVICES_KEY, type DeviceEnvironment } from '../src/media/audio-devices';
import { signedIn, start } from './fake-gateway';
import { answerSdp, fakeAudioElement } from './fake-media';
import { wireCall } from './wire-call';

const device = (kind: MediaDeviceKind, deviceId: string, label: string) => ({ kind, deviceId, label, groupId: 'g' }) as MediaDeviceInfo;
const DEVICES = [
  device('audioinput', 'mic-a', 'Built-in microphone'),
  device('audioinput', 'mic-b', 'Headset microphone'),
  device('videoinput', 'cam', 'Camera'),
  device('audiooutput', 'spk-a', 'Speakers'),
  device('audiooutput', 'spk-b', 'Headset'),
];

function devices(canChooseOutput = true): DeviceEnvironment {
  return { enumerateDevices: async () => DEVICES, canChooseOutput: () => canChooseOutput };
}

/** A signed-in dialer whose audio element records setSinkId. */
async function dialer(env = devices(), { signIn = true } = {}) {
  const sinks: string[] = [];
  const { element } = fakeAudioElement();
  (element as unknown as { setSinkId(id: string): Promise<void> }).setSinkId = async (id) => void sinks.push(id);
  const d = start(
    { signInWithToken: () => signedIn('tok'), placeCall: () => ({ ok: true, result: { call_id: 'call-1', sdp: answerSdp() } }) },
    { devices: env, audioElement: element },
  );
  if (signIn) await d.app.handleHostRequest('setToken', { token: 'minted' });
  return { ...d, sinks };
}

const last = <T>(list: T[]): T => list[list.length - 1]!;

beforeEach(() => localStorage.clear());

describe('getAudioDevices / setAudioDevices in the dialer', () => {
  it('lists audio inputs and outputs as { id, label }, without video devices', async () => {
    const d = await dialer();
    expect(await d.app.handleHostRequest('getAudioDevices', {})).toEqual({
      inputs: [{ id: 'mic-a', label: 'Built-in microphone' }, { id: 'mic-b', label: 'Headset microphone' }],
      outputs: [{ id: 'spk-a', label: 'Speakers' }, { id: 'spk-b', label: 'Headset' }],
    });
  });

  it('lists no outputs where the browser cannot choose one, and refuses output and ringer with AudioOutputUnsupportedError', async () => {
    const d = await dialer(devices(false));
    expect(((await d.app.handleHostRequest('getAudioDevices', {})) as { outputs: unknown[] }).outputs).toEqual([]);
    for (const choice of [{ output: 'spk-a' }, { ringer: 'spk-a' }]) {
      await expect(d.app.handleHostRequest('setAudioDevices', choice)).rejects.toMatchObject({ errorName: 'AudioOutputUnsupportedError' });
    }
    expect(localStorage.getItem(AUDIO_DEVICES_KEY)).toBeNull();
  });

  it('sets the call audio’s output with setSinkId and remembers the choice for this browser', async () => {
    const d = await dialer();
    await d.app.handleHostRequest('setAudioDevices', { output: 'spk-b' });
    expect(d.sinks).toEqual(['spk-b']);
    expect(JSON.parse(localStorage.getItem(AUDIO_DEVICES_KEY)!)).toEqual({ output: 'spk-b' });
    // A new dialer in the same browser applies it at start.
    d.app.dispose();
    const again = await dialer(devices(), { signIn: false });
    await expect.poll(() => again.sinks).toEqual(['spk-b']);
  });

  it('applies a remembered output that the browser refused at start once a microphone is open (Firefox)', async () => {
    localStorage.setItem(AUDIO_DEVICES_KEY, JSON.stringify({ output: 'spk-b' }));
    const sinks: string[] = [];
    let allowed = false;
    const { element } = fakeAudioElement();
    (element as unknown as { setSinkId(id: string): Promise<void> }).setSinkId = async (id) => {
      if (!allowed) throw new DOMException('not exposed', 'NotAllowedError');
      sinks.push(id);
    };
    const d = start(
      { signInWithToken: () => signedIn('tok'), placeCall: () => ({ ok: true, result: { call_id: 'call-1', sdp: answerSdp() } }) },
      { devices: devices(), audioElement: element },
    );
    await d.app.handleHostRequest('setToken', { token: 'minted' });
    expect(sinks).toEqual([]);
    allowed = true;
    await d.app.handleHostRequest('placeCall', { to: '+12025550143' });
    await expect.poll(() => sinks).toEqual(['spk-b']);
  });

  it('rejects an unknown id with InvalidOptionsError and changes nothing', async () => {
    const d = await dialer();
    await expect(d.app.handleHostRequest('setAudioDevices', { input: 'mic-a', output: 'nope' })).rejects.toMatchObject({ errorName: 'InvalidOptionsError' });
    await expect(d.app.handleHostRequest('setAudioDevices', { speaker: 'spk-a' })).rejects.toMatchObject({ errorName: 'InvalidOptionsError' });
    expect(d.sinks).toEqual([]);
    expect(localStorage.getItem(AUDIO_DEVICES_KEY)).toBeNull();
  });

  it('opens the chosen microphone for a call, and a new choice during the call replaces the track without a new offer', async () => {
    const d = await dialer();
    await d.app.handleHostRequest('setAudioDevices', { input: 'mic-a' });
    await d.app.handleHostRequest('placeCall', { to: '+12025550143' });
    expect((last(d.media.constraints).audio as MediaTrackConstraints).deviceId).toEqual({ exact: 'mic-a' });
    d.gateway().event({ type: 'callStateChanged', call: wireCall() });
    d.gateway().event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: '2026-11-24T10:00:02.000Z', seq: 2 }) });
    const pc = d.media.pcs[0]!;
    const offers = pc.offerOptions.length;
    const first = d.media.tracks[0]!;
    await d.app.handleHostRequest('mute', { muted: true });
    await d.app.handleHostRequest('setAudioDevices', { input: 'mic-b' });
    expect((last(d.media.constraints).audio as MediaTrackConstraints).deviceId).toEqual({ exact: 'mic-b' });
    const second = last(d.media.tracks);
    expect(pc.replacedTracks).toEqual([second]);
    expect(first.stopped).toBe(true);
    expect(second.enabled).toBe(false); // still muted
    expect(pc.offerOptions.length).toBe(offers); // no renegotiation
    expect(d.gateway().sent.filter((m) => m.method === 'updateMedia')).toEqual([]);
  });

  it('falls back to the default microphone when the chosen one is gone', async () => {
    const d = await dialer();
    await d.app.handleHostRequest('setAudioDevices', { input: 'mic-b' });
    const gum = d.media.env.getUserMedia!;
    let first = true;
    d.media.env.getUserMedia = async (c) => {
      if (first && (c.audio as MediaTrackConstraints).deviceId) {
        first = false;
        throw new DOMException('gone', 'OverconstrainedError');
      }
      return gum(c);
    };
    await d.app.handleHostRequest('placeCall', { to: '+12025550143' });
    expect((last(d.media.constraints).audio as MediaTrackConstraints).deviceId).toBeUndefined();
  });

  it('shows Audio settings with the devices, and a choice there applies it', async () => {
    const d = await dialer();
    const details = d.root.querySelector<HTMLDetailsElement>('details.audio-settings')!;
    expect(details.querySelector('summary')!.textContent).toBe('Audio settings');
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    await new Promise((r) => setTimeout(r, 0));
    const speaker = d.root.querySelector<HTMLSelectElement>('#device-output')!;
    expect([...speaker.options].map((o) => o.textContent)).toEqual(['System default', 'Speakers', 'Headset']);
    expect(d.root.querySelector('#device-ringer')).not.toBeNull();
    speaker.value = 'spk-a';
    speaker.dispatchEvent(new Event('change'));
    await new Promise((r) => setTimeout(r, 0));
    expect(d.sinks).toEqual(['spk-a']);
  });
});
