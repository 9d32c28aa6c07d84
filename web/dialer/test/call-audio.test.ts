import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signedIn, start } from './fake-gateway';
import { answerSdp, fakeMedia } from './fake-media';
import { wireCall } from './wire-call';

const ok = { ok: true, result: null };
const placed = (sdp: string | null = answerSdp()) => ({ ok: true, result: { call_id: 'call-1', sdp } });
type Answers = Record<string, (p: Record<string, unknown>) => object>;

async function signedInDialer(answers: Answers = {}, options: Parameters<typeof start>[1] = {}) {
  const dialer = start({ signInWithToken: () => signedIn('tok'), placeCall: () => placed(), ...answers }, options);
  await dialer.app.handleHostRequest('setToken', { token: 'minted' });
  return dialer;
}

/** A signed-in dialer with an answered outbound call that has audio. */
async function inCall(answers: Answers = {}) {
  const dialer = await signedInDialer({ hold: () => ok, ...answers });
  await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
  dialer.gateway().event({ type: 'callStateChanged', call: wireCall() });
  dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: '2026-11-24T10:00:02.000Z', seq: 2 }) });
  return { ...dialer, pc: dialer.media.pcs[0]!, track: dialer.media.tracks[0]!, dtmf: dialer.media.pcs[0]!.transceivers[0]!.dtmf };
}

const sent = (dialer: { gateway(): { sent: Array<{ method: string; params: Record<string, unknown> }> } }, method?: string) =>
  dialer.gateway().sent.filter((m) => (method ? m.method === method : m.method !== 'hello' && m.method !== 'signInWithToken' && m.method !== 'recentCalls' && m.method !== 'checkNumber'));
const panel = (root: HTMLElement) => root.querySelector<HTMLElement>('.call-panel')!;
const visibleButton = (root: HTMLElement, name: string) =>
  [...root.querySelectorAll('button')].find((b) => b.textContent === name && !b.closest('[hidden]')) as HTMLButtonElement | undefined;

beforeEach(() => localStorage.clear());

describe('microphone', () => {
  it.each([
    ['NotAllowedError', /blocked for this site.*set Microphone to Allow/],
    ['SecurityError', /blocked for this site/],
    ['NotFoundError', /No microphone was found/],
    ['NotReadableError', /another application/],
  ])('%s: placeCall fails with MicrophonePermissionError, nothing reaches the gateway, the dialer explains', async (name, text) => {
    const dialer = await signedInDialer();
    dialer.media.denyWith(name);
    const error = await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorName: 'MicrophonePermissionError', message: expect.stringMatching(text) });
    expect(sent(dialer)).toEqual([]);
    expect(dialer.media.pcs).toEqual([]);
    const notice = dialer.root.querySelector<HTMLElement>('.mic-notice')!;
    expect(notice.hidden).toBe(false);
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toMatch(text);
  });

  it.each([null, 'NotAllowedError'])(
    'rejects placeCall with InvalidPhoneNumberError for "abc" before asking for the microphone (denial: %s)',
    async (denial) => {
      const invalid = { ok: false, error: { code: 'invalid_phone_number', message: 'Not a valid phone number.' } };
      const dialer = await signedInDialer({ checkNumber: () => invalid });
      dialer.media.denyWith(denial);
      const error = await dialer.app.handleHostRequest('placeCall', { to: 'abc' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ errorName: 'InvalidPhoneNumberError' });
      expect(dialer.media.constraints).toEqual([]); // no microphone prompt
      expect(sent(dialer, 'checkNumber').map((m) => m.params)).toEqual([{ to: 'abc' }]);
      expect(sent(dialer, 'placeCall')).toEqual([]);
    },
  );

  it('answer with the microphone denied fails the same way and leaves the call ringing', async () => {
    const dialer = await signedInDialer({ answer: () => ok });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'in-1', direction: 'inbound' }) });
    dialer.media.denyWith('NotAllowedError');
    visibleButton(dialer.root, 'Answer')!.click();
    await vi.waitFor(() => expect(dialer.root.querySelector<HTMLElement>('.mic-notice')!.hidden).toBe(false));
    await expect(dialer.app.handleHostRequest('answer', {})).rejects.toMatchObject({ errorName: 'MicrophonePermissionError' });
    expect(sent(dialer)).toEqual([]);
    expect(visibleButton(dialer.root, 'Answer')).toBeDefined();
    // The panel does not repeat the message: the notice has it, with the fix.
    expect(panel(dialer.root).querySelector('.call-error')!.textContent).toBe('');
  });

  it('the Call button with the microphone denied shows the notice only; the next call clears it', async () => {
    const dialer = await signedInDialer();
    dialer.media.denyWith('NotAllowedError');
    dialer.root.querySelector<HTMLInputElement>('#phone-number')!.value = '+12025550143';
    dialer.root.querySelector<HTMLButtonElement>('button.call')!.click();
    await vi.waitFor(() => expect(dialer.root.querySelector<HTMLElement>('.mic-notice')!.hidden).toBe(false));
    expect(dialer.root.querySelector('.call-message')!.textContent).toBe('');
    dialer.media.denyWith(null);
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    expect(dialer.root.querySelector<HTMLElement>('.mic-notice')!.hidden).toBe(true);
  });

  it('asks for echo cancellation, noise suppression and gain control unless audioProcessing is false', async () => {
    const dialer = await signedInDialer();
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    expect(dialer.media.constraints[0]).toEqual({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }, video: false });
    localStorage.clear();
    const raw = await signedInDialer({}, { audioProcessing: false });
    await raw.app.handleHostRequest('placeCall', { to: '+12025550143' });
    expect(raw.media.constraints[0]).toEqual({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false }, video: false });
  });
});

