import { DialerError } from '../errors';
import { strings } from '../strings';

interface Pending {
  resolve(): void;
  reject(e: DialerError): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The transfers this dialer started, each waiting for its outcome from the gateway (protocol.md
 * part 7): the call's `disconnected` with `end_reason: "transferred"` resolves, `transferFailed` or
 * any other end rejects with `TransferFailedError`. The gateway rings a transfer target at most 20 s,
 * so the timeout is a backstop under the SDK's 30 s request limit.
 */
export class TransferWaiter {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly timeoutMs = 25_000) {}

  wait(callId: string): Promise<void> {
    this.settle(callId, new DialerError('TransferFailedError', strings.transfer.superseded));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(callId, new DialerError('TransferFailedError', strings.transfer.timeout)), this.timeoutMs);
      this.pending.set(callId, { resolve, reject, timer });
    });
  }

  /** The gateway said the target did not take the call. */
  failed(callId: string, reason: string): void {
    this.settle(callId, new DialerError('TransferFailedError', strings.transfer.failed(reason), 'transfer_failed'));
  }

  /** The call ended: transferred (done) or otherwise (the transfer is moot). */
  ended(callId: string, endReason: string | null | undefined): void {
    this.settle(callId, endReason === 'transferred' ? null : new DialerError('TransferFailedError', strings.transfer.callEnded));
  }

  private settle(callId: string, error: DialerError | null): void {
    const p = this.pending.get(callId);
    if (!p) return;
    this.pending.delete(callId);
    clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve();
  }
}
