import { afterEach, describe, expect, it } from 'vitest';
import Net2PhoneDialer, { AudioOutputUnsupportedError, InvalidOptionsError, Net2PhoneDialerError } from '../src/index';
import { createDialer, settle } from './harness';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('getAudioDevices and setAudioDevices', () => {
  it('getAudioDevices resolves to the dialer’s inputs and outputs as { id, label } only', async () => {
    const { dialer, posted, ready, respond } = createDialer();
    ready();
    const listed = dialer.getAudioDevices();
    await settle();
    expect(posted[0]!.data).toMatchObject({ kind: 'request', method: 'getAudioDevices', params: {} });
    respond(posted[0]!.data.id, {
      inputs: [{ id: 'default', label: 'Default', groupId: 'g' }],
      outputs: [{ id: 'spk2', label: 'Headset' }],
    });
    await expect(listed).resolves.toEqual({ inputs: [{ id: 'default', label: 'Default' }], outputs: [{ id: 'spk2', label: 'Headset' }] });
  });

  it('setAudioDevices posts the chosen ids and resolves to undefined', async () => {
    const { dialer, posted, ready, respond } = createDialer();
    ready();
    const done = dialer.setAudioDevices({ input: 'mic2', ringer: 'spk1' });
    await settle();
    expect(posted[0]!.data).toMatchObject({ kind: 'request', method: 'setAudioDevices', params: { input: 'mic2', ringer: 'spk1' } });
    respond(posted[0]!.data.id, null);
    await expect(done).resolves.toBeUndefined();
  });

  it.each([[undefined], [null], ['mic2'], [{ input: '' }], [{ input: 3 }], [{ speaker: 'spk' }]])(
    'setAudioDevices(%j) rejects with InvalidOptionsError without posting',
    async (arg) => {
      const { dialer, posted, ready } = createDialer();
      ready();
      await expect(dialer.setAudioDevices(arg as never)).rejects.toBeInstanceOf(InvalidOptionsError);
      await settle();
      expect(posted).toHaveLength(0);
    },
  );

  it('rebuilds AudioOutputUnsupportedError from the dialer, a Net2PhoneDialerError in the errors table', async () => {
    const { dialer, posted, ready, fail } = createDialer();
    ready();
    const done = dialer.setAudioDevices({ output: 'spk2' });
    await settle();
    fail(posted[0]!.data.id, 'AudioOutputUnsupportedError', 'This browser cannot choose where audio plays.');
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioOutputUnsupportedError);
    expect(error).toBeInstanceOf(Net2PhoneDialerError);
    expect(Net2PhoneDialer.errors.AudioOutputUnsupportedError).toBe(AudioOutputUnsupportedError);
  });
});
