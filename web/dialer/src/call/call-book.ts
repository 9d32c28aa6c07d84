import type { WireCall } from '@opendialer/protocol';

/** A call as the dialer knows it: the latest state, and when the timer of an answered call starts. */
export interface TrackedCall {
  call: WireCall;
  /** Local clock (ms) of the answer, for the running timer; `null` until answered. */
  answeredAt: number | null;
}

/** How many calls are remembered for de-duplication; the oldest are forgotten first. */
const MAX_CALLS = 50;

/**
 * The user's calls, fed by `callStateChanged` events (protocol.md, parts 3 and 5). A state is
 * applied only when its `seq` is newer than the last applied for that call, so repeats (the gateway
 * replays live calls after every sign-in or resume) and late stragglers change nothing. This is the
 * one place that decides: the dialer shows and forwards to the host only what `apply` accepted.
 */
export class CallBook {
  private readonly calls = new Map<string, TrackedCall>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Applies `call`; returns false when its `seq` is not newer than the last applied one. */
  apply(call: WireCall): boolean {
    const known = this.calls.get(call.id);
    if (known && call.seq <= known.call.seq) return false;
    let answeredAt = known ? known.answeredAt : null;
    if (answeredAt === null && call.answer_time !== null) {
      // Seen live: start the timer now, so a skewed server clock does not show. Seen already
      // answered (after a reload): count from the server's answer time, never from the future.
      answeredAt = known ? this.now() : Math.min(this.now(), Date.parse(call.answer_time));
    }
    this.calls.delete(call.id);
    this.calls.set(call.id, { call, answeredAt });
    if (this.calls.size > MAX_CALLS) this.calls.delete(this.calls.keys().next().value as string);
    return true;
  }

  /**
   * The call to show: a ringing inbound call first (it needs an answer), then the latest live
   * call, then the latest ended one; `null` when there has been no call.
   */
  current(): TrackedCall | null {
    let live: TrackedCall | null = null;
    let ended: TrackedCall | null = null;
    for (const tracked of this.calls.values()) {
      const { state, direction } = tracked.call;
      if (state === 'connecting' && direction === 'inbound') return tracked;
      if (state === 'disconnected') ended = tracked;
      else live = tracked;
    }
    return live ?? ended;
  }

  /** The calls shown that have not ended, with the last `seq` of each, for `resume` (at most 50). */
  live(): Array<{ call_id: string; seq: number }> {
    const live = [...this.calls.values()].filter((t) => t.call.state !== 'disconnected');
    return live.slice(-MAX_CALLS).map(({ call }) => ({ call_id: call.id, seq: call.seq }));
  }

  get(id: string): TrackedCall | null {
    return this.calls.get(id) ?? null;
  }

  /** The id of the latest inbound call that is still ringing, which `answer` without an id acts on. */
  /** Makes `id` the call shown (call waiting: the call swapped to). */
  focus(id: string): void {
    const tracked = this.calls.get(id);
    if (!tracked) return;
    this.calls.delete(id);
    this.calls.set(id, tracked);
  }

  /** The user's other answered call than `current` (call waiting: the one on hold), or null. */
  other(current: TrackedCall | null): TrackedCall | null {
    let found: TrackedCall | null = null;
    for (const tracked of this.calls.values()) {
      if (tracked !== current && tracked.call.state === 'answered') found = tracked;
    }
    return found;
  }

  /** Whether a call is answered (then a ringing inbound call is a waiting call). */
  hasAnswered(): boolean {
    for (const { call } of this.calls.values()) if (call.state === 'answered') return true;
    return false;
  }

  ringingInboundId(): string | null {
    let id: string | null = null;
    for (const { call } of this.calls.values()) {
      if (call.state === 'connecting' && call.direction === 'inbound') id = call.id;
    }
    return id;
  }

  clear(): void {
    this.calls.clear();
  }
}
