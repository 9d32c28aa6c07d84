import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signedIn, start, type FakeGateway } from './fake-gateway';
import { answerSdp } from './fake-media';
import { STORAGE_KEY } from '../src/auth';
import { AUDIO_MARKER_KEY } from '../src/media/audio-marker';
import { wireCall } from './wire-call';

type Answers = Record<string, (p: Record<string, unknown>) => object>;
const answeredAt = '2026-11-24T10:00:02.000Z';
const answered = (seq = 2) => wireCall({ state: 'answered', answer_time: answeredAt, seq });
const ended = wireCall({ state: 'disconnected', result: 'answered', answer_time: answeredAt, end_time: answeredAt, end_reason: 'remote_hangup', seq: 3 });
const ok = { ok: true, result: null };
const sdpAnswer = () => ({ ok: true, result: { sdp: answerSdp() } });
const mediaMovedError = { ok: false, error: { code: 'media_moved', message: "Another tab has the call's audio." } };

const marker = () => sessionStorage.getItem(AUDIO_MARKER_KEY);
const updates = (socket: FakeGateway) => socket.sent.filter((m) => m.method === 'updateMedia').map((m) => m.params);
const panel = (root: HTMLElement) => root.querySelector<HTMLElement>('.call-panel')!;
/** The buttons a user can see, by text. */
const visible = (root: HTMLElement) => [...panel(root).querySelectorAll('button')].filter((b) => !b.closest('[hidden]')).map((b) => b.textContent);
const elsewhereText = (root: HTMLElement) => root.querySelector<HTMLElement>('.media-elsewhere');

/** A dialer that restores its session from localStorage (a page load); `resume` replays `calls` first. */
async function loaded(calls: ReturnType<typeof wireCall>[], answers: Answers = {}) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ token: 'tok', expires_at: '2030-01-01T00:00:00Z' }));
  const dialer = start({
    updateMedia: sdpAnswer,
    resume: () => {
      for (const call of calls) dialer.gateway().event({ type: 'callStateChanged', call });
      return signedIn('tok');
    },
    ...answers,
  });
  await dialer.app.handleHostRequest('getAuthState', {});
  return dialer;
}

/** A loaded dialer that placed call-1, now answered, with its audio here. */
async function carrying(answers: Answers = {}) {
  const dialer = await loaded([], { placeCall: () => ({ ok: true, result: { call_id: 'call-1', sdp: answerSdp() } }), signOut: () => ok, ...answers });
  await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
  dialer.gateway().event({ type: 'callStateChanged', call: wireCall() });
  dialer.gateway().event({ type: 'callStateChanged', call: answered() });
  return { ...dialer, pc: dialer.media.pcs[0]!, track: dialer.media.tracks[0]! };
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => vi.useRealTimers());

describe('the audio marker in sessionStorage', () => {
  it('is set while this dialer carries the call, kept when the page goes away, cleared when the call ends', async () => {
    const dialer = await carrying();
    expect(JSON.parse(marker()!)).toEqual({ call_id: 'call-1' });
    dialer.app.dispose();
    expect(JSON.parse(marker()!)).toEqual({ call_id: 'call-1' });

    const again = await carrying();
    again.gateway().event({ type: 'callStateChanged', call: ended });
    expect(marker()).toBeNull();
  });

  it('is cleared on sign-out and on mediaMoved', async () => {
    const signingOut = await carrying();
    await signingOut.app.handleHostRequest('signOut', {});
    expect(marker()).toBeNull();
    const moved = await carrying();
    moved.gateway().event({ type: 'mediaMoved', call_id: 'other' });
    expect(marker()).not.toBeNull();
    moved.gateway().event({ type: 'mediaMoved', call_id: 'call-1' });
    expect(marker()).toBeNull();
  });

  it('is not set for a call that goes on without audio (sdp null)', async () => {
    const dialer = await loaded([], { placeCall: () => ({ ok: true, result: { call_id: 'call-1', sdp: null } }) });
    await dialer.app.handleHostRequest('placeCall', { to: '+12025550143' });
    expect(marker()).toBeNull();
  });
});

