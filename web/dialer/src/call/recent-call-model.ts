import type { LoggedCall } from '@opendialer/protocol';
import { shownText } from '../display-text';
import { formatAsTyped } from '../number-format';
import { strings } from '../strings';
import { formatDuration } from './call-panel-model';

/** What one line of the recent calls list shows: plain data, no DOM. */
export interface RecentCallModel {
  id: string;
  kind: 'outgoing' | 'incoming' | 'missed';
  /** "Outgoing", "Incoming", "Missed". */
  direction: string;
  /** The other party's name, else their number, else "Unknown". */
  party: string;
  /** The number to call back, as the gateway takes it; `null` when the caller hid it. */
  callBack: string | null;
  /** "14:05" today, "Nov 3" before. */
  time: string;
  /** "Answered, 2:15", "Busy", "No answer"… */
  outcome: string;
}

const OUTBOUND_FAILURES = ['busy', 'declined', 'no_answer', 'canceled', 'unreachable'] as const;

export function recentCallModel(call: LoggedCall, now: Date, region?: string): RecentCallModel {
  const inbound = call.direction === 'inbound';
  const number = inbound ? call.from : call.to;
  // For an outbound call, caller_display_name is this user's own name.
  const name = inbound ? call.caller.caller_display_name : null;
  // Declined on purpose is not missed.
  const missed = inbound && call.state === 'disconnected' && call.result !== 'answered' && call.end_reason !== 'declined';
  const kind = missed ? 'missed' : inbound ? 'incoming' : 'outgoing';
  return {
    id: call.id,
    kind,
    direction: strings[kind],
    party: shownText(name || (number ? formatAsTyped(number, region) : strings.unknownParty)).text,
    callBack: number || null,
    time: timeOf(call.start_time, now),
    outcome: outcomeOf(call),
  };
}

function outcomeOf(call: LoggedCall): string {
  const { outcomes } = strings;
  if (call.state !== 'disconnected') return outcomes.inProgress;
  const reason = call.end_reason;
  if (call.result === 'answered') {
    if (reason === 'answered_elsewhere') return outcomes.answered_elsewhere;
    const talked = call.answer_time && call.end_time ? Date.parse(call.end_time) - Date.parse(call.answer_time) : 0;
    return outcomes.answered(formatDuration(talked));
  }
  if (call.direction === 'inbound') return reason === 'declined' ? outcomes.declinedByYou : outcomes.missed;
  const known = OUTBOUND_FAILURES.find((r) => r === reason);
  return known ? outcomes[known] : outcomes.failed;
}

function timeOf(iso: string, now: Date): string {
  const at = new Date(iso);
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay
    ? at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