describe('offer and answer', () => {
  it('placeCall sends the offer at once, before ICE gathering completes, with G.711 and telephone-event only', async () => {
    const dialer = await signedInDialer();
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    const pc = dialer.media.pcs[0]!;
    expect(pc.config.iceServers).toEqual([]);
    expect(pc.transceivers.map((t) => t.direction)).toEqual(['sendrecv']);
    expect(pc.codecPreferences[0]).toEqual(['audio/PCMU/8000', 'audio/PCMA/8000', 'audio/telephone-event/8000']);
    const [request] = sent(dialer, 'placeCall');
    expect(request!.params).toEqual({ to: '+12025550143', sdp: pc.localDescription!.sdp });
    expect(request!.params.sdp).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 0 8 126');
    expect(pc.iceGatheringState).toBe('gathering');
  });

  it('the call panel says there is no media before the first call', async () => {
    const dialer = await signedInDialer();
    expect(panel(dialer.root).dataset).toMatchObject({ mediaState: 'none', mediaCodec: '', mediaMuted: 'false', mediaHeld: 'false', audioBlocked: 'false' });
  });

  it("applies the gateway's answer and plays the far end through <audio data-role=\"remote-audio\">", async () => {
    const dialer = await signedInDialer();
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    const pc = dialer.media.pcs[0]!;
    expect(pc.remoteDescription).toEqual({ type: 'answer', sdp: answerSdp() });
    const element = document.querySelector<HTMLAudioElement>('audio[data-role="remote-audio"]')!;
    expect(element).toBe(dialer.audio.element);
    expect(element.autoplay).toBe(true);
    expect(element.srcObject).toBe(pc.remoteStream);
    pc.setConnectionState('connected');
    expect(panel(dialer.root).dataset).toMatchObject({ mediaState: 'connected', mediaCodec: 'PCMU', mediaMuted: 'false', mediaHeld: 'false', audioBlocked: 'false', mediaCallId: 'call-1' });
  });

  it('answer sends the offer with the call id and applies the answer', async () => {
    const dialer = await signedInDialer({ answer: () => ({ ok: true, result: { sdp: answerSdp('PCMA') } }) });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'in-1', direction: 'inbound' }) });
    await dialer.app.handleHostRequest('answer', {});
    const pc = dialer.media.pcs[0]!;
    expect(sent(dialer, 'answer').map((m) => m.params)).toEqual([{ call_id: 'in-1', sdp: pc.localDescription!.sdp }]);
    expect(pc.remoteDescription!.sdp).toBe(answerSdp('PCMA'));
    expect(panel(dialer.root).dataset.mediaCodec).toBe('PCMA');
  });

  it('releases the microphone when the gateway refuses the call', async () => {
    const dialer = await signedInDialer({ placeCall: () => ({ ok: false, error: { code: 'call_in_progress', message: 'Busy.' } }) });
    await expect(dialer.app.handleHostRequest('placeCall', { to: '+12025550143' })).rejects.toMatchObject({ errorName: 'CallInProgressError' });
    expect(dialer.media.tracks[0]!.stopped).toBe(true);
    expect(dialer.media.pcs[0]!.closed).toBe(true);
  });

  it('a second placeCall the gateway refuses leaves the answered call\'s audio alone', async () => {
    let calls = 0;
    const dialer = await inCall({ placeCall: () => (++calls === 1 ? placed() : { ok: false, error: { code: 'call_in_progress', message: 'Busy.' } }) });
    await expect(dialer.app.handleHostRequest('placeCall', { to: '+12025550199' })).rejects.toMatchObject({ errorName: 'CallInProgressError' });
    expect(dialer.media.tracks[1]!.stopped).toBe(true);
    expect(dialer.track.stopped).toBe(false);
    expect(dialer.audio.element.srcObject).toBe(dialer.pc.remoteStream);
    expect(panel(dialer.root).dataset).toMatchObject({ mediaCallId: 'call-1', mediaCodec: 'PCMU' });
    await expect(dialer.app.handleHostRequest('mute', { muted: true })).resolves.toBeNull();
  });

  it('hangs up a call whose answer cannot be applied', async () => {
    const dialer = await signedInDialer({ hangUp: () => ok });
    const original = dialer.media.env.createPeerConnection;
    dialer.media.env.createPeerConnection = (config) => {
      const pc = original(config);
      (pc as unknown as { rejectAnswer: boolean }).rejectAnswer = true;
      return pc;
    };
    await expect(dialer.app.handleHostRequest('placeCall', { to: '+12025550143' })).rejects.toMatchObject({ errorName: 'Net2PhoneDialerError' });
    await vi.waitFor(() => expect(sent(dialer, 'hangUp').map((m) => m.params)).toEqual([{ call_id: 'call-1' }]));
    expect(dialer.media.tracks[0]!.stopped).toBe(true);
  });

  it('goes on without audio when the gateway sends no answer (sdp null)', async () => {
    const dialer = await signedInDialer({ placeCall: () => placed(null) });
    await expect(dialer.app.handleHostRequest('placeCall', { to: '+12025550143' })).resolves.toBeNull();
    expect(dialer.media.pcs[0]!.closed).toBe(true);
    expect(dialer.media.tracks[0]!.stopped).toBe(true);
  });

  it('without setCodecPreferences the offer lists G.711 and telephone-event first', async () => {
    const dialer = await signedInDialer({}, { media: fakeMedia({ codecPreferences: false }).env });
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    expect(sent(dialer, 'placeCall')[0]!.params.sdp).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 0 8 126 111\r\n');
  });
});