describe('after a reload', () => {
  it('re-attaches the marked answered call by itself: microphone, new peer connection, updateMedia with take: true', async () => {
    sessionStorage.setItem(AUDIO_MARKER_KEY, JSON.stringify({ call_id: 'call-1' }));
    const dialer = await loaded([answered()]);
    await vi.waitFor(() => expect(updates(dialer.gateway())).toHaveLength(1));
    const pc = dialer.media.pcs[0]!;
    expect(updates(dialer.gateway())).toEqual([{ call_id: 'call-1', sdp: pc.localDescription!.sdp, take: true }]);
    await vi.waitFor(() => expect(pc.remoteDescription?.sdp).toBe(answerSdp()));
    expect(dialer.media.tracks[0]!.stopped).toBe(false);
    expect(dialer.audio.element.srcObject).toBe(pc.remoteStream);
    expect(visible(dialer.root)).toEqual(['Mute', 'Hold', 'Keypad', 'Hang up']);
    expect(panel(dialer.root).dataset.audioElsewhere).toBe('false');
    expect(JSON.parse(marker()!)).toEqual({ call_id: 'call-1' });
  });

  it('while re-attaching it shows neither the read-only note nor "Take the call here"', async () => {
    sessionStorage.setItem(AUDIO_MARKER_KEY, JSON.stringify({ call_id: 'call-1' }));
    let fail!: () => void;
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ token: 'tok', expires_at: '2030-01-01T00:00:00Z' }));
    const dialer = start({
      resume: () => {
        // updateMedia is held until the test fails it.
        const socket = dialer.gateway();
        const send = socket.send.bind(socket);
        socket.send = (data: string) => {
          const req = JSON.parse(data);
          if (req.method !== 'updateMedia') return send(data);
          socket.sent.push(req);
          fail = () => socket.onmessage?.({ data: JSON.stringify({ v: 1, type: 'response', id: req.id, ok: false, error: { code: 'internal_error', message: 'No.' } }) });
        };
        socket.event({ type: 'callStateChanged', call: answered() });
        return signedIn('tok');
      },
    });
    const socket = await vi.waitFor(() => dialer.gateway());
    await vi.waitFor(() => expect(updates(socket)).toHaveLength(1));
    expect(elsewhereText(dialer.root)!.hidden).toBe(true);
    expect(visible(dialer.root)).toEqual(['Hang up']);
    fail();
    await vi.waitFor(() => expect(visible(dialer.root)).toEqual(['Take the call here', 'Hang up']));
    expect(elsewhereText(dialer.root)!.hidden).toBe(false);
  });

  it('re-attaches once the marked call, still ringing at the reload, is answered', async () => {
    sessionStorage.setItem(AUDIO_MARKER_KEY, JSON.stringify({ call_id: 'call-1' }));
    const dialer = await loaded([wireCall()]);
    await new Promise((r) => setTimeout(r, 20));
    expect(updates(dialer.gateway())).toEqual([]);
    dialer.gateway().event({ type: 'callStateChanged', call: answered() });
    await vi.waitFor(() => expect(updates(dialer.gateway())).toEqual([expect.objectContaining({ call_id: 'call-1', take: true })]));
  });

  it('does not re-attach a call this tab did not carry: it shows it read-only', async () => {
    sessionStorage.setItem(AUDIO_MARKER_KEY, JSON.stringify({ call_id: 'another-call' }));
    const dialer = await loaded([answered()]);
    await new Promise((r) => setTimeout(r, 20));
    expect(updates(dialer.gateway())).toEqual([]);
    expect(dialer.media.constraints).toEqual([]);
    expect(elsewhereText(dialer.root)!.hidden).toBe(false);
  });

  it('when updateMedia fails, shows the call read-only with "Take the call here" and releases the microphone', async () => {
    sessionStorage.setItem(AUDIO_MARKER_KEY, JSON.stringify({ call_id: 'call-1' }));
    const dialer = await loaded([answered()], { updateMedia: () => ({ ok: false, error: { code: 'call_not_found', message: 'No such call.' } }) });
    await vi.waitFor(() => expect(dialer.media.tracks[0]?.stopped).toBe(true));
    expect(updates(dialer.gateway())).toHaveLength(1);
    expect(visible(dialer.root)).toEqual(['Take the call here', 'Hang up']);
    expect(elsewhereText(dialer.root)!.hidden).toBe(false);
  });

  it('when the microphone is denied, explains it and shows "Take the call here"', async () => {
    sessionStorage.setItem(AUDIO_MARKER_KEY, JSON.stringify({ call_id: 'call-1' }));
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ token: 'tok', expires_at: '2030-01-01T00:00:00Z' }));
    const dialer = start({
      updateMedia: sdpAnswer,
      resume: () => {
        dialer.media.denyWith('NotAllowedError');
        dialer.gateway().event({ type: 'callStateChanged', call: answered() });
        return signedIn('tok');
      },
    });
    await vi.waitFor(() => expect(dialer.root.querySelector<HTMLElement>('.mic-notice')?.hidden).toBe(false));
    expect(updates(dialer.gateway())).toEqual([]);
    expect(visible(dialer.root)).toEqual(['Take the call here', 'Hang up']);
  });
});

