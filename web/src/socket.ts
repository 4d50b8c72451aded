import type { ClientFrame, ServerFrame } from '../../src/protocol/index.js';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

export interface SocketHandlers {
  frame(frame: ServerFrame): void;
  state(state: ConnectionState): void;
  /** The socket is open; `reconnected` is false only for the very first connection. */
  open(reconnected: boolean): void;
}

// A Record so that a frame type added on the server fails tsc until the page lets it through.
const FRAME_TYPES: Record<ServerFrame['type'], true> = {
  ack: true, safety: true, 'reply.start': true, 'reply.delta': true, 'reply.end': true, error: true, pong: true,
};
const KNOWN_TYPES = new Set<string>(Object.keys(FRAME_TYPES));

/** Only the type is checked: frames come from Mend's own server; this keeps out a type the page can't handle. */
function isServerFrame(value: unknown): value is ServerFrame {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && KNOWN_TYPES.has(type);
}

const HEARTBEAT_MS = 20_000;
const PONG_TIMEOUT_MS = 8_000;
const MAX_BACKOFF_MS = 15_000;
/** After this many failed attempts in a row, say "offline" rather than "reconnecting". */
const OFFLINE_AFTER = 4;

/**
 * The chat WebSocket, kept alive: it reconnects by itself with jittered backoff, notices a
 * dead connection after a laptop sleeps (ping/pong), and reconnects at once when the browser
 * comes back online or the tab becomes visible. A dropped connection never stops a reply:
 * the reply is a job on the server, and the page resumes it after reconnecting.
 */
export class ChatSocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private everOpened = false;
  private retryTimer: number | undefined;
  private heartbeatTimer: number | undefined;
  private pongTimer: number | undefined;
  private current: ConnectionState = 'connecting';

  constructor(private readonly url: string, private readonly handlers: SocketHandlers) {}

  get state(): ConnectionState {
    return this.current;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    window.addEventListener('online', () => this.reconnectNow());
    window.addEventListener('offline', () => {
      this.setState('offline');
      this.abandon();
      this.scheduleRetry();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        if (!this.ws) this.reconnectNow();
        else if (this.isOpen) this.ping();
      }
    });
    this.connect();
  }

  /** Sends a frame if the socket is open; false means it was not sent (the caller queues it). */
  send(frame: ClientFrame): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    try {
      this.ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  reconnectNow(): void {
    if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) return;
    this.attempts = 0;
    this.connect();
  }

  private connect(): void {
    window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    window.__mendSocket = ws;
    if (!this.everOpened) this.setState('connecting');
    ws.addEventListener('open', () => {
      if (ws !== this.ws) return;
      this.attempts = 0;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.setState('online');
      this.startHeartbeat();
      this.handlers.open(reconnected);
    });
    ws.addEventListener('message', (event) => {
      if (ws !== this.ws || typeof event.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!isServerFrame(frame)) return;
      window.clearTimeout(this.pongTimer);
      this.pongTimer = undefined;
      if (frame.type !== 'pong') this.handlers.frame(frame);
    });
    ws.addEventListener('close', () => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.stopHeartbeat();
      this.scheduleRetry();
    });
  }

  /** Forgets the current socket (it may be half-dead) without waiting for its close handshake. */
  private abandon(): void {
    const ws = this.ws;
    this.ws = null;
    this.stopHeartbeat();
    if (ws) {
      try {
        ws.close();
      } catch { /* already closed */ }
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    this.attempts += 1;
    const offline = navigator.onLine === false || this.attempts > OFFLINE_AFTER;
    this.setState(offline ? 'offline' : 'reconnecting');
    const base = Math.min(MAX_BACKOFF_MS, 400 * 2 ** (this.attempts - 1));
    const delay = this.attempts === 1 ? 150 + Math.random() * 250 : base / 2 + Math.random() * (base / 2);
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = window.setInterval(() => this.ping(), HEARTBEAT_MS);
  }

  private stopHeartbeat(): void {
    window.clearInterval(this.heartbeatTimer);
    window.clearTimeout(this.pongTimer);
    this.heartbeatTimer = undefined;
    this.pongTimer = undefined;
  }

  /** Any frame counts as proof of life; silence after a ping means the connection is gone. */
  private ping(): void {
    if (!this.send({ type: 'ping' }) || this.pongTimer !== undefined) return;
    this.pongTimer = window.setTimeout(() => {
      this.pongTimer = undefined;
      this.abandon();
      this.scheduleRetry();
    }, PONG_TIMEOUT_MS);
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.handlers.state(state);
  }
}
