// Newline-delimited JSON framing, shared by the stratum client and server whatever carries the
// lines (TCP, TLS, WebSocket; Node's sockets in socket-channels.ts, the browser's WebSocket in the
// page). A channel delivers complete, trimmed, non-empty lines and enforces a byte cap per line:
// an oversized line is reported and skipped up to its newline, so the owner can decide between
// "ban and close" (pool) and "log and carry on" (miner).
import { EventEmitter } from 'node:events';
import { concatBytes } from '../../util/bytes.js';
import { unrefTimer } from '../../util/timers.js';

/** The official pool reads lines through a 1024-byte buffer (stratum.md 1). */
export const POOL_MAX_LINE_BYTES = 1024;
/** serominer gives up on a line after 32 KiB without a newline. */
export const MINER_MAX_LINE_BYTES = 32 * 1024;

const NEWLINE = 0x0a;
const utf8 = new TextDecoder();

/**
 * Splits a byte stream into lines. `maxLineBytes` counts the line with its newline, so
 * with 1024 a 1023-byte message plus `\n` passes and anything longer is oversized.
 */
export class LineSplitter {
  private parts: Uint8Array[] = [];
  private pendingBytes = 0;
  private discarding = false;
  /** Input held back while paused: the rest of the chunk being split, then later chunks. */
  private held: Uint8Array[] = [];
  private paused = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (bytesSeen: number) => void,
  ) {}

  /** Stops delivering lines, even in the middle of a chunk; what is left waits for resume(). */
  pause(): void {
    this.paused = true;
  }

  /** Delivers what was held back, until it is paused again. */
  resume(): void {
    this.paused = false;
    while (!this.paused && this.held.length > 0) this.push(this.held.shift()!);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  push(chunk: Uint8Array): void {
    if (this.paused) {
      this.held.push(chunk);
      return;
    }
    let start = 0;
    while (start < chunk.length) {
      if (this.paused) {
        this.held.unshift(chunk.subarray(start));
        return;
      }
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.discarding) {
        if (newline === -1) return;
        this.discarding = false;
        start = newline + 1;
        continue;
      }
      const lineBytes = this.pendingBytes + (end - start) + (newline === -1 ? 0 : 1);
      const overflow = newline === -1 ? lineBytes >= this.maxLineBytes : lineBytes > this.maxLineBytes;
      if (overflow) {
        this.parts = [];
        this.pendingBytes = 0;
        this.discarding = newline === -1;
        this.onOversize(lineBytes);
        if (newline === -1) return;
        start = newline + 1;
        continue;
      }
      if (newline === -1) {
        this.parts.push(chunk.subarray(start));
        this.pendingBytes += chunk.length - start;
        return;
      }
      const piece = chunk.subarray(start, end);
      const bytes = this.parts.length === 0 ? piece : concatBytes(...this.parts, piece);
      this.parts = [];
      this.pendingBytes = 0;
      start = newline + 1;
      const line = utf8.decode(bytes).trim();
      if (line.length > 0) this.onLine(line);
    }
  }

  /** A WebSocket message is a complete line even without a trailing newline. */
  pushMessage(message: Uint8Array): void {
    this.push(message);
    this.push(Uint8Array.of(NEWLINE));
  }
}

export interface LineChannelEvents {
  line: [line: string];
  oversize: [bytesSeen: number];
  close: [reason: string];
}

/**
 * Server-side write backpressure: a channel whose unsent replies pass `pauseAboveBytes` stops
 * reading (even mid-chunk) until they drain to half; one that stays behind for `slowReaderMs`,
 * or whose unsent bytes reach `dropAboveBytes`, is dropped.
 */
export interface FlowControl {
  readonly pauseAboveBytes: number;
  readonly slowReaderMs: number;
  readonly dropAboveBytes: number;
}

/** How long a closing peer gets to read our last reply before the socket is destroyed. */
const CLOSE_GRACE_MS = 1000;
/** How often a paused channel looks at its unsent bytes. */
const FLOW_POLL_MS = 25;

export abstract class LineChannel extends EventEmitter<LineChannelEvents> {
  abstract readonly remoteAddress: string;
  private closing = false;
  private finished = false;
  protected closeReason = 'connection closed';
  protected readonly splitter: LineSplitter;
  private flow: FlowControl | undefined;
  /** Why reading is paused: our unsent replies ('backlog') and/or the owner's own reasons. */
  private readonly holds = new Set<string>();
  private backlogSince: number | undefined;
  private flowTimer: NodeJS.Timeout | undefined;

  constructor(maxLineBytes: number) {
    super();
    this.splitter = new LineSplitter(maxLineBytes, (line) => this.deliver(line), (bytes) => this.reportOversize(bytes));
  }

