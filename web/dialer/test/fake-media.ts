import type { MediaEnvironment } from '../src/media/call-media';

/** Small fakes of the browser's media objects: just what the dialer uses, recorded for assertions. */

export class FakeTrack {
  readonly kind = 'audio';
  enabled = true;
  stopped = false;
  stop() {
    this.stopped = true;
  }
}

export class FakeDtmfSender {
  canInsertDTMF = true;
  toneBuffer = '';
  inserted: string[] = [];
  ontonechange: ((e: { tone: string }) => void) | null = null;
  insertDTMF(tones: string) {
    this.inserted.push(tones);
    this.toneBuffer = tones;
  }
  /** Plays the next tone out, as the browser does every 170 ms. */
  playNext() {
    const tone = this.toneBuffer.slice(0, 1);
    this.toneBuffer = this.toneBuffer.slice(1);
    this.ontonechange?.({ tone });
  }
}

/** An offer as Chromium makes it, with the payload types in the order `setCodecPreferences` left. */
export function offerSdp(pts: string[] = ['111', '0', '8', '126']): string {
  return [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    `m=audio 9 UDP/TLS/RTP/SAVPF ${pts.join(' ')}`,
    'a=ice-ufrag:abcd',
    'a=ice-pwd:0123456789012345678901',
    'a=fingerprint:sha-256 AA:BB',
    'a=setup:actpass',
    'a=rtpmap:111 opus/48000/2',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:126 telephone-event/8000',
    '',
  ].join('\r\n');
}

/** The gateway's answer choosing `codec`. */
export function answerSdp(codec: 'PCMU' | 'PCMA' = 'PCMU'): string {
  const pt = codec === 'PCMU' ? '0' : '8';
  return ['v=0', 'o=- 9 9 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio 40000 UDP/TLS/RTP/SAVPF ${pt} 126`, `a=rtpmap:${pt} ${codec}/8000`, 'a=rtpmap:126 telephone-event/8000', ''].join('\r\n');
}

export const CAPABILITIES = [
  { mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { mimeType: 'audio/PCMU', clockRate: 8000 },
  { mimeType: 'audio/PCMA', clockRate: 8000 },
  { mimeType: 'audio/telephone-event', clockRate: 48000 },
  { mimeType: 'audio/telephone-event', clockRate: 8000 },
] as RTCRtpCodec[];

export class FakePeerConnection {
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  iceGatheringState: RTCIceGatheringState = 'new';
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  closed = false;
  ontrack: ((e: unknown) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  onicecandidate: ((e: unknown) => void) | null = null;
  readonly transceivers: Array<{ track: FakeTrack; direction: string; dtmf: FakeDtmfSender }> = [];
  /** Each `setCodecPreferences` call's mime types, in order. */
  readonly codecPreferences: string[][] = [];
  /** Set to make the next setRemoteDescription fail. */
  rejectAnswer = false;
  /** Set to make setRemoteDescription never settle, as Chromium's does when the connection closes meanwhile. */
  stallAnswer = false;
  readonly remoteStream = { id: 'remote-stream' };
  private stableLocal: { type: string; sdp: string } | null = null;

  /** Tracks given to `sender.replaceTrack`, in order (no renegotiation: no new offer). */
  readonly replacedTracks: FakeTrack[] = [];

  constructor(readonly config: RTCConfiguration, private readonly withCodecPreferences: boolean) {}

  addTransceiver(track: FakeTrack, init: { direction: string }) {
    const dtmf = new FakeDtmfSender();
    this.transceivers.push({ track, direction: init.direction, dtmf });
    const entry = this.transceivers[this.transceivers.length - 1]!;
    const sender = {
      track,
      dtmf,
      replaceTrack: async (next: FakeTrack) => {
        sender.track = next;
        entry.track = next;
        this.replacedTracks.push(next);
      },
    };
    const transceiver: Record<string, unknown> = { sender };
    if (this.withCodecPreferences) {
      transceiver.setCodecPreferences = (codecs: RTCRtpCodec[]) => this.codecPreferences.push(codecs.map((c) => `${c.mimeType}/${c.clockRate}`));
    }
    return transceiver;
  }

  /** The options of each createOffer call. */
  readonly offerOptions: unknown[] = [];

  async createOffer(options?: unknown) {
    this.offerOptions.push(options);
    const last = this.codecPreferences[this.codecPreferences.length - 1];
    const pts = last ? last.map((m) => (m.startsWith('audio/PCMU') ? '0' : m.startsWith('audio/PCMA') ? '8' : '126')) : undefined;
    return { type: 'offer', sdp: offerSdp(pts) };
  }

  async setLocalDescription(d: { type: string; sdp?: string }) {
    if (d.type === 'rollback') {
      this.localDescription = this.stableLocal;
      this.signalingState = 'stable';
      return;
    }
    this.localDescription = { type: d.type, sdp: d.sdp ?? '' };
    this.signalingState = 'have-local-offer';
    // Gathering starts and, in this fake, never completes: an offer must not wait for it.
    this.iceGatheringState = 'gathering';
  }

  async setRemoteDescription(d: { type: string; sdp: string }) {
    if (this.rejectAnswer) throw new DOMException('bad answer', 'InvalidAccessError');
    if (this.stallAnswer) return new Promise<void>(() => undefined);
    this.remoteDescription = d;
    this.stableLocal = this.localDescription;
    this.signalingState = 'stable';
    this.ontrack?.({ track: {}, streams: [this.remoteStream] });
  }

  setIceState(state: RTCIceConnectionState) {
    this.iceConnectionState = state;
    this.oniceconnectionstatechange?.();
  }

  setConnectionState(state: RTCPeerConnectionState) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }

  close() {
    this.closed = true;
    this.connectionState = 'closed';
    this.signalingState = 'closed';
  }
}

export interface FakeMedia {
  env: MediaEnvironment;
  /** The peer connections created, in order. */
  pcs: FakePeerConnection[];
  tracks: FakeTrack[];
  constraints: MediaStreamConstraints[];
  /** Makes getUserMedia fail with a DOMException of this name (null: succeed). */
  denyWith(name: string | null): void;
}

export function fakeMedia(options: { codecPreferences?: boolean } = {}): FakeMedia {
  const pcs: FakePeerConnection[] = [];
  const tracks: FakeTrack[] = [];
  const constraints: MediaStreamConstraints[] = [];
  let denial: string | null = null;
  return {
    pcs,
    tracks,
    constraints,
    denyWith: (name) => (denial = name),
    env: {
      getUserMedia: async (c) => {
        constraints.push(c);
        if (denial) throw new DOMException('denied', denial);
        const track = new FakeTrack();
        tracks.push(track);
        return { getAudioTracks: () => [track] } as unknown as MediaStream;
      },
      createPeerConnection: (config) => {
        const pc = new FakePeerConnection(config, options.codecPreferences ?? true);
        pcs.push(pc);
        return pc as unknown as RTCPeerConnection;
      },
      audioCodecs: () => CAPABILITIES,
    },
  };
}

/** An `<audio>` whose `play()` succeeds, or fails with NotAllowedError while `blocked`. */
export function fakeAudioElement() {
  const element = document.createElement('audio');
  const state = { blocked: false, plays: 0 };
  element.play = async () => {
    state.plays++;
    if (state.blocked) throw new DOMException('autoplay', 'NotAllowedError');
  };
  return { element, state };
}