describe('mediaUpdate', () => {
  it('re-offers with the codec first, sends updateMedia and applies the answer', async () => {
    const dialer = await inCall({ updateMedia: () => ({ ok: true, result: { sdp: answerSdp('PCMA') } }) });
    dialer.gateway().event({ type: 'mediaUpdate', call_id: 'call-1', codec: 'PCMA' });
    await vi.waitFor(() => expect(panel(dialer.root).dataset.mediaCodec).toBe('PCMA'));
    expect(dialer.pc.codecPreferences[dialer.pc.codecPreferences.length - 1]).toEqual(['audio/PCMA/8000', 'audio/PCMU/8000', 'audio/telephone-event/8000']);
    const [update] = sent(dialer, 'updateMedia');
    expect(update!.params).toEqual({ call_id: 'call-1', sdp: expect.stringContaining('m=audio 9 UDP/TLS/RTP/SAVPF 8 0 126') });
    expect(dialer.pc.remoteDescription!.sdp).toBe(answerSdp('PCMA'));
  });

  it('a mediaUpdate that arrives before the placeCall result is applied once the call is known', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const dialer = await signedInDialer({ updateMedia: () => ({ ok: true, result: { sdp: answerSdp('PCMA') } }) });
    const socket = dialer.gateway();
    const send = socket.send.bind(socket);
    socket.send = (data: string) => {
      if (JSON.parse(data).method === 'placeCall') {
        socket.event({ type: 'mediaUpdate', call_id: 'call-1', codec: 'PCMA' });
        void gate.then(() => send(data));
      } else send(data);
    };
    const done = dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    await vi.waitFor(() => expect(dialer.media.pcs).toHaveLength(1));
    release();
    await done;
    await vi.waitFor(() => expect(panel(dialer.root).dataset.mediaCodec).toBe('PCMA'));
    expect(sent(dialer, 'updateMedia')).toHaveLength(1);
  });

  it('rolls the offer back when the gateway refuses it, and ignores other calls and the codec in use', async () => {
    const dialer = await inCall({ updateMedia: () => ({ ok: false, error: { code: 'bad_request', message: 'no' } }) });
    dialer.gateway().event({ type: 'mediaUpdate', call_id: 'other', codec: 'PCMA' });
    dialer.gateway().event({ type: 'mediaUpdate', call_id: 'call-1', codec: 'PCMU' });
    dialer.gateway().event({ type: 'mediaUpdate', call_id: 'call-1', codec: 'PCMA' });
    await vi.waitFor(() => expect(sent(dialer, 'updateMedia')).toHaveLength(1));
    expect(sent(dialer, 'updateMedia')[0]!.params.sdp).toContain('SAVPF 8 0 126');
    await vi.waitFor(() => expect(dialer.pc.localDescription!.sdp).toContain('SAVPF 0 8 126'));
    expect(dialer.pc.signalingState).toBe('stable');
    expect(panel(dialer.root).dataset.mediaCodec).toBe('PCMU');
  });
});

