import { isWsSdpResult, type MediaCodec, type WireCall, type WsMediaUpdateEvent } from '@opendialer/protocol';
import { DialerError } from '../errors';
import { strings } from '../strings';
import type { AudioMarker } from './audio-marker';
import { CallMedia, type MediaEnvironment, type MediaSnapshot } from './call-media';
import { IceRecovery } from './ice-recovery';
import { openMicrophone } from './microphone';
import type { RemoteAudio } from './remote-audio';

export interface CallAudioOptions {
  env: MediaEnvironment;
  audio: RemoteAudio;
  /** Echo cancellation, noise suppression and gain control (default on). */
  processing: boolean;
  /** The microphone chosen with setAudioDevices (undefined: the browser's default). */
  microphone?: () => string | undefined;
  /** A microphone was opened (output devices may be chosen from now on, in Firefox). */
  onMicrophone?: () => void;
  /** A gateway request (`updateMedia`, `hold`). */
  request(method: string, params: Record<string, unknown>): Promise<unknown>;
  /** Whether the call is `answered` (the call book knows). */
  isAnswered(callId: string): boolean;
  /** Whether the WebSocket is connected (an ICE restart can be sent). */
  isConnected(): boolean;
  /** Remembers, for this tab, the call whose audio it carries. */
  marker: AudioMarker;
  onChange(): void;
}

/** The call panel's view of the audio: the current call's media, or none. */
export interface MediaView extends MediaSnapshot {
  callId: string | null;
  /** An answered call with audio in this dialer: mute, hold and the keypad apply to it. */
  active: boolean;
  /** The browser refused to start the far end's audio; a click must start it. */
  blocked: boolean;
  /** The current call is answered but its audio is not here (e.g. after a reload): offer to move it here. */
  takeOver: boolean;
  /** The current call is answered and its audio is in another dialer: shown read-only. */
  elsewhere: boolean;
}

const NO_MEDIA: MediaSnapshot = { connection: 'none', ice: 'none', codec: null, muted: false, held: false, tonesSent: '' };

/** A media session prepared for a call that the gateway has not named yet. */
export interface PreparedMedia {
  media: CallMedia;
  /** The SDP offer to send with `placeCall` or `answer`. */
  sdp: string;
}

/**
 * The audio of this dialer's calls (protocol.md, part 4): the microphone and an offer before a
 * call is placed or answered, the gateway's answer, `mediaUpdate` re-offers, mute, hold, DTMF, and
 * the end of each call's media when the call ends.
 */
export class CallAudio {
  private readonly byCall = new Map<string, CallMedia>();
  private readonly open = new Set<CallMedia>();
  /** `mediaUpdate`s that arrived before the `placeCall` result named their call. */
  private readonly earlyCodecs = new Map<string, MediaCodec>();
  /** The call whose audio state the panel shows: the latest one bound here. */
  private shown: { callId: string; media: CallMedia } | null = null;
  /** The media whose far end the `<audio>` element plays. */
  private playing: CallMedia | null = null;
  /** Each call's far-end stream, so a call resumed after a swap (call waiting) plays again. */
  private readonly streams = new WeakMap<CallMedia, MediaStream>();
  /** The ICE restarts of each bound media. */
  private readonly recoveries = new Map<CallMedia, IceRecovery>();

  constructor(private readonly opts: CallAudioOptions) {}

  /** Opens the microphone and makes the offer; `MicrophonePermissionError` when there is no microphone. */
  async prepare(): Promise<PreparedMedia> {
    const track = await openMicrophone(this.opts.env.getUserMedia, this.opts.processing, this.opts.microphone?.());
    this.opts.onMicrophone?.();
    let media: CallMedia;
    try {
      media = new CallMedia(this.opts.env, track, (stream) => this.onRemoteStream(media, stream), () => {
        this.recoveries.get(media)?.check();
        this.opts.onChange();
      });
    } catch {
      track.stop();
      throw new DialerError('Net2PhoneDialerError', strings.errors.mediaFailed);
    }
    this.open.add(media);
    try {
      return { media, sdp: await media.offer() };
    } catch {
      this.discard(media);
      throw new DialerError('Net2PhoneDialerError', strings.errors.mediaFailed);
    }
  }

  /** The gateway did not take the call (or the offer): release the microphone. */
  discard(media: CallMedia): void {
    this.recoveries.get(media)?.stop();
    this.recoveries.delete(media);
    media.close();
    this.open.delete(media);
    if (this.playing === media) {
      this.playing = null;
      this.opts.audio.detach();
    }
  }

