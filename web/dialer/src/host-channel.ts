import { toWireError } from './errors';
import {
  createEventMessage,
  createReadyMessage,
  isRequestMessage,
  PROTOCOL_NAMESPACE,
  PROTOCOL_VERSION,
  type DialerEvent,
  type RequestMessage,
} from '@opendialer/protocol';

export type RequestHandler = (method: string, params: Record<string, unknown>) => Promise<unknown>;

/** Counters for tests and diagnostics: how many messages were accepted and ignored. */
export interface ChannelStats {
  accepted: number;
  ignored: number;
}

/**
 * The dialer's end of the postMessage channel with the SDK (docs/protocol.md part 1). Accepts a
 * message only from `parentOrigin` and from `window.parent`, and only when it is a valid request
 * envelope; everything else is ignored silently.
 */
export class HostChannel {
  readonly stats: ChannelStats = { accepted: 0, ignored: 0 };
  private readySent = false;
  private readonly listener = (e: MessageEvent) => this.onMessage(e);

  constructor(
    private readonly self: Window,
    private readonly parent: Window,
    private readonly parentOrigin: string,
    private readonly handle: RequestHandler,
    private readonly onStats: (stats: ChannelStats) => void = () => {},
  ) {
    self.addEventListener('message', this.listener);
  }

  sendReady(): void {
    if (this.readySent) return;
    this.readySent = true;
    this.post(createReadyMessage());
  }

  sendEvent(event: DialerEvent): void {
    this.post(createEventMessage(event));
  }

  close(): void {
    this.self.removeEventListener('message', this.listener);
  }

  private onMessage(e: MessageEvent): void {
    if (e.origin !== this.parentOrigin || e.source !== this.parent || !isRequestMessage(e.data)) {
      this.stats.ignored++;
      this.onStats(this.stats);
      return;
    }
    this.stats.accepted++;
    this.onStats(this.stats);
    void this.answer(e.data);
  }

  private async answer(req: RequestMessage): Promise<void> {
    try {
      const result = await this.handle(req.method, req.params as Record<string, unknown>);
      this.post({ ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, kind: 'response', id: req.id, ok: true, result: result ?? null });
    } catch (err) {
      this.post({ ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, kind: 'response', id: req.id, ok: false, error: toWireError(err) });
    }
  }

  private post(message: object): void {
    this.parent.postMessage(message, this.parentOrigin);
  }
}
