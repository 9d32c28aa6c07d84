import type { MediaCodec } from '@opendialer/protocol';
import { DialerError } from '../errors';
import { strings } from '../strings';
import { codecOfAnswer, codecPreferences, preferInSdp } from './codecs';

/** What the browser provides for call audio; tests pass fakes. */
export interface MediaEnvironment {
  /** `navigator.mediaDevices.getUserMedia`, or `null` where there is none (an insecure page). */
  getUserMedia: ((constraints: MediaStreamConstraints) => Promise<MediaStream>) | null;
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** `RTCRtpReceiver.getCapabilities('audio').codecs`, or `null` where unknown. */
  audioCodecs(): RTCRtpCodec[] | null;
}

/** The state of one call's audio, as the call panel and the `data-media-*` attributes show it. */
export interface MediaSnapshot {
  /** `RTCPeerConnection.connectionState` (`iceConnectionState` where the browser has no such field). */
  connection: string;
  ice: string;
  /** The codec of the gateway's last answer. */
  codec: MediaCodec | null;
  muted: boolean;
  held: boolean;
  /** The DTMF tones played so far (`RTCDTMFSender` `tonechange`). */
  tonesSent: string;
}

/**
 * One call's WebRTC audio (protocol.md, part 4): one `RTCPeerConnection` to the gateway, no
 * STUN/TURN (the gateway is ICE-lite and has a host candidate), one `sendrecv` audio transceiver
 * with the microphone track, G.711 and telephone-event only. Offers are handed out at once, without
 * waiting for ICE gathering: the gateway learns the browser's address from its connectivity checks.
 * Operations are serialised, so a re-offer never overlaps the previous offer/answer.
 */
export class CallMedia {
  private readonly pc: RTCPeerConnection;
  private readonly transceiver: RTCRtpTransceiver;
  private chain: Promise<unknown> = Promise.resolve();
  private codec: MediaCodec | null = null;
  private muted = false;
  private held = false;
  private closed = false;
  private tones = '';
  /**
   * Rejects when the media is closed. A peer connection closed during setRemoteDescription never
   * settles that promise (WebRTC 1.0 §4.4.1.4), so every operation races this one: a call that ends
   * while its answer is being applied must not leave placeCall waiting forever.
   */
  private readonly whenClosed: Promise<never>;
  private signalClosed: () => void = () => undefined;

  constructor(
    private readonly env: MediaEnvironment,
    private track: MediaStreamTrack,
    onRemoteStream: (stream: MediaStream) => void,
    private readonly onChange: () => void,
  ) {
    this.whenClosed = new Promise<never>((_, reject) => {
      this.signalClosed = () => reject(new DialerError('CallNotFoundError', strings.errors.noAudioCall));
    });
    this.whenClosed.catch(() => undefined);
    this.pc = env.createPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.transceiver = this.pc.addTransceiver(track, { direction: 'sendrecv' });
    this.pc.ontrack = (e) => {
      const stream = e.streams[0] ?? (typeof MediaStream === 'function' ? new MediaStream([e.track]) : null);
      if (stream) onRemoteStream(stream);
    };
    this.pc.onconnectionstatechange = () => this.onChange();
    this.pc.oniceconnectionstatechange = () => this.onChange();
    const dtmf = this.transceiver.sender.dtmf;
    if (dtmf) {
      dtmf.ontonechange = (e) => {
        this.tones += e.tone;
        this.onChange();
      };
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  snapshot(): MediaSnapshot {
    const ice = this.closed ? 'closed' : this.pc.iceConnectionState;
    return {
      connection: this.closed ? 'closed' : this.pc.connectionState ?? ice,
      ice,
      codec: this.codec,
      muted: this.muted,
      held: this.held,
      tonesSent: this.tones,
    };
  }

  /**
   * A new offer with `first` as the preferred codec (by default the one in use, else PCMU), set as
   * the local description; its SDP. `iceRestart` asks for new ICE credentials (RFC 8445 §9).
   */
  offer(first: MediaCodec = this.codec ?? 'PCMU', options: { iceRestart?: boolean } = {}): Promise<string> {
    return this.run(async () => {
      const restricted = this.preferCodecs(first);
      const offer = await this.pc.createOffer(options.iceRestart ? { iceRestart: true } : undefined);
      const sdp = restricted ? offer.sdp ?? '' : preferInSdp(offer.sdp ?? '', first);
      await this.pc.setLocalDescription({ type: 'offer', sdp });
      return this.pc.localDescription?.sdp ?? sdp;
    });
  }

  /** Applies the gateway's SDP answer to the last offer. */
  answer(sdp: string): Promise<void> {
    return this.run(async () => {
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
      this.codec = codecOfAnswer(sdp);
      this.onChange();
    });
  }

  /** Drops an offer the gateway refused, so the previous offer/answer stays in force. */
  rollback(): Promise<void> {
    return this.run(async () => {
      if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
    });
  }

  /**
   * Sends `track` instead of the current microphone (another device chosen during the call):
   * `RTCRtpSender.replaceTrack` needs no renegotiation (WebRTC 1.0 §5.2). Mute and hold carry over.
   */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    if (this.closed) {
      track.stop();
      return;
    }
    track.enabled = this.track.enabled;
    await this.transceiver.sender.replaceTrack(track);
    const old = this.track;
    this.track = track;
    old.stop();
  }

  /** The peer connection's statistics (call-quality-monitor.ts). */
  stats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  /** Mute is local: a disabled track sends silence, which the relay forwards. */
  setMuted(muted: boolean): void {
    this.muted = muted;
    this.applyTrack();
  }

  /** While held nothing is worth sending (the relay forwards nothing either way). */
  setHeld(held: boolean): void {
    this.held = held;
    this.applyTrack();
  }

  /** RFC 4733 events through the gateway; `,` is a two-second pause (WebRTC 1.0 §7.2). */
  sendDtmf(digits: string): void {
    const dtmf = this.transceiver.sender.dtmf;
    if (this.closed || !dtmf || dtmf.canInsertDTMF === false) {
      throw new DialerError('Net2PhoneDialerError', strings.errors.dtmfUnavailable);
    }
    // insertDTMF replaces the tone buffer: append, so that quick key presses are all sent.
    dtmf.insertDTMF(dtmf.toneBuffer + digits.toUpperCase());
  }

  /** Stops the microphone and closes the peer connection; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.signalClosed();
    this.track.stop();
    this.pc.close();
    this.onChange();
  }

  private applyTrack(): void {
    this.track.enabled = !(this.muted || this.held);
    this.onChange();
  }

  /** `setCodecPreferences` where the browser has it; false when the SDP must be reordered instead. */
  private preferCodecs(first: MediaCodec): boolean {
    const available = this.env.audioCodecs();
    const codecs = available && codecPreferences(available, first);
    if (!codecs || typeof this.transceiver.setCodecPreferences !== 'function') return false;
    try {
      this.transceiver.setCodecPreferences(codecs);
      return true;
    } catch {
      return false;
    }
  }

  private run<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(() => {
      if (this.closed) throw new DialerError('CallNotFoundError', strings.errors.noAudioCall);
      return Promise.race([step(), this.whenClosed]);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