  /**
   * Binds prepared media to the call the gateway named and applies the gateway's answer. Without
   * an answer (a gateway that ignored the offer) the call goes on without audio. Rejects when the
   * answer cannot be applied.
   */
  async connect(callId: string, media: CallMedia, answer: string | null | undefined): Promise<void> {
    const previous = this.byCall.get(callId);
    if (previous && previous !== media) this.discard(previous);
    this.byCall.set(callId, media);
    this.shown = { callId, media };
    if (typeof answer !== 'string') {
      this.close(callId);
      return;
    }
    try {
      await media.answer(answer);
    } catch {
      // The call ended while its answer was being applied: its media is closed, and that is no failure.
      if (media.isClosed) return;
      this.close(callId);
      throw new DialerError('Net2PhoneDialerError', strings.errors.mediaFailed);
    }
    if (this.byCall.get(callId) !== media) return;
    this.opts.marker.set(callId);
    const recovery = new IceRecovery({
      state: () => media.snapshot().ice,
      canRestart: () => this.opts.isConnected() && this.byCall.get(callId) === media,
      restart: () => this.reoffer(callId, media, () => media.offer(undefined, { iceRestart: true })),
    });
    this.recoveries.set(media, recovery);
    recovery.check();
    const codec = this.earlyCodecs.get(callId);
    this.earlyCodecs.delete(callId);
    if (codec) await this.onMediaUpdate({ type: 'mediaUpdate', call_id: callId, codec });
  }

  /** Whether this dialer carries the call's audio. */
  has(callId: string): boolean {
    return this.byCall.has(callId);
  }

  /** The call whose audio this tab carried before a reload, from sessionStorage. */
  markedCall(): string | null {
    return this.opts.marker.callId();
  }

  /**
   * Moves an answered call's audio to this dialer (after a reload, or from another tab):
   * `updateMedia` with `take: true` and prepared media; the gateway's new leg replaces the old one
   * and the dialer that had it is sent `mediaMoved`. `reattach` (after a reload, by itself): only
   * while no connected dialer carries the audio, else the gateway answers `media_moved`.
   */
  async takeOver(callId: string, prepared: PreparedMedia, reattach = false): Promise<void> {
    let result: unknown;
    try {
      const params = { call_id: callId, sdp: prepared.sdp, take: true, ...(reattach ? { reattach: true } : {}) };
      result = await this.opts.request('updateMedia', params);
    } catch (e) {
      this.discard(prepared.media);
      throw e;
    }
    await this.connect(callId, prepared.media, isWsSdpResult(result) ? result.sdp : null);
  }

  /** Ends a call's media when the call is disconnected, whatever the reason. */
  onCallState(call: WireCall): void {
    if (call.state === 'disconnected') {
      this.earlyCodecs.delete(call.id);
      this.close(call.id);
      this.opts.marker.clear(call.id);
    }
  }

  /**
   * Another dialer took the call's audio (`mediaMoved`, or `media_moved` answering an offer of
   * ours): close this leg and never restart its ICE, so it cannot take the audio back by accident.
   */
  moved(callId: string): void {
    this.close(callId);
    this.opts.marker.clear(callId);
    this.opts.onChange();
  }

  /**
   * The SIP side chose `codec`: re-offer with it first and apply the gateway's answer, so that no
   * transcoding is needed. A refused re-offer is rolled back; the call keeps its audio as it was.
   */
  async onMediaUpdate(event: WsMediaUpdateEvent): Promise<void> {
    const media = this.byCall.get(event.call_id);
    if (!media) {
      const waiting = [...this.open].some((m) => ![...this.byCall.values()].includes(m));
      if (waiting) this.earlyCodecs.set(event.call_id, event.codec);
      return;
    }
    if (media.isClosed || media.snapshot().codec === event.codec) return;
    await this.reoffer(event.call_id, media, () => media.offer(event.codec));
  }

  /** `updateMedia` with a new offer; a refused one is rolled back. */
  private async reoffer(callId: string, media: CallMedia, makeOffer: () => Promise<string>): Promise<void> {
    let sdp: string;
    try {
      sdp = await makeOffer();
    } catch {
      return;
    }
    try {
      const result = await this.opts.request('updateMedia', { call_id: callId, sdp });
      if (!isWsSdpResult(result) || result.sdp === null) throw new Error('no answer');
      await media.answer(result.sdp);
    } catch (e) {
      if (e instanceof DialerError && e.code === 'media_moved' && this.byCall.get(callId) === media) return this.moved(callId);
      await media.rollback().catch(() => undefined);
    }
  }


