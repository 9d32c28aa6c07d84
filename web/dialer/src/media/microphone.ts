import { DialerError } from '../errors';
import { strings } from '../strings';

/**
 * Opens the microphone for one call. Any failure is a `MicrophonePermissionError` whose message
 * says what to do; the caller then sends nothing to the gateway (protocol.md, part 4).
 * `processing` turns echo cancellation, noise suppression and automatic gain control on (the
 * default) or off (tone tests: noise suppression eats a steady tone). `deviceId`: the microphone the
 * user chose (setAudioDevices); when it is gone, the default one.
 */
export async function openMicrophone(
  getUserMedia: ((constraints: MediaStreamConstraints) => Promise<MediaStream>) | null,
  processing = true,
  deviceId?: string,
): Promise<MediaStreamTrack> {
  if (!getUserMedia) throw new DialerError('MicrophonePermissionError', strings.errors.microphoneUnavailable);
  const open = (id: string | undefined) =>
    getUserMedia({
      audio: { echoCancellation: processing, noiseSuppression: processing, autoGainControl: processing, ...(id ? { deviceId: { exact: id } } : {}) },
      video: false,
    });
  let stream: MediaStream;
  try {
    stream = await open(deviceId).catch((e: { name?: unknown } | null) => {
      // The chosen microphone is gone (unplugged): the default one rather than no call.
      if (deviceId && (e?.name === 'OverconstrainedError' || e?.name === 'NotFoundError')) return open(undefined);
      throw e;
    });
  } catch (e) {
    throw new DialerError('MicrophonePermissionError', microphoneMessage((e as { name?: unknown } | null)?.name));
  }
  const [track, ...rest] = stream.getAudioTracks();
  rest.forEach((t) => t.stop());
  if (!track) throw new DialerError('MicrophonePermissionError', strings.errors.microphoneMissing);
  return track;
}

function microphoneMessage(name: unknown): string {
  switch (name) {
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return strings.errors.microphoneMissing;
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return strings.errors.microphoneBusy;
    default:
      // NotAllowedError, SecurityError (a permissions policy without "microphone"), and the rest.
      return strings.errors.microphoneDenied;
  }
}
