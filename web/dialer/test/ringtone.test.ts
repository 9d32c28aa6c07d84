import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BLOCKED_AFTER_MS, Ringtone, type RingtoneContext } from '../src/media/ringtone';
import { signedIn, start } from './fake-gateway';
import { wireCall } from './wire-call';

/** An AudioContext that records oscillators and gain automation; `allowAudio` decides whether resume() works. */
function fakeContext(allowAudio: boolean) {
  const oscillators: Array<{ frequency: { value: number }; started: boolean; stopped: boolean }> = [];
  const levels: Array<[number, number]> = [];
  const node = () => ({ connect: vi.fn(), disconnect: vi.fn() });
  const ctx = {
    state: allowAudio ? 'running' : 'suspended',
    currentTime: 0,
    destination: {} as AudioNode,
    onstatechange: null as ((ev: Event) => unknown) | null,
    resume: vi.fn(async () => {
      if (!allowAudio) return new Promise<void>(() => undefined); // the browser waits for a gesture
      ctx.state = 'running';
      ctx.onstatechange?.({} as Event);
    }),
    createOscillator: () => {
      const osc = { ...node(), frequency: { value: 0 }, started: false, stopped: false,
        start() { osc.started = true; }, stop() { osc.stopped = true; } };
      oscillators.push(osc);
      return osc as unknown as OscillatorNode;
    },
    createGain: () => ({ ...node(), gain: { value: 0, cancelScheduledValues: vi.fn(),
      setValueAtTime: (v: number, t: number) => levels.push([v, t]) } }) as unknown as GainNode,
  };
  return { ctx, oscillators, levels, allow: () => { allowAudio = true; } };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Ringtone', () => {
  it('plays 440 + 480 Hz, 2 s on then 4 s off, and stops every oscillator on stop()', () => {
    const f = fakeContext(true);
    const tone = new Ringtone(() => f.ctx as unknown as RingtoneContext, () => undefined);
    tone.start();
    expect(f.oscillators.map((o) => [o.frequency.value, o.started])).toEqual([[440, true], [480, true]]);
    expect(f.levels).toEqual([[0.08, 0], [0, 2]]);
    f.ctx.currentTime = 6;
    vi.advanceTimersByTime(6000);
    expect(f.levels.slice(2)).toEqual([[0.08, 6], [0, 8]]);
    tone.stop();
    expect(f.oscillators.every((o) => o.stopped)).toBe(true);
    expect(tone.playing).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(f.levels).toHaveLength(4);
  });

  it('plays the call-waiting tone (440 Hz, 0.3 s every 10 s) when asked, and switches to it from the ringtone', () => {
    const f = fakeContext(true);
    const tone = new Ringtone(() => f.ctx as unknown as RingtoneContext, () => undefined);
    tone.start();
    tone.start(true);
    expect(f.oscillators.slice(0, 2).every((o) => o.stopped)).toBe(true);
    expect(f.oscillators.slice(2).map((o) => o.frequency.value)).toEqual([440]);
    expect(f.levels.slice(2)).toEqual([[0.08, 0], [0, 0.3]]);
    f.ctx.currentTime = 10;
    vi.advanceTimersByTime(10_000);
    expect(f.levels.slice(4)).toEqual([[0.08, 10], [0, 10.3]]);
    tone.stop();
  });

  it('reports blocked while the context stays suspended, and unblocked once a click resumes it', async () => {
    const f = fakeContext(false);
    const blocked: boolean[] = [];
    const tone = new Ringtone(() => f.ctx as unknown as RingtoneContext, (b) => blocked.push(b));
    tone.start();
    vi.advanceTimersByTime(BLOCKED_AFTER_MS);
    expect(blocked).toEqual([true]);
    f.allow();
    await tone.unblock();
    expect(blocked).toEqual([true, false]);
    expect(f.levels[0]).toEqual([0.08, 0]);
    tone.stop();
    expect(blocked).toEqual([true, false]);
  });

  it('reuses one AudioContext across calls and does nothing without WebAudio', () => {
    const f = fakeContext(true);
    const create = vi.fn(() => f.ctx as unknown as RingtoneContext);
    const tone = new Ringtone(create, () => undefined);
    tone.start();
    tone.stop();
    tone.start();
    expect(create).toHaveBeenCalledTimes(1);
    const silent = new Ringtone(() => null, () => undefined);
    silent.start();
    expect(silent.playing).toBe(false);
  });
});

