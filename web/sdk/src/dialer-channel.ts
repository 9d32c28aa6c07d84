import {
  createRequestMessage,
  isEventMessage,
  isReadyMessage,
  isResponseMessage,
  type MethodName,
  type MethodParams,
  type MethodResult,
} from '@opendialer/protocol';
import { DialerDisposedError, DialerTimeoutError, Net2PhoneDialerError, rebuildError } from './errors';

/** How long a request waits for its response (protocol.md, part 1, "Time limits"). */
export const REQUEST_TIMEOUT_MS = 30_000;

interface PendingRequest {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

interface QueuedRequest {
  send(): void;
  reject(error: Error): void;
}

export interface DialerChannelOptions {
  /** The window that holds the iframe: messages from the dialer arrive there. */
  window: Window;
  iframe: HTMLIFrameElement;
  /** The only origin messages are accepted from and posted to. */
  origin: string;
  readyTimeoutMs: number;
  /** Runs on every `ready` before queued requests are sent (e.g. to hand over a token). */
  onReady(): Promise<void> | void;
  onEvent(event: { type: string }): void;
}

/**
 * The request/response channel to the dialer iframe. Requests made before the dialer's `ready`
 * wait in a queue; every request has an id, a timeout, and is matched to its response by id.
 */
export class DialerChannel {
  private readonly pending = new Map<string, PendingRequest>();
  private queue: QueuedRequest[] = [];
  private isOpen = false;
  private failure: string | null = null;
  private disposed = false;
  private nextId = 0;
  private readonly idPrefix = Math.random().toString(36).slice(2, 10);
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listener = (event: MessageEvent) => this.receive(event);

  constructor(private readonly options: DialerChannelOptions) {
    options.window.addEventListener('message', this.listener);
    this.readyTimer = setTimeout(() => {
      this.failure =
        `The dialer did not become ready within ${options.readyTimeoutMs} ms: check that ${options.origin} ` +
        'is reachable and allows this page\'s origin.';
      this.rejectQueue(new DialerTimeoutError(this.failure));
    }, options.readyTimeoutMs);
  }

  /** Sends once the dialer is ready (queued until then). */
  request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    if (this.disposed) return Promise.reject(disposedError());
    if (this.isOpen) return this.send(method, params);
    if (this.failure !== null) return Promise.reject(new DialerTimeoutError(this.failure));
    return new Promise((resolve, reject) => {
      this.queue.push({ send: () => this.send(method, params).then(resolve, reject), reject });
    });
  }

  /** Sends now; only for `onReady`, which runs after `ready` but before the queue is flushed. */
  send<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    if (this.disposed) return Promise.reject(disposedError());
    const id = `${this.idPrefix}-${++this.nextId}`;
    return new Promise((resolve, reject) => {
      const target = this.options.iframe.contentWindow;
      if (!target) {
        reject(new Net2PhoneDialerError('The dialer iframe is no longer attached to the page.'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DialerTimeoutError(`The dialer did not answer ${method} within ${REQUEST_TIMEOUT_MS / 1000} s.`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject, timer });
      target.postMessage(createRequestMessage(id, method, params), this.options.origin);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.readyTimer);
    this.options.window.removeEventListener('message', this.listener);
    this.rejectQueue(disposedError());
    this.pending.forEach((request) => {
      clearTimeout(request.timer);
      request.reject(disposedError());
    });
    this.pending.clear();
  }

  private receive(event: MessageEvent): void {
    const source = this.options.iframe.contentWindow;
    // Anything not from our iframe at the expected origin may be a forgery or another library's.
    if (this.disposed || event.origin !== this.options.origin || !source || event.source !== source) return;
    const data: unknown = event.data;
    if (isResponseMessage(data)) {
      const request = this.pending.get(data.id);
      if (!request) return;
      this.pending.delete(data.id);
      clearTimeout(request.timer);
      if (data.ok) request.resolve(data.result);
      else request.reject(rebuildError(data.error));
    } else if (isEventMessage(data)) {
      this.options.onEvent(data.event);
    } else if (isReadyMessage(data)) {
      this.becomeReady();
    }
  }

  private becomeReady(): void {
    clearTimeout(this.readyTimer);
    this.failure = null;
    Promise.resolve()
      .then(() => this.options.onReady())
      .catch(() => undefined)
      .then(() => {
        if (this.disposed) return;
        this.isOpen = true;
        const queued = this.queue;
        this.queue = [];
        queued.forEach((request) => request.send());
      });
  }

  private rejectQueue(error: Error): void {
    const queued = this.queue;
    this.queue = [];
    queued.forEach((request) => request.reject(error));
  }
}

function disposedError(): DialerDisposedError {
  return new DialerDisposedError('The dialer was disposed: create a new Net2PhoneDialer to use it again.');
}