  /** True once close() was called or the peer went away; no more lines are delivered. */
  get closed(): boolean {
    return this.closing || this.finished;
  }

  /** The peer's address alone (no port), for per-address policy. */
  get remoteHost(): string {
    return hostOfAddress(this.remoteAddress);
  }

  /** Bytes sent but not yet handed to the network (0 where the transport does not say). */
  get unsentBytes(): number {
    return 0;
  }

  /** Turns on write backpressure (servers; a miner reads its pool whatever it sends). */
  setFlowControl(flow: FlowControl): void {
    this.flow = flow;
  }

  /** Stops reading for `reason` until resumeReading(reason); lines already split wait too. */
  pauseReading(reason: string): void {
    if (this.closed || this.holds.has(reason)) return;
    this.holds.add(reason);
    if (this.holds.size === 1) {
      this.splitter.pause();
      this.pauseSource();
    }
  }

  resumeReading(reason: string): void {
    if (!this.holds.delete(reason) || this.holds.size > 0 || this.closed) return;
    this.resumeSource();
    this.splitter.resume();
  }

  /** Sends one line (the newline is added); `onWritten` runs once the data left our buffer. */
  send(line: string, onWritten?: () => void): boolean {
    if (this.closed) return false;
    this.write(line, onWritten);
    if (this.flow !== undefined && this.unsentBytes >= this.flow.dropAboveBytes) {
      this.destroy(`peer does not read: ${this.unsentBytes} bytes unsent`);
      return false;
    }
    return true;
  }

  /** Flushes what was sent, then closes; forcibly after a short grace period. */
  close(reason = 'closed locally'): void {
    if (this.closed) return;
    this.closing = true;
    this.closeReason = reason;
    this.shutdown(CLOSE_GRACE_MS);
  }

  /** Drops the connection at once, without flushing. */
  destroy(reason = 'destroyed locally'): void {
    if (!this.closed) this.closeReason = reason;
    this.closing = true;
    this.shutdown(0);
  }

  protected deliver(line: string): void {
    if (this.closed) return;
    this.emit('line', line);
    if (this.flow !== undefined && this.backlogSince === undefined && this.unsentBytes > this.flow.pauseAboveBytes) this.startBacklog();
  }

  protected reportOversize(bytes: number): void {
    if (!this.closed) this.emit('oversize', bytes);
  }

  protected finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.flowTimer);
    this.emit('close', this.closeReason);
  }

  /** Unsent replies passed the mark: stop reading, and watch them drain or the deadline pass. */
  private startBacklog(): void {
    const flow = this.flow!;
    this.backlogSince = Date.now();
    this.pauseReading('backlog');
    this.flowTimer = setInterval(() => {
      if (this.closed) return clearInterval(this.flowTimer);
      if (this.unsentBytes <= flow.pauseAboveBytes / 2) {
        clearInterval(this.flowTimer);
        this.backlogSince = undefined;
        this.resumeReading('backlog');
      } else if (Date.now() - this.backlogSince! > flow.slowReaderMs) {
        this.destroy(`peer does not read its replies: ${this.unsentBytes} bytes unsent for ${flow.slowReaderMs} ms`);
      }
    }, FLOW_POLL_MS);
    unrefTimer(this.flowTimer);
  }

  protected abstract write(line: string, onWritten?: () => void): void;
  protected abstract shutdown(graceMs: number): void;

  /** Stops reading from the transport (a no-op where it cannot be paused). */
  protected pauseSource(): void {}

  protected resumeSource(): void {}
}

/** `1.2.3.4:5678` or `[::1]:5678` → the address part. */
function hostOfAddress(address: string): string {
  if (address.startsWith('[')) return address.slice(1, address.indexOf(']'));
  const colon = address.lastIndexOf(':');
  return colon === -1 ? address : address.slice(0, colon);
}

export type LineTransport = 'tcp' | 'tls' | 'ws' | 'wss';

export interface TlsClientOptions {
  /** Extra trust anchors (PEM); the system bundle is used when absent. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** false accepts any certificate (serominer's SSL_NOVERIFY). */
  readonly rejectUnauthorized?: boolean;
  /** Pin the protocol to TLS 1.2 (serominer's `+tls12` and `+ssl`). */
  readonly tls12Only?: boolean;
}

export interface LineConnectOptions {
  readonly transport: LineTransport;
  readonly host: string;
  readonly port: number;
  /** WebSocket request path. */
  readonly path?: string;
  readonly tls?: TlsClientOptions;
  readonly timeoutMs: number;
  readonly maxLineBytes: number;
}

/** Opens a client channel; rejects on connect error, TLS failure or timeout. */
export type LineConnector = (options: LineConnectOptions) => Promise<LineChannel>;
