import { DialerError } from './errors';
import { strings } from './strings';
import {
  errorNameForWsErrorCode,
  parseWsServerMessage,
  WS_PROTOCOL_VERSION,
  type ConnectionState,
  type WsEvent,
} from '@opendialer/protocol';

/** The subset of the DOM WebSocket the client uses (so tests can pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface GatewayClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  /** Runs on every (re)connect before host requests are let through: `hello`, then `resume`. */
  onConnected: (client: GatewayClient) => Promise<void>;
  onEvent: (event: WsEvent['event']) => void;
  onStateChange: (state: ConnectionState) => void;
  requestTimeoutMs?: number;
  openTimeoutMs?: number;
  /** How often an idle connection is checked with `hello` (protocol.md part 5); default 25 s. */
  heartbeatIntervalMs?: number;
  /** How long the heartbeat's answer may take before the socket is taken for dead; default 10 s. */
  heartbeatTimeoutMs?: number;
}

const OPEN = 1;
/** The gateway closed an anonymous connection after its sign-in window (protocol.md part 2). */
export const CLOSE_SIGN_IN_WINDOW = 4001;
/**
 * Cluster: another node holds the user's live call; the close reason names it, and the dialer reconnects
 * at once with `?node=<name>`, which HAProxy routes to that node while it is up (docs/decisions/0021).
 */
export const CLOSE_MOVED = 4009;
/**
 * Service Restart: the node drains (SIGTERM). A `placeCall` it had not answered was not placed (a
 * draining node places none), so it may be sent again on the next connection (protocol.md part 2).
 */
export const CLOSE_SERVICE_RESTART = 1012;
/** The gateway error code (and the code of a pending request failed by a 1012 close): retry elsewhere. */
export const NODE_DRAINING = 'node_draining';
const NODE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const JITTER = 0.2;

/**
 * Reconnect delay for the n-th consecutive failed attempt (0-based), as protocol.md part 5 says:
 * 0.5 s doubling up to 30 s, each within ±20 % at random, so that dialers that lost the gateway
 * together (a gateway restart) do not all come back in the same millisecond.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_DELAY_MS * 2 ** Math.min(attempt, 16), MAX_DELAY_MS);
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (err: DialerError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** The dialer's WebSocket to the gateway (docs/protocol.md part 2). */
export class GatewayClient {
  private socket: SocketLike | null = null;
  private ready = false;
  private attempt = 0;
  private seq = 0;
  private stopped = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readyWaiters: Array<() => void> = [];
  private state: ConnectionState | null = null;
  private readonly requestTimeoutMs: number;
  private readonly openTimeoutMs: number;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** Closed by the gateway for staying anonymous: no reconnect until something needs the gateway. */
  private idle = false;
  /** Cluster: the node the last CLOSE_MOVED named; every later connection asks HAProxy for it. */
  private node: string | null = null;
  /** Counts the connections that completed their handshake (`requestOnLiveNode` waits for a new one). */
  private connections = 0;

  constructor(private readonly opts: GatewayClientOptions) {
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.openTimeoutMs = opts.openTimeoutMs ?? 10_000;
  }

  get connectionState(): ConnectionState {
    return this.state ?? 'connecting';
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    this.socket?.close();
  }

  /** A request on behalf of the host or the UI: waits up to 10 s for the connection first. */
  async request(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    await this.whenReady();
    return this.send(method, params);
  }

  /**
   * A request that a draining node refused without acting on it (`node_draining`, or a 1012 close before
   * its answer) is sent once more on the next connection, which HAProxy gives to a node that takes
   * calls. Nothing reached the far end the first time (no INVITE), so the host sees only the latency.
   */
  async requestOnLiveNode(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    await this.whenReady();
    const connection = this.connections;
    try {
      return await this.send(method, params);
    } catch (e) {
      if (!(e instanceof DialerError) || e.code !== NODE_DRAINING) throw e;
      if (!(await this.connectedAfter(connection))) throw e;
      return this.send(method, params);
    }
  }

  /** Whether a connection newer than the `connection`-th becomes ready within the open timeout. */
  private async connectedAfter(connection: number): Promise<boolean> {
    const deadline = Date.now() + this.openTimeoutMs;
    while (this.connections <= connection || !this.ready) {
      if (Date.now() >= deadline) return false;
      if (this.ready) {
        // Still on the draining node: it closes this connection (1012) at once unless the user has a call there.
        await new Promise((r) => setTimeout(r, 100));
      } else {
        try {
          await this.whenReady();
        } catch {
          return false;
        }
      }
    }
    return true;
  }

