import type { AudioDevice, AudioDeviceChoice, AudioDeviceList } from '@opendialer/protocol';
import { el } from './dom';
import { strings } from '../strings';

export interface DeviceSettings {
  root: HTMLElement;
}

type Key = keyof AudioDeviceChoice;

/**
 * "Audio settings": a fold-out with the microphone, the call's speaker and the ringtone's
 * speaker. The lists are read each time it opens (devices come and go); a change applies at once,
 * also during a call. Speakers are left out where the browser cannot choose one.
 */
export function deviceSettings(actions: {
  list(): Promise<AudioDeviceList>;
  chosen(): AudioDeviceChoice;
  set(choice: AudioDeviceChoice): Promise<void>;
}): DeviceSettings {
  const body = el('div', { class: 'device-fields' });
  const error = el('p', { class: 'error', role: 'alert' });
  const root = el('details', { class: 'audio-settings' }, el('summary', {}, strings.audioSettings), body, error);

  const field = (key: Key, label: string, devices: AudioDevice[], chosen: string | undefined) => {
    const id = `device-${key}`;
    const select = el('select', { id, name: key });
    select.append(el('option', { value: '' }, strings.systemDefault));
    devices.forEach((d, i) => select.append(el('option', { value: d.id }, d.label || `${label} ${i + 1}`)));
    select.value = chosen && devices.some((d) => d.id === chosen) ? chosen : '';
    select.addEventListener('change', () => {
      if (!select.value) return;
      error.textContent = '';
      actions.set({ [key]: select.value }).catch((e: Error) => {
        error.textContent = e.message;
      });
    });
    return [el('label', { for: id }, label), select];
  };

  const fill = async () => {
    const { inputs, outputs } = await actions.list();
    const chosen = actions.chosen();
    body.replaceChildren(
      ...field('input', strings.microphone, inputs, chosen.input),
      ...(outputs.length > 0
        ? [...field('output', strings.speaker, outputs, chosen.output), ...field('ringer', strings.ringer, outputs, chosen.ringer)]
        : []),
    );
  };
  root.addEventListener('toggle', () => {
    if ((root as HTMLDetailsElement).open) void fill();
  });
  return { root };
}
