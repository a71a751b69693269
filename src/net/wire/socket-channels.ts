// Node's sockets as line channels: a TCP or TLS socket, or a `ws` WebSocket, framed by
// line-transport.ts. The server's listeners and the miner's connector both make them.
import type net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import { LineChannel } from './line-transport.js';
import { unrefTimer } from '../../util/timers.js';

export class SocketLineChannel extends LineChannel {
  readonly remoteAddress: string;

  constructor(private readonly socket: net.Socket, maxLineBytes: number) {
    super(maxLineBytes);
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (chunk: Buffer) => this.splitter.push(chunk));
    socket.on('error', (err) => {
      if (!this.closed) this.closeReason = err.message;
    });
    socket.on('end', () => {
      if (!this.closed) this.closeReason = 'closed by peer';
    });
    socket.on('close', () => this.finish());
  }

  override get unsentBytes(): number {
    return this.socket.writableLength;
  }

  /** The TLS version the handshake settled on ('TLSv1.2', 'TLSv1.3'); undefined over plain TCP. */
  get tlsProtocol(): string | undefined {
    return this.socket instanceof tls.TLSSocket ? (this.socket.getProtocol() ?? undefined) : undefined;
  }

  protected write(line: string, onWritten?: () => void): void {
    this.socket.write(`${line}\n`, () => onWritten?.());
  }

  protected override pauseSource(): void {
    this.socket.pause();
  }

  protected override resumeSource(): void {
    this.socket.resume();
  }

  protected shutdown(graceMs: number): void {
    if (graceMs === 0) {
      this.socket.destroy();
      return;
    }
    this.socket.end();
    unrefTimer(setTimeout(() => this.socket.destroy(), graceMs));
  }
}

export class WebSocketLineChannel extends LineChannel {
  constructor(private readonly ws: WebSocket, readonly remoteAddress: string, maxLineBytes: number) {
    super(maxLineBytes);
    ws.on('message', (data: WebSocket.RawData) => this.splitter.pushMessage(rawDataToBuffer(data)));
    ws.on('error', (err) => {
      if (!this.closed) this.closeReason = err.message;
    });
    ws.on('close', (code, reason) => {
      if (!this.closed) this.closeReason = `closed by peer (${code}${reason.length ? ` ${reason.toString()}` : ''})`;
      this.finish();
    });
  }

  override get unsentBytes(): number {
    return this.ws.bufferedAmount;
  }

  protected write(line: string, onWritten?: () => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(line, () => onWritten?.());
  }

  protected override pauseSource(): void {
    this.ws.pause();
  }

  protected override resumeSource(): void {
    this.ws.resume();
  }

  protected shutdown(graceMs: number): void {
    if (graceMs === 0 || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.terminate();
      return;
    }
    this.ws.close(1000);
    unrefTimer(setTimeout(() => this.ws.terminate(), graceMs));
  }
}

export function rawDataToBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
