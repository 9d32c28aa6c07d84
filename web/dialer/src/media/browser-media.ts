import type { MediaEnvironment } from './call-media';

/** The browser's media APIs, looked up when used (an insecure page has no `mediaDevices`). */
export function browserMediaEnvironment(): MediaEnvironment {
  return {
    get getUserMedia() {
      const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
      return devices && typeof devices.getUserMedia === 'function' ? (c: MediaStreamConstraints) => devices.getUserMedia(c) : null;
    },
    createPeerConnection: (config) => new RTCPeerConnection(config),
    audioCodecs: () => {
      if (typeof RTCRtpReceiver === 'undefined' || typeof RTCRtpReceiver.getCapabilities !== 'function') return null;
      return RTCRtpReceiver.getCapabilities('audio')?.codecs ?? null;
    },
  };
}