describe('DialerApp ringtone', () => {
  beforeEach(() => localStorage.clear());

  async function ringing(allowAudio: boolean) {
    const f = fakeContext(allowAudio);
    const dialer = start({ signInWithToken: () => signedIn('tok'), reject: () => ({ ok: true, result: null }) }, {
      createAudioContext: () => f.ctx as unknown as RingtoneContext,
    });
    await dialer.app.handleHostRequest('setToken', { token: 't' });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'in-1', direction: 'inbound', from: '+16505550101', to: '201' }) });
    return { ...dialer, f };
  }

  it('rings while an inbound call rings and stops when it ends', async () => {
    const { f, gateway } = await ringing(true);
    expect(f.oscillators.filter((o) => o.started && !o.stopped)).toHaveLength(2);
    gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'in-1', direction: 'inbound', from: '+16505550101', to: '201',
      state: 'disconnected', result: 'not_answered', end_reason: 'declined', seq: 2 }) });
    expect(f.oscillators.every((o) => o.stopped)).toBe(true);
  });

  it('stops ringing when the call is answered (elsewhere too)', async () => {
    const { f, gateway } = await ringing(true);
    gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'in-1', direction: 'inbound', from: '+1', to: '201',
      state: 'answered', result: 'answered', answer_time: '2026-11-24T10:00:05.000Z', seq: 2 }) });
    expect(f.oscillators.every((o) => o.stopped)).toBe(true);
  });

  it('shows "Incoming call — click to hear the ringtone" while the browser blocks it; the click resumes audio', async () => {
    const { f, root } = await ringing(false);
    const notice = root.querySelector<HTMLElement>('.ringtone-notice')!;
    expect(notice.hidden).toBe(true);
    vi.advanceTimersByTime(BLOCKED_AFTER_MS);
    expect(notice.hidden).toBe(false);
    expect(notice.getAttribute('role')).toBe('alert');
    f.allow();
    notice.querySelector('button')!.click();
    await vi.waitFor(() => expect(notice.hidden).toBe(true));
  });
});

describe('DialerApp ringback (callProgress, protocol.md part 4)', () => {
  beforeEach(() => localStorage.clear());

  async function calling(region: string | undefined) {
    const f = fakeContext(true);
    const dialer = start({ signInWithToken: () => signedIn('tok') }, {
      createAudioContext: () => f.ctx as unknown as RingtoneContext,
      defaultRegion: region,
    });
    await dialer.app.handleHostRequest('setToken', { token: 't' });
    dialer.gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'out-1' }) });
    return { ...dialer, f };
  }
  const playing = (f: ReturnType<typeof fakeContext>) => f.oscillators.filter((o) => o.started && !o.stopped).map((o) => o.frequency.value);

  it('plays the US ringback (440 + 480 Hz, 2 s on, 4 s off) after a 180 without early media, and stops at the answer', async () => {
    const { f, gateway } = await calling('US');
    expect(playing(f)).toEqual([]);
    gateway().event({ type: 'callProgress', call_id: 'out-1', early_media: false });
    expect(playing(f)).toEqual([440, 480]);
    expect(f.levels).toEqual([[0.08, 0], [0, 2]]);
    gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'out-1', state: 'answered', result: 'answered',
      answer_time: '2026-11-24T10:00:05.000Z', seq: 2 }) });
    expect(playing(f)).toEqual([]);
  });

  it('plays the UK double ring (400 + 450 Hz, 0.4 on 0.2 off 0.4 on 2 off) for DIALER_DEFAULT_REGION GB', async () => {
    const { f, gateway } = await calling('GB');
    gateway().event({ type: 'callProgress', call_id: 'out-1', early_media: false });
    expect(playing(f)).toEqual([400, 450]);
    expect(f.levels).toEqual([[0.08, 0], [0, 0.4], [0.08, expect.closeTo(0.6)], [0, expect.closeTo(1)]]);
  });

  it('plays 425 Hz 1 s on 4 s off for DE', async () => {
    const { f, gateway } = await calling('DE');
    gateway().event({ type: 'callProgress', call_id: 'out-1', early_media: false });
    expect(playing(f)).toEqual([425]);
    expect(f.levels).toEqual([[0.08, 0], [0, 1]]);
  });

  it('plays the US ringback for a region it has no cadence for', async () => {
    const { f, gateway } = await calling('BR');
    gateway().event({ type: 'callProgress', call_id: 'out-1', early_media: false });
    expect(playing(f)).toEqual([440, 480]);
  });

  it('stops the local ringback when early media starts', async () => {
    const { f, gateway } = await calling('US');
    gateway().event({ type: 'callProgress', call_id: 'out-1', early_media: false });
    gateway().event({ type: 'callProgress', call_id: 'out-1', early_media: true });
    expect(playing(f)).toEqual([]);
  });

  it('never plays a local ringback over early media', async () => {
    const { f, gateway } = await calling('US');
    gateway().event({ type: 'callProgress', call_id: 'out-1', early_media: true });
    expect(playing(f)).toEqual([]);
  });

  it('stops when the call ends unanswered, and ignores progress of a call it does not know', async () => {
    const { f, gateway } = await calling('US');
    gateway().event({ type: 'callProgress', call_id: 'nope', early_media: false });
    expect(playing(f)).toEqual([]);
    gateway().event({ type: 'callProgress', call_id: 'out-1', early_media: false });
    gateway().event({ type: 'callStateChanged', call: wireCall({ id: 'out-1', state: 'disconnected', result: 'not_answered',
      end_reason: 'busy', seq: 2 }) });
    expect(playing(f)).toEqual([]);
  });
});