  /** Sends at once on the open socket; used by `onConnected` during the handshake. */
  send(method: string, params: Record<string, unknown> = {}, timeoutMs = this.requestTimeoutMs): Promise<unknown> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.reject(new DialerError('ConnectionError', strings.errors.connection));
    }
    const id = `d${++this.seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DialerError('ConnectionError', strings.errors.timeout));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ v: WS_PROTOCOL_VERSION, type: 'request', id, method, params }));
    });
  }

  /** Resolves once connected and handshaken; rejects with ConnectionError after the open timeout. */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.idle && !this.stopped) {
      this.idle = false;
      this.connect();
    }
    return new Promise((resolve, reject) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== waiter);
        reject(new DialerError('ConnectionError', strings.errors.connection));
      }, this.openTimeoutMs);
      this.readyWaiters.push(waiter);
    });
  }

  private connect(): void {
    this.reconnectTimer = null;
    this.setState('connecting');
    const create = this.opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let socket: SocketLike;
    try {
      socket = create(this.node ? withNode(this.opts.url, this.node) : this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (ev) => this.onMessage(ev.data);
    socket.onopen = () => void this.handshake(socket);
    socket.onerror = () => {};
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      const reason = (ev as { reason?: unknown } | null)?.reason;
      if (this.ready && closeCode(ev) === CLOSE_SIGN_IN_WINDOW) this.idleAfter(socket);
      else if (closeCode(ev) === CLOSE_SERVICE_RESTART) {
        this.node = null; // that node is going away: the next connection goes wherever HAProxy sends it
        this.lost(socket, NODE_DRAINING);
      } else if (closeCode(ev) === CLOSE_MOVED && typeof reason === 'string' && NODE_NAME.test(reason)) {
        this.node = reason;
        this.attempt = 0; // not a failure: reconnect at once (after the first backoff step)
        this.lost(socket);
      } else this.lost(socket);
    };
  }

  /** The socket closed, or stopped answering: requests fail, and a new connection is tried. */
  private lost(socket: SocketLike, code?: string): void {
    this.socket = null;
    this.ready = false;
    this.stopHeartbeat();
    this.failPending(code);
    this.setState('disconnected');
    socket.close(); // a no-op when it closed by itself; a dead one is not waited for
    this.scheduleReconnect();
  }

  /**
   * The gateway closes a connection that stays signed out (a sign-in page left open) after a few
   * seconds. That is not a failure: the state stays as it was, and `whenReady` opens a new connection
   * when the user or the host next needs one.
   */
  private idleAfter(socket: SocketLike): void {
    this.socket = null;
    this.ready = false;
    this.idle = true;
    this.stopHeartbeat();
    this.failPending();
    socket.close();
  }

  /**
   * A connection whose network vanished without a close (sleep, a NAT dropping it) looks open for
   * minutes: `hello` every 25 s, and no answer within 10 s means it is dead (protocol.md part 5).
   */
  private startHeartbeat(socket: SocketLike): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      if (this.socket !== socket) return;
      this.send('hello', { protocol: WS_PROTOCOL_VERSION }, this.opts.heartbeatTimeoutMs ?? 10_000).catch((e) => {
        if (this.socket === socket && e instanceof DialerError && e.errorName === 'ConnectionError') this.lost(socket);
      });
    }, this.opts.heartbeatIntervalMs ?? 25_000);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private async handshake(socket: SocketLike): Promise<void> {
    try {
      await this.opts.onConnected(this);
    } catch {
      if (this.socket === socket) socket.close();
      return;
    }
    if (this.socket !== socket) return;
    this.attempt = 0;
    this.connections++;
    this.ready = true;
    this.startHeartbeat(socket);
    this.setState('connected');
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    waiters.forEach((w) => w());
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt++, this.opts.random);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private failPending(code?: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new DialerError('ConnectionError', strings.errors.connection, code));
      this.pending.delete(id);
    }
  }

  private onMessage(data: unknown): void {
    const msg = typeof data === 'string' ? parseWsServerMessage(data) : null;
    if (!msg) return;
    if (msg.type === 'event') {
      this.opts.onEvent(msg.event);
      return;
    }
    if (msg.id === null) return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new DialerError(errorNameForWsErrorCode(msg.error.code), msg.error.message, msg.error.code));
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.opts.onStateChange(state);
  }
}

/** `url` with the `node` query parameter set (HAProxy's routing hint). */
export function withNode(url: string, node: string): string {
  const u = new URL(url);
  u.searchParams.set('node', node);
  return u.toString();
}

function closeCode(ev: unknown): number | undefined {
  const code = (ev as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