describe('a call whose audio is in another tab', () => {
  it('is read-only: state, timer, "On a call in another tab", Take the call here and Hang up; no mute, hold or keypad', async () => {
    const dialer = await loaded([answered()]);
    const root = panel(dialer.root);
    expect(root.querySelector('.call-status')!.textContent).toMatch(/^In call [\d:]+$/);
    expect(root.querySelector('.call-timer')!.getAttribute('aria-label')).toBe('Call duration');
    const note = elsewhereText(dialer.root)!;
    expect(note.hidden).toBe(false);
    expect(note.textContent).toBe('On a call in another tab');
    expect(visible(dialer.root)).toEqual(['Take the call here', 'Hang up']);
    const take = root.querySelector<HTMLButtonElement>('button[data-action="takeOver"]')!;
    expect(take.textContent).toBe('Take the call here');
    expect(root.dataset.audioElsewhere).toBe('true');
    await expect(dialer.app.handleHostRequest('mute', { muted: true })).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
    await expect(dialer.app.handleHostRequest('hold', { held: true })).rejects.toMatchObject({ errorName: 'CallNotFoundError' });
  });

  it('a dialer carrying the call shows no read-only note', async () => {
    const dialer = await carrying();
    expect(elsewhereText(dialer.root)!.hidden).toBe(true);
    expect(visible(dialer.root)).toEqual(['Mute', 'Hold', 'Keypad', 'Hang up']);
    expect(panel(dialer.root).dataset.audioElsewhere).toBe('false');
  });
});

describe('mediaMoved', () => {
  it('closes the peer connection, releases the microphone, shows the call read-only and never restarts its ICE', async () => {
    const dialer = await carrying({ resume: () => signedIn('tok') });
    dialer.gateway().event({ type: 'mediaMoved', call_id: 'call-1' });
    expect(dialer.pc.closed).toBe(true);
    expect(dialer.track.stopped).toBe(true);
    expect(visible(dialer.root)).toEqual(['Take the call here', 'Hang up']);
    expect(elsewhereText(dialer.root)!.hidden).toBe(false);

    dialer.pc.setIceState('failed');
    const socket = dialer.gateway();
    socket.readyState = 3;
    socket.onclose?.({});
    await vi.waitFor(() => expect(dialer.gateway()).not.toBe(socket), { timeout: 3000 });
    await dialer.app.handleHostRequest('getAuthState', {});
    await new Promise((r) => setTimeout(r, 20));
    expect([...updates(socket), ...updates(dialer.gateway())]).toEqual([]);
  });

  it('the error media_moved on an ICE restart does the same', async () => {
    const dialer = await carrying({ updateMedia: () => mediaMovedError });
    dialer.pc.setIceState('failed');
    await vi.waitFor(() => expect(dialer.pc.closed).toBe(true));
    expect(updates(dialer.gateway())).toHaveLength(1);
    expect(dialer.track.stopped).toBe(true);
    expect(marker()).toBeNull();
    expect(visible(dialer.root)).toEqual(['Take the call here', 'Hang up']);
    dialer.pc.setIceState('failed');
    await new Promise((r) => setTimeout(r, 20));
    expect(updates(dialer.gateway())).toHaveLength(1);
  });

  it('"Take the call here" afterwards takes the audio back with a new peer connection', async () => {
    const dialer = await carrying({ updateMedia: sdpAnswer });
    dialer.gateway().event({ type: 'mediaMoved', call_id: 'call-1' });
    panel(dialer.root).querySelector<HTMLButtonElement>('button[data-action="takeOver"]')!.click();
    await vi.waitFor(() => expect(visible(dialer.root)).toEqual(['Mute', 'Hold', 'Keypad', 'Hang up']));
    expect(updates(dialer.gateway())).toEqual([{ call_id: 'call-1', sdp: dialer.media.pcs[1]!.localDescription!.sdp, take: true }]);
    expect(JSON.parse(marker()!)).toEqual({ call_id: 'call-1' });
  });
});

