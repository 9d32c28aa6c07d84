import { isEndReason } from '@opendialer/protocol';
import { shownText } from '../display-text';
import { formatAsTyped } from '../number-format';
import { strings } from '../strings';
import type { TrackedCall } from './call-book';

export type CallAction = 'answer' | 'reject' | 'hangUp';

/** What the call panel shows for a call: plain data, no DOM, so it can be tested directly. */
export interface CallPanelModel {
  callId: string;
  kind: 'incoming' | 'outgoing' | 'active' | 'ended';
  /** The other party's display name, when the call carries one: bidi controls removed, at most 64 characters. */
  name: string | null;
  /** The whole name (up to 1024 characters) when `name` was cut, for a tooltip; else null. */
  nameTitle: string | null;
  /** The other party's number (E.164 numbers formatted: "+1 650 555 0100") or extension, or "Unknown" when hidden. */
  number: string;
  /** "Incoming call", "Transfer not answered — call back", "Calling…", "In call", "Call ended — busy". */
  status: string;
  /** "m:ss" since the answer, for an answered call; `null` otherwise. */
  timer: string | null;
  /** The buttons, in order. */
  actions: CallAction[];
}

/** "0:07", "12:34", "1:02:03". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function callPanelModel({ call, answeredAt }: TrackedCall, now: number): CallPanelModel {
  const inbound = call.direction === 'inbound';
  const other = inbound ? call.from : call.to;
  // For an outbound call, caller_display_name is this user's own name: show only the caller's.
  const name = inbound ? call.caller.caller_display_name : null;
  const shown = name ? shownText(name) : null;
  const base = {
    callId: call.id,
    name: shown?.text || null,
    nameTitle: shown?.text ? shown.title : null,
    number: other ? shownText(formatAsTyped(other, undefined)).text : strings.unknownParty,
  };
  switch (call.state) {
    case 'connecting':
      return inbound
        ? { ...base, kind: 'incoming', status: call.recall ? strings.transferRecall : strings.incomingCall, timer: null, actions: ['answer', 'reject'] }
        : { ...base, kind: 'outgoing', status: strings.calling, timer: null, actions: ['hangUp'] };
    case 'answered':
      return {
        ...base,
        kind: 'active',
        status: strings.inCall,
        timer: formatDuration(now - (answeredAt ?? now)),
        actions: ['hangUp'],
      };
    default: {
      const reason = call.end_reason;
      const words = reason !== null && isEndReason(reason) ? strings.endReasons[reason] : null;
      return { ...base, kind: 'ended', status: strings.callEnded(words), timer: null, actions: [] };
    }
  }
}