describe('ICE restart', () => {
  it('restarts ICE through updateMedia, keeping the codec, once the WebSocket is back after a drop', async () => {
    const dialer = await inCall({ updateMedia: () => ({ ok: true, result: { sdp: answerSdp() } }), resume: () => signedIn('tok') });
    const socket = dialer.gateway();
    socket.readyState = 3;
    socket.onclose?.({});
    await vi.waitFor(() => expect(dialer.gateway()).not.toBe(socket), { timeout: 3000 });
    await vi.waitFor(() => expect(sent(dialer, 'updateMedia')).toHaveLength(1), { timeout: 3000 });
    expect(dialer.pc.offerOptions[dialer.pc.offerOptions.length - 1]).toEqual({ iceRestart: true });
    expect(sent(dialer, 'updateMedia')[0]!.params).toEqual({ call_id: 'call-1', sdp: expect.stringContaining('SAVPF 0 8 126') });
  });

  it('a restart after the reconnect is sent without take', async () => {
    const dialer = await inCall({ updateMedia: () => ({ ok: true, result: { sdp: answerSdp() } }), resume: () => signedIn('tok') });
    const socket = dialer.gateway();
    socket.readyState = 3;
    socket.onclose?.({});
    await vi.waitFor(() => expect(sent(dialer, 'updateMedia')).toHaveLength(1), { timeout: 3000 });
    expect(sent(dialer, 'updateMedia')[0]!.params).not.toHaveProperty('take');
  });
});