describe('ICE restart on media loss', () => {
  it('ICE disconnected for 3 s: exactly one updateMedia with an ICE-restart offer, without take', async () => {
    const dialer = await carrying({ updateMedia: sdpAnswer });
    vi.useFakeTimers();
    dialer.pc.setIceState('disconnected');
    await vi.advanceTimersByTimeAsync(2999);
    expect(updates(dialer.gateway())).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(updates(dialer.gateway())).toEqual([{ call_id: 'call-1', sdp: expect.stringContaining('m=audio') }]);
    expect(dialer.pc.offerOptions[dialer.pc.offerOptions.length - 1]).toEqual({ iceRestart: true });
    await vi.advanceTimersByTimeAsync(1000);
    expect(updates(dialer.gateway())).toHaveLength(1);
  });

  it('ICE disconnected that recovers within 3 s: no restart', async () => {
    const dialer = await carrying({ updateMedia: sdpAnswer });
    vi.useFakeTimers();
    dialer.pc.setIceState('disconnected');
    await vi.advanceTimersByTimeAsync(2000);
    dialer.pc.setIceState('connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(updates(dialer.gateway())).toEqual([]);
  });

  it('ICE failed: one restart at once, and no more than one per 5 s while it keeps failing', async () => {
    const dialer = await carrying({ updateMedia: sdpAnswer });
    vi.useFakeTimers();
    dialer.pc.setIceState('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(updates(dialer.gateway())).toHaveLength(1);
    dialer.pc.setIceState('checking');
    dialer.pc.setIceState('failed');
    await vi.advanceTimersByTimeAsync(4000);
    expect(updates(dialer.gateway())).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(updates(dialer.gateway())).toHaveLength(2);
  });

  it('one restart in flight at a time', async () => {
    let release!: () => void;
    const dialer = await carrying();
    const socket = dialer.gateway();
    const send = socket.send.bind(socket);
    socket.send = (data: string) => {
      const req = JSON.parse(data);
      if (req.method !== 'updateMedia') return send(data);
      socket.sent.push(req); // held: answered when the test releases it
      release = () => socket.onmessage?.({ data: JSON.stringify({ v: 1, type: 'response', id: req.id, ok: true, result: { sdp: answerSdp() } }) });
    };
    vi.useFakeTimers();
    dialer.pc.setIceState('failed');
    await vi.advanceTimersByTimeAsync(0);
    dialer.pc.setIceState('disconnected');
    dialer.pc.setIceState('failed');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(updates(socket)).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(updates(socket)).toHaveLength(2);
  });

  it('not while the WebSocket is down: the restart after the reconnect covers it', async () => {
    const dialer = await carrying({ updateMedia: sdpAnswer });
    vi.useFakeTimers();
    const socket = dialer.gateway();
    socket.readyState = 3;
    socket.onclose?.({});
    dialer.pc.setIceState('failed');
    await vi.advanceTimersByTimeAsync(300);
    expect(updates(socket)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(dialer.gateway()).not.toBe(socket);
    await vi.waitFor(() => expect(updates(dialer.gateway())).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(3000);
    expect(updates(dialer.gateway())).toHaveLength(1);
  });
});
