import { isEndReason, type WireCall } from '@opendialer/protocol';
import type { Call, CallDirection, CallResult, CallState } from './call';

function toDate(iso: string | null): Date | null {
  return iso === null ? null : new Date(iso);
}

/** The wire's call (ISO strings) as the SDK's `Call` (Date objects). */
export function toCall(wire: WireCall): Call {
  const call: Call = {
    id: wire.id,
    state: wire.state as CallState,
    direction: wire.direction as CallDirection,
    result: wire.result as CallResult | null,
    from: wire.from,
    to: wire.to,
    caller: { caller_display_name: wire.caller.caller_display_name },
    start_time: new Date(wire.start_time),
    answer_time: toDate(wire.answer_time),
    end_time: toDate(wire.end_time),
    // A reason a newer gateway added arrives as "failed", so `end_reason` stays a closed union.
    end_reason: wire.end_reason === null ? null : isEndReason(wire.end_reason) ? wire.end_reason : 'failed',
  };
  if (wire.recall === true) call.recall = true; // additive: absent on every other call
  return call;
}