describe('mute, hold and sendDtmf from the host', () => {
  it('answer CallNotFoundError without an answered call with audio', async () => {
    const dialer = await signedInDialer();
    await expect(dialer.app.handleHostRequest('mute', { muted: true })).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
    await expect(dialer.app.handleHostRequest('hold', { held: true })).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
    await expect(dialer.app.handleHostRequest('sendDtmf', { digits: '1' })).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
    // A call that rings is not answered yet.
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall() });
    await expect(dialer.app.handleHostRequest('mute', { muted: true })).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
    expect(sent(dialer, 'hold')).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['mute', { muted: 'yes' }],
    ['mute', {}],
    ['hold', { held: 1 }],
    ['sendDtmf', { digits: '' }],
    ['sendDtmf', { digits: '12E' }],
    ['sendDtmf', { digits: '1'.repeat(65) }],
    ['sendDtmf', { digits: 5 }],
  ])('%s with %j is InvalidOptionsError', async (method, params) => {
    const dialer = await inCall();
    await expect(dialer.app.handleHostRequest(method, params)).rejects.toMatchObject({ errorName: 'InvalidOptionsError' });
    expect(sent(dialer, 'hold')).toEqual([]);
  });

  it('mute disables the track locally and sends nothing to the gateway', async () => {
    const dialer = await inCall();
    const before = sent(dialer).length;
    await dialer.app.handleHostRequest('mute', { muted: true });
    expect(dialer.track.enabled).toBe(false);
    expect(panel(dialer.root).dataset.mediaMuted).toBe('true');
    await dialer.app.handleHostRequest('mute', { muted: false });
    expect(dialer.track.enabled).toBe(true);
    expect(sent(dialer)).toHaveLength(before);
  });

  it('hold asks the gateway, then silences both directions; resume restores them but keeps mute', async () => {
    const dialer = await inCall();
    await dialer.app.handleHostRequest('hold', { held: true });
    expect(sent(dialer, 'hold').map((m) => m.params)).toEqual([{ call_id: 'call-1', held: true }]);
    expect(dialer.track.enabled).toBe(false);
    expect(dialer.audio.element.muted).toBe(true);
    expect(panel(dialer.root).dataset.mediaHeld).toBe('true');
    await dialer.app.handleHostRequest('mute', { muted: true });
    await dialer.app.handleHostRequest('hold', { held: false });
    expect(dialer.audio.element.muted).toBe(false);
    expect(dialer.track.enabled).toBe(false);
    await dialer.app.handleHostRequest('mute', { muted: false });
    expect(dialer.track.enabled).toBe(true);
  });

  it('a blind transfer of a held call resumes it first; the target failing gives it back answered with audio both ways', async () => {
    const failed = { ok: false, error: { code: 'transfer_failed', message: 'The transfer failed (busy).' } };
    const dialer = await inCall({ transfer: () => failed });
    await dialer.app.handleHostRequest('hold', { held: true });
    const error = await dialer.app.handleHostRequest('transfer', { to: '+12025550177' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorName: 'TransferFailedError' });
    expect(sent(dialer).filter((m) => m.method === 'hold' || m.method === 'transfer').map((m) => [m.method, m.params])).toEqual([
      ['hold', { call_id: 'call-1', held: true }],
      ['hold', { call_id: 'call-1', held: false }],
      ['transfer', { call_id: 'call-1', to: '+12025550177' }],
    ]);
    expect(dialer.track.enabled).toBe(true);
    expect(dialer.audio.element.muted).toBe(false);
    expect(panel(dialer.root).dataset.mediaHeld).toBe('false');
  });

  it('a blind transfer of a call that is not held sends no hold', async () => {
    const failed = { ok: false, error: { code: 'transfer_failed', message: 'The transfer failed (busy).' } };
    const dialer = await inCall({ transfer: () => failed });
    await expect(dialer.app.handleHostRequest('transfer', { to: '+12025550177' })).rejects.toMatchObject({ errorName: 'TransferFailedError' });
    expect(sent(dialer, 'hold')).toEqual([]);
  });

  it('a refused hold changes nothing here', async () => {
    const dialer = await inCall({ hold: () => ({ ok: false, error: { code: 'call_not_found', message: 'No such call.' } }) });
    await expect(dialer.app.handleHostRequest('hold', { held: true })).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
    expect(dialer.track.enabled).toBe(true);
    expect(dialer.audio.element.muted).toBe(false);
  });

  it('sendDtmf queues the digits, upper-cased, behind the tones still playing', async () => {
    const dialer = await inCall();
    await dialer.app.handleHostRequest('sendDtmf', { digits: '12a' });
    await dialer.app.handleHostRequest('sendDtmf', { digits: '#,' });
    expect(dialer.dtmf.inserted).toEqual(['12A', '12A#,']);
    dialer.dtmf.playNext();
    expect(panel(dialer.root).dataset.dtmfSent).toBe('1');
  });
});

