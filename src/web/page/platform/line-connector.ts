// Browser twin of net/client/line-connector.ts: the stratum line channel over the browser's
// WebSocket, the page's connector for the stratum client (a browser opens no TCP or TLS sockets,
// so stratum1+ws and stratum1+wss only). Lines are framed and capped by the same LineSplitter as in Node.
import { LineChannel, type LineConnectOptions } from '../../../net/wire/line-transport.js';
import { uriHost } from '../../../net/wire/uri.js';

const utf8 = new TextEncoder();

export class BrowserWebSocketChannel extends LineChannel {
  constructor(private readonly ws: WebSocket, readonly remoteAddress: string, maxLineBytes: number) {
    super(maxLineBytes);
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('message', (event) => {
      const data = event.data as string | ArrayBuffer;
      this.splitter.pushMessage(typeof data === 'string' ? utf8.encode(data) : new Uint8Array(data));
    });
    ws.addEventListener('error', () => {
      if (!this.closed) this.closeReason = 'WebSocket error';
    });
    ws.addEventListener('close', (event) => {
      if (!this.closed) this.closeReason = `closed by peer (${event.code}${event.reason ? ` ${event.reason}` : ''})`;
      this.finish();
    });
  }

  protected write(line: string, onWritten?: () => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(line);
    onWritten?.();
  }

  protected shutdown(graceMs: number): void {
    // A browser WebSocket flushes what was sent before its closing handshake; it has no hard kill.
    if (graceMs === 0 || this.ws.readyState !== WebSocket.OPEN) this.ws.close();
    else this.ws.close(1000);
    // The close event may never come from a dead peer: report the channel closed regardless.
    setTimeout(() => this.finish(), graceMs);
  }
}

/** Opens a stratum1+ws(s) connection; rejects for any other transport, on error or timeout. */
export function connectLineChannel(options: LineConnectOptions): Promise<LineChannel> {
  if (options.transport !== 'ws' && options.transport !== 'wss') {
    return Promise.reject(new Error(`a browser cannot open ${options.transport.toUpperCase()} connections: use a stratum1+ws:// or stratum1+wss:// pool`));
  }
  const url = `${options.transport}://${uriHost(options.host)}:${options.port}${options.path && options.path.length > 0 ? options.path : '/'}`;
  return new Promise((resolve, reject) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch (error) {
      reject(new Error(`cannot open ${url}: ${(error as Error).message}`));
      return;
    }
    const timer = setTimeout(() => fail(new Error(`connect to ${url} timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      ws.onopen = ws.onerror = null;
      ws.close();
      reject(error);
    };
    // Browsers hide why a WebSocket failed (refused, blocked, TLS): only that it did.
    ws.onerror = () => fail(new Error(`cannot connect to ${url}`));
    ws.onopen = () => {
      clearTimeout(timer);
      ws.onopen = ws.onerror = null;
      resolve(new BrowserWebSocketChannel(ws, `${options.host}:${options.port}`, options.maxLineBytes));
    };
  });
}