  /**
   * After the WebSocket reconnected (most often a network change, which also breaks the ICE path),
   * restarts ICE (RFC 8445 §9) for every call whose audio is here, through `updateMedia` without
   * `take`: if another dialer took the audio meanwhile, the gateway answers `media_moved`.
   */
  restartIce(): void {
    for (const media of this.byCall.values()) {
      if (!media.isClosed) this.recoveries.get(media)?.restartNow();
    }
  }

  /** Another microphone was chosen: every open call's media sends from it from now on, without renegotiation. */
  async switchMicrophone(deviceId: string): Promise<void> {
    for (const media of [...this.open]) {
      if (media.isClosed) continue;
      const track = await openMicrophone(this.opts.env.getUserMedia, this.opts.processing, deviceId);
      await media.replaceTrack(track);
    }
  }

  /** The stats of the answered call whose audio is here, unless held (no audio flows then). */
  async activeStats(): Promise<{ callId: string; report: RTCStatsReport } | null> {
    let active: { callId: string; media: CallMedia };
    try {
      active = this.active();
    } catch {
      return null;
    }
    if (active.media.snapshot().held) return null;
    return { callId: active.callId, report: await active.media.stats() };
  }

  mute(muted: boolean): void {
    this.active().media.setMuted(muted);
  }

  /** Whether the call `id` has its audio here and is on hold. */
  isHeld(id: string): boolean {
    const media = this.byCall.get(id);
    return media !== undefined && !media.isClosed && media.snapshot().held;
  }

  /** Re-INVITEs the SIP side through the gateway, then silences (or restores) both directions here. */
  async hold(held: boolean, id?: string): Promise<void> {
    const named = id === undefined ? undefined : this.byCall.get(id);
    if (id !== undefined && (!named || named.isClosed)) throw new DialerError('CallNotFoundError', strings.errors.noAudioCall);
    const { callId, media } = named && id !== undefined ? { callId: id, media: named } : this.active();
    await this.opts.request('hold', { call_id: callId, held });
    media.setHeld(held);
    const stream = this.streams.get(media);
    if (!held && this.playing !== media && stream) {
      // Resuming one of two calls (call waiting): the gateway held the other, this one plays now.
      this.playing = media;
      void this.opts.audio.play(stream);
    }
    if (this.playing === media) this.opts.audio.setMuted(held);
  }

  sendDtmf(digits: string): void {
    this.active().media.sendDtmf(digits);
  }

  /** Starts the far end's audio after the browser refused to (from a click). */
  enablePlayback(): Promise<void> {
    return this.opts.audio.resume();
  }

  view(): MediaView {
    const shown = this.shown;
    const snapshot = shown ? shown.media.snapshot() : NO_MEDIA;
    const callId = shown?.callId ?? null;
    const active = !!shown && !shown.media.isClosed && this.opts.isAnswered(shown.callId);
    return { ...snapshot, callId, active, blocked: this.opts.audio.isBlocked, takeOver: false, elsewhere: false };
  }

  /**
   * Closes every call's media: on sign-out (`forget`: the tab no longer carries any call), or when
   * the page goes away (the marker stays, so that the reloaded dialer takes the audio back).
   */
  closeAll(forget: boolean): void {
    if (forget) this.opts.marker.clear();
    for (const recovery of this.recoveries.values()) recovery.stop();
    this.recoveries.clear();
    for (const media of this.open) media.close();
    this.open.clear();
    this.byCall.clear();
    this.earlyCodecs.clear();
    this.playing = null;
    this.opts.audio.detach();
  }

  private close(callId: string): void {
    const media = this.byCall.get(callId);
    if (!media) return;
    this.byCall.delete(callId);
    this.discard(media);
  }

  /** The answered call with audio that mute, hold and DTMF act on. */
  private active(): { callId: string; media: CallMedia } {
    for (const [callId, media] of this.byCall) {
      if (!media.isClosed && this.opts.isAnswered(callId)) return { callId, media };
    }
    throw new DialerError('CallNotFoundError', strings.errors.noAudioCall);
  }

  private onRemoteStream(media: CallMedia, stream: MediaStream): void {
    if (media.isClosed) return;
    this.streams.set(media, stream);
    this.playing = media;
    void this.opts.audio.play(stream);
    this.opts.onChange();
  }
}