describe('end of the call', () => {
  it.each(['remote_hangup', 'media_timeout', 'failed'])('disconnected (%s) closes the peer connection and stops the microphone', async (reason) => {
    const dialer = await inCall();
    dialer.gateway().event({
      type: 'callStateChanged',
      call: wireCall({ state: 'disconnected', result: 'answered', answer_time: '2026-11-24T10:00:02.000Z', end_time: '2026-11-24T10:01:00.000Z', end_reason: reason, seq: 3 }),
    });
    expect(dialer.pc.closed).toBe(true);
    expect(dialer.track.stopped).toBe(true);
    expect(dialer.audio.element.srcObject).toBeNull();
    expect(panel(dialer.root).dataset.mediaState).toBe('closed');
    await expect(dialer.app.handleHostRequest('mute', { muted: true })).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
  });

  it('a call that ended before its placeCall result arrived has its media closed', async () => {
    const dialer = await signedInDialer();
    const gw = () => dialer.gateway();
    const done = dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    await vi.waitFor(() => expect(sent(dialer, 'placeCall')).toHaveLength(1));
    gw().event({ type: 'callStateChanged', call: wireCall({ state: 'disconnected', result: 'not_answered', end_time: '2026-11-24T10:00:01.000Z', end_reason: 'busy', seq: 2 }) });
    await done;
    expect(dialer.media.pcs[0]!.closed).toBe(true);
    expect(dialer.media.tracks[0]!.stopped).toBe(true);
  });

  it('sign-out and dispose close the audio', async () => {
    const signingOut = await inCall({ signOut: () => ok });
    await signingOut.app.handleHostRequest('signOut', {});
    expect(signingOut.pc.closed).toBe(true);
    expect(signingOut.track.stopped).toBe(true);
    const leaving = await inCall();
    leaving.app.dispose();
    expect(leaving.pc.closed).toBe(true);
    expect(leaving.track.stopped).toBe(true);
  });
});

describe('autoplay', () => {
  it('a refused play() shows "Click to enable call audio" and tells the host; a click starts it', async () => {
    const dialer = await signedInDialer();
    dialer.audio.state.blocked = true;
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall() });
    await vi.waitFor(() => expect(dialer.events).toContainEqual({ type: 'audioPlaybackBlocked', blocked: true }));
    expect(panel(dialer.root).dataset.audioBlocked).toBe('true');
    const enable = visibleButton(dialer.root, 'Click to enable call audio')!;
    expect(enable).toBeDefined();
    dialer.audio.state.blocked = false;
    enable.click();
    await vi.waitFor(() => expect(dialer.events.filter((e) => e.type === 'audioPlaybackBlocked')).toEqual([
      { type: 'audioPlaybackBlocked', blocked: true },
      { type: 'audioPlaybackBlocked', blocked: false },
    ]));
    expect(visibleButton(dialer.root, 'Click to enable call audio')).toBeUndefined();
  });

  it('never reports blocked when play() succeeds', async () => {
    const dialer = await signedInDialer();
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    expect(dialer.audio.state.plays).toBe(1);
    expect(dialer.events.filter((e) => e.type === 'audioPlaybackBlocked')).toEqual([]);
  });
});

describe('moving the audio here', () => {
  it('an answered call whose audio is elsewhere (a reload) is read-only with "Take the call here", which sends updateMedia with take: true', async () => {
    const dialer = await signedInDialer({ updateMedia: () => ({ ok: true, result: { sdp: answerSdp() } }) });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: '2026-11-24T10:00:02.000Z', seq: 2 }) });
    expect(visibleButton(dialer.root, 'Mute')).toBeUndefined();
    await expect(dialer.app.handleHostRequest('mute', { muted: true })).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
    visibleButton(dialer.root, 'Take the call here')!.click();
    await vi.waitFor(() => expect(visibleButton(dialer.root, 'Mute')).toBeDefined());
    const pc = dialer.media.pcs[0]!;
    expect(sent(dialer, 'updateMedia').map((m) => m.params)).toEqual([{ call_id: 'call-1', sdp: pc.localDescription!.sdp, take: true }]);
    expect(pc.remoteDescription!.sdp).toBe(answerSdp());
    expect(visibleButton(dialer.root, 'Take the call here')).toBeUndefined();
    await expect(dialer.app.handleHostRequest('mute', { muted: true })).resolves.toBeNull();
  });

  it('a call whose connection here failed (its audio moved to another tab) can be moved back', async () => {
    const dialer = await inCall({ updateMedia: () => ({ ok: true, result: { sdp: answerSdp() } }) });
    expect(visibleButton(dialer.root, 'Take the call here')).toBeUndefined();
    dialer.pc.setConnectionState('failed');
    visibleButton(dialer.root, 'Take the call here')!.click();
    await vi.waitFor(() => expect(sent(dialer, 'updateMedia')).toHaveLength(1));
    await vi.waitFor(() => expect(dialer.media.pcs[1]?.remoteDescription).toBeTruthy());
    expect(dialer.pc.closed).toBe(true);
    expect(dialer.track.stopped).toBe(true);
    expect(dialer.media.tracks[1]!.stopped).toBe(false);
    expect(visibleButton(dialer.root, 'Take the call here')).toBeUndefined();
  });

  it('a refused move releases the microphone and says why', async () => {
    const dialer = await signedInDialer({ updateMedia: () => ({ ok: false, error: { code: 'call_not_found', message: 'The call has no audio yet.' } }) });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ state: 'answered', answer_time: '2026-11-24T10:00:02.000Z', seq: 2 }) });
    visibleButton(dialer.root, 'Take the call here')!.click();
    await vi.waitFor(() => expect(panel(dialer.root).querySelector('.media-error')!.textContent).toBe('The call has no audio yet.'));
    expect(dialer.media.tracks[0]!.stopped).toBe(true);
    expect(visibleButton(dialer.root, 'Take the call here')).toBeDefined();
  });
});

describe('call panel media controls', () => {
  it('an answered call with audio has Mute, Hold and Keypad, with accessible names and pressed states', async () => {
    const dialer = await inCall();
    const mute = visibleButton(dialer.root, 'Mute')!;
    const hold = visibleButton(dialer.root, 'Hold')!;
    const keypad = visibleButton(dialer.root, 'Keypad')!;
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    mute.click();
    await vi.waitFor(() => expect(dialer.track.enabled).toBe(false));
    expect(mute.textContent).toBe('Unmute');
    expect(mute.getAttribute('aria-pressed')).toBe('true');
    expect(panel(dialer.root).contains(mute)).toBe(true);

    hold.click();
    await vi.waitFor(() => expect(hold.textContent).toBe('Resume'));
    expect(sent(dialer, 'hold').map((m) => m.params)).toEqual([{ call_id: 'call-1', held: true }]);

    expect(keypad.getAttribute('aria-expanded')).toBe('false');
    keypad.click();
    expect(keypad.getAttribute('aria-expanded')).toBe('true');
    const pad = dialer.root.querySelector<HTMLElement>(`#${keypad.getAttribute('aria-controls')}`)!;
    expect(pad.hidden).toBe(false);
    const star = pad.querySelector<HTMLButtonElement>('[data-key="*"]')!;
    expect(star.getAttribute('aria-label')).toBe('Send tone star');
    star.click();
    pad.dispatchEvent(new KeyboardEvent('keydown', { key: '5', bubbles: true }));
    await vi.waitFor(() => expect(dialer.dtmf.inserted).toEqual(['*', '*5']));
    expect(pad.querySelector('.dtmf-sent')!.textContent).toBe('*5');
  });

  it('a ringing outbound call shows no media buttons', async () => {
    const dialer = await signedInDialer();
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall() });
    expect(visibleButton(dialer.root, 'Mute')).toBeUndefined();
    expect(visibleButton(dialer.root, 'Hang up')).toBeDefined();
  });
});

describe('a call that ends while its answer is applied', () => {
  it('placeCall still resolves: closing the peer connection settles the pending setRemoteDescription', async () => {
    const dialer = await signedInDialer({
      placeCall: () => {
        // The gateway's answer will stall in setRemoteDescription until the call's end closes the connection.
        dialer.media.pcs[0]!.stallAnswer = true;
        return placed();
      },
    });
    const placing = dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    await vi.waitFor(() => expect(dialer.media.pcs[0]?.remoteDescription === null && sent(dialer, 'placeCall').length).toBe(1));
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall() });
    dialer.gateway().event({
      type: 'callStateChanged',
      call: wireCall({ state: 'disconnected', result: 'not_answered', end_reason: 'declined', end_time: '2026-11-24T10:00:01.000Z', seq: 2 }),
    });
    await expect(placing).resolves.toBeNull();
    expect(dialer.media.pcs[0]!.closed).toBe(true);
    expect(dialer.media.tracks[0]!.stopped).toBe(true);
  });
});
