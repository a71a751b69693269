// Node-style JSON-RPC 2.0 over HTTP POST and WebSocket on one port, with a method registry
// the devnet extends and a subscription feed (`sero_subscribe`/`eth_subscribe` "newHeads").
// As in go-sero, a method called as `eth_x` is served by `sero_x` (stratum.md 0). geth's limits
// are the model: batches and responses are bounded, a WebSocket that does not read is paused
// and then dropped, Host and Origin are checked, and methods flagged as changing state answer
// only a caller with the token.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { type JsonRpcId, RpcCodes, RpcError, type RpcErrorObject, isPlainObject } from '../../wire/json-rpc.js';
import { bytesTo0x } from '../../../util/hex.js';
import { rawDataToBuffer } from '../../wire/socket-channels.js';
import { RequestGuard, type RequestGuardOptions, bearerToken, isJsonContentType, sameSecret } from '../http-guard.js';
import { connectionCap } from '../descriptor-limit.js';
import { LogFolder } from '../../../util/log-fold.js';
import { type Logger, preview, stderrLogger } from '../../../util/log.js';

export interface RpcCallContext {
  readonly transport: 'http' | 'ws';
  /** HTTP request path (the pool's getwork proxy carries `/<login>/<worker>` here). */
  readonly path: string;
  readonly remoteAddress: string;
  /** The request carried the server's token (`Authorization: Bearer <token>`). */
  readonly authenticated: boolean;
}

/**
 * A method implementation. `params` is the request's params (array, object or undefined).
 * Throw RpcError for a specific error; any other exception becomes -32000 with its message,
 * like a go-sero callback error.
 */
export type RpcMethodHandler = (params: unknown, context: RpcCallContext) => unknown;

export interface RpcMethodOptions {
  /** The method changes state (a transaction, a setting): it answers only callers with the token. */
  readonly changesState?: boolean;
}

/** geth's defaults: 1,000 calls per batch, 25 MB per batch response. */
export const DEFAULT_MAX_BATCH = 1000;
export const DEFAULT_MAX_RESPONSE_BYTES = 25_000_000;

export interface JsonRpcServerOptions {
  readonly logger?: Logger;
  /** Largest accepted HTTP body or WebSocket message (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Subscription kinds clients may ask for (default ["newHeads"]). */
  readonly subscriptionKinds?: readonly string[];
  /** Calls in one batch; a larger batch is refused whole (default 1,000). */
  readonly maxBatch?: number;
  /** Bytes of one response; calls of a batch past it answer -32003 (default 25 MB). */
  readonly maxResponseBytes?: number;
  /** Subscriptions one WebSocket may hold (default 128). */
  readonly maxSubscriptionsPerSocket?: number;
  /** Unsent bytes of one WebSocket above which it is no longer read (default 1 MiB). */
  readonly wsMaxBufferedBytes?: number;
  /** A WebSocket still that far behind after this long is dropped (default 10 s). */
  readonly wsSlowReaderMs?: number;
  /** Connections held at once (default: a share of the open-file limit, at most 256). */
  readonly maxConnections?: number;
  /** Host and Origin allow-lists (default: the name localhost and IP addresses; same-origin only). */
  readonly guard?: RequestGuard | RequestGuardOptions;
  /** Token that methods changing state require; without one they are refused to everyone. */
  readonly token?: string;
  /** Appended to the refusal of an unauthenticated state change: where the token is found. */
  readonly tokenHint?: string;
}

export interface RpcEndpoint {
  readonly host: string;
  readonly port: number;
}

interface Subscription {
  readonly kind: string;
  /** `eth_subscription` or `sero_subscription`, matching the namespace used to subscribe. */
  readonly method: string;
}

interface WsPeer {
  readonly socket: WebSocket;
  readonly subscriptions: Map<string, Subscription>;
}

interface MethodEntry {
  readonly handler: RpcMethodHandler;
  readonly changesState: boolean;
}

/** Code of a refused state change (geth answers unauthenticated engine calls with HTTP 401). */
export const UNAUTHORIZED_CODE = -32001;
/** geth's code and text for a batch response over the size limit. */
const RESPONSE_TOO_LARGE: RpcErrorObject = { code: -32003, message: 'response too large' };
/** Messages of one WebSocket queued for handling before it is paused. */
const WS_QUEUE_PAUSE = 8;
const WS_POLL_MS = 20;

/** Checks the positional parameter count the way go-sero reports it. */
export function positionalParams(params: unknown, min: number, max = min): unknown[] {
  if (params === undefined || params === null) params = [];
  if (!Array.isArray(params)) throw new RpcError(RpcCodes.invalidParams, 'non-array args');
  if (params.length > max) throw new RpcError(RpcCodes.invalidParams, `too many arguments, want at most ${max}`);
  if (params.length < min) throw new RpcError(RpcCodes.invalidParams, `missing value for required argument ${params.length}`);
  return params;
}

export class JsonRpcServer {
  private readonly methods = new Map<string, MethodEntry>();
  private readonly peers = new Set<WsPeer>();
  private readonly logger: Logger;
  /** Refusals, per remote address: the first of a kind a minute is written, the rest counted. */
  private readonly folder: LogFolder;
  private readonly maxBodyBytes: number;
  private readonly maxBatch: number;
  private readonly maxResponseBytes: number;
  private readonly maxSubscriptions: number;
  private readonly wsMaxBuffered: number;
  private readonly wsSlowReaderMs: number;
  private readonly subscriptionKinds: ReadonlySet<string>;
  /** Host and Origin checks; `allowOrigin` extends them at run time. */
  readonly guard: RequestGuard;
  private httpServer: http.Server | undefined;
  private wss: WebSocketServer | undefined;

  constructor(private readonly options: JsonRpcServerOptions = {}) {
    this.logger = options.logger ?? stderrLogger;
    this.folder = new LogFolder(this.logger);
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.maxSubscriptions = options.maxSubscriptionsPerSocket ?? 128;
    this.wsMaxBuffered = options.wsMaxBufferedBytes ?? 1024 * 1024;
    this.wsSlowReaderMs = options.wsSlowReaderMs ?? 10_000;
    this.subscriptionKinds = new Set(options.subscriptionKinds ?? ['newHeads']);
    this.guard = options.guard instanceof RequestGuard ? options.guard : new RequestGuard(options.guard);
  }

  /** Adds a method; registering a name twice is an error (it would hide the first one). */
  register(method: string, handler: RpcMethodHandler, options: RpcMethodOptions = {}): this {
    if (this.methods.has(method)) throw new Error(`JSON-RPC method ${method} is already registered`);
    this.methods.set(method, { handler, changesState: options.changesState === true });
    return this;
  }

  /** Whether `method` would be served (directly or through the eth_ → sero_ alias). */
  has(method: string): boolean {
    return this.resolve(method) !== undefined;
  }

  /** Whether `method` is registered as changing state (and so needs the token). */
  changesState(method: string): boolean {
    return this.resolve(method)?.changesState === true;
  }

  /** Sends `payload` to every WebSocket subscription of `kind` (for example each new head). */
  publish(kind: string, payload: unknown): void {
    for (const peer of this.peers) {
      if (peer.socket.readyState !== WebSocket.OPEN) continue;
      let message: string | undefined;
      for (const [subscription, entry] of peer.subscriptions) {
        if (entry.kind !== kind) continue;
        // A subscriber that reads nothing would otherwise collect every notification in memory.
        if (peer.socket.bufferedAmount > 4 * this.wsMaxBuffered) {
          this.logger('info', `dropping a WebSocket subscriber that does not read its notifications`);
          peer.socket.terminate();
          break;
        }
        message = JSON.stringify({ jsonrpc: '2.0', method: entry.method, params: { subscription, result: payload } });
        peer.socket.send(message);
      }
    }
  }

  /**
   * Handles one request body (single or batch) without a network round trip, as an HTTP
   * request would be; returns the reply text, or undefined when there is nothing to answer.
   */
  handle(body: string, context: RpcCallContext): Promise<string | undefined> {
    return this.dispatch(body, context, undefined);
  }

  private async dispatch(body: string, context: RpcCallContext, peer: WsPeer | undefined): Promise<string | undefined> {
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      this.logger('debug', `JSON-RPC parse error from ${context.remoteAddress}: ${preview(body)}`);
      return JSON.stringify(errorReply(null, { code: RpcCodes.parseError, message: 'parse error' }));
    }
    if (Array.isArray(message)) return this.dispatchBatch(message, context, peer);
    const reply = await this.handleOne(message, context, peer);
    if (reply === undefined) return undefined;
    const text = JSON.stringify(reply);
    return text.length > this.maxResponseBytes ? JSON.stringify(errorReply(idOf(message), RESPONSE_TOO_LARGE)) : text;
  }

  /** One call after another; past the size limit the remaining calls are answered -32003, not run (geth). */
  private async dispatchBatch(batch: unknown[], context: RpcCallContext, peer: WsPeer | undefined): Promise<string | undefined> {
    if (batch.length === 0) return JSON.stringify(errorReply(null, { code: RpcCodes.invalidRequest, message: 'empty batch' }));
    if (batch.length > this.maxBatch) {
      this.folder.log(context.remoteAddress, 'batch refused', 'info', `refused a batch of ${batch.length} calls from ${context.remoteAddress} (limit ${this.maxBatch})`);
      const firstCall = batch.find((entry) => isPlainObject(entry) && 'id' in entry);
      return JSON.stringify([errorReply(firstCall === undefined ? null : idOf(firstCall), { code: RpcCodes.invalidRequest, message: 'batch too large' })]);
    }
    const parts: string[] = [];
    let bytes = 0;
    for (const entry of batch) {
      if (bytes > this.maxResponseBytes) {
        if (isPlainObject(entry) && 'id' in entry) parts.push(JSON.stringify(errorReply(idOf(entry), RESPONSE_TOO_LARGE)));
        continue;
      }
      const reply = await this.handleOne(entry, context, peer);
      if (reply === undefined) continue;
      const text = JSON.stringify(reply);
      bytes += text.length;
      parts.push(text);
    }
    return parts.length > 0 ? `[${parts.join(',')}]` : undefined;
  }

  async listen(options: { host?: string; port?: number } = {}): Promise<RpcEndpoint> {
    if (this.httpServer !== undefined) throw new Error('JSON-RPC server is already listening');
    const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 }, (req, res) => this.onHttpRequest(req, res));
    server.maxConnections = this.options.maxConnections ?? connectionCap(0.15, 256);
    const wss = new WebSocketServer({ noServer: true, maxPayload: this.maxBodyBytes });
    server.on('upgrade', (req, socket, head) => this.onUpgrade(wss, req, socket, head));
    this.httpServer = server;
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as net.AddressInfo;
    this.logger('info', `JSON-RPC (HTTP and WebSocket) listening on ${address.address}:${address.port}`);
    return { host: address.address, port: address.port };
  }

  async close(): Promise<void> {
    const server = this.httpServer;
    if (server === undefined) return;
    this.httpServer = undefined;
    this.folder.close();
    for (const peer of this.peers) peer.socket.terminate();
    this.wss?.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private resolve(method: string): MethodEntry | undefined {
    return this.methods.get(method) ?? (method.startsWith('eth_') ? this.methods.get(`sero_${method.slice(4)}`) : undefined);
  }

  private async handleOne(message: unknown, context: RpcCallContext, peer: WsPeer | undefined): Promise<object | undefined> {
    if (!isPlainObject(message)) return errorReply(null, { code: RpcCodes.invalidRequest, message: 'invalid request' });
    const hasId = 'id' in message;
    const rawId = message.id;
    const id = idOf(message);
    if ((hasId && rawId !== null && id === null) || typeof message.method !== 'string' || message.method === '') {
      return errorReply(id, { code: RpcCodes.invalidRequest, message: 'invalid request' });
    }
    if (message.params !== undefined && message.params !== null && typeof message.params !== 'object') {
      return errorReply(id, { code: RpcCodes.invalidRequest, message: 'invalid request: params must be an array or object' });
    }
    const method = message.method;
    let result: unknown;
    try {
      result = await this.invoke(method, message.params, context, peer);
    } catch (err) {
      if (!hasId) return undefined;
      if (err instanceof RpcError) return errorReply(id, err.toObject());
      this.logger('debug', `${method} failed: ${(err as Error).message}`);
      return errorReply(id, { code: RpcCodes.serverError, message: (err as Error).message ?? String(err) });
    }
    return hasId ? { jsonrpc: '2.0', id, result: result === undefined ? null : result } : undefined;
  }

  private async invoke(method: string, params: unknown, context: RpcCallContext, peer: WsPeer | undefined): Promise<unknown> {
    const namespace = method.startsWith('eth_') ? 'eth' : 'sero';
    switch (method) {
      case 'sero_subscribe':
      case 'eth_subscribe':
        return this.subscribe(namespace, params, peer);
      case 'sero_unsubscribe':
      case 'eth_unsubscribe': {
        if (peer === undefined) throw new RpcError(RpcCodes.methodNotFound, 'notifications not supported');
        const [subscription] = positionalParams(params, 1);
        return typeof subscription === 'string' && peer.subscriptions.delete(subscription);
      }
    }
    const entry = this.resolve(method);
    if (entry === undefined) throw new RpcError(RpcCodes.methodNotFound, `the method ${method} does not exist/is not available`);
    if (entry.changesState && !context.authenticated) {
      const hint = this.options.token === undefined ? 'no RPC token is configured' : `send "Authorization: Bearer <token>"${this.options.tokenHint ? ` (${this.options.tokenHint})` : ''}`;
      throw new RpcError(UNAUTHORIZED_CODE, `unauthorized: ${method} changes state and needs the RPC token; ${hint}`);
    }
    return entry.handler(params, context);
  }

  private subscribe(namespace: string, params: unknown, peer: WsPeer | undefined): string {
    if (peer === undefined) throw new RpcError(RpcCodes.methodNotFound, 'notifications not supported');
    const [kind] = positionalParams(params, 1, 2);
    if (typeof kind !== 'string' || !this.subscriptionKinds.has(kind)) {
      throw new RpcError(RpcCodes.invalidParams, `unsupported subscription ${JSON.stringify(kind)} (available: ${[...this.subscriptionKinds].join(', ')})`);
    }
    if (peer.subscriptions.size >= this.maxSubscriptions) {
      throw new RpcError(RpcCodes.serverError, `too many subscriptions on this connection (limit ${this.maxSubscriptions})`);
    }
    const id = bytesTo0x(randomBytes(16));
    peer.subscriptions.set(id, { kind, method: `${namespace}_subscription` });
    return id;
  }

  /** Whether the request carries the token; a wrong token is refused outright rather than served anonymously. */
  private authentication(req: http.IncomingMessage): 'yes' | 'no' | 'wrong' {
    const given = bearerToken(req);
    if (given === undefined) return 'no';
    return this.options.token !== undefined && sameSecret(given, this.options.token) ? 'yes' : 'wrong';
  }

  private onHttpRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const verdict = this.guard.check(req);
    if (!verdict.ok) {
      this.folder.log(req.socket.remoteAddress ?? '?', 'request refused', 'info', `refused HTTP ${req.method ?? '?'} from ${req.socket.remoteAddress ?? '?'}: ${verdict.reason}`);
      res.writeHead(verdict.status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`${verdict.reason}\n`);
      return;
    }
    const cors = this.guard.corsHeaders(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, Allow: 'POST, OPTIONS' }).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { ...cors, Allow: 'POST', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    // A browser sends text/plain and form types cross-site without asking first; JSON needs a preflight.
    if (!isJsonContentType(req.headers['content-type'])) {
      res.writeHead(415, { ...cors, 'Content-Type': 'text/plain', Connection: 'close' }).end('invalid content type, only application/json is supported\n');
      return;
    }
    const auth = this.authentication(req);
    if (auth === 'wrong') {
      res.writeHead(401, { ...cors, 'Content-Type': 'text/plain', Connection: 'close' }).end('invalid token\n');
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
      res.writeHead(413, { ...cors, 'Content-Type': 'text/plain', Connection: 'close' }).end('request too large\n');
      req.destroy();
      return;
    }
    const context: RpcCallContext = { transport: 'http', path: req.url ?? '/', remoteAddress: req.socket.remoteAddress ?? '?', authenticated: auth === 'yes' };
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        if (!tooLarge) res.writeHead(413, { ...cors, 'Content-Type': 'text/plain', Connection: 'close' }).end('request too large\n');
        tooLarge = true;
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      this.handle(Buffer.concat(chunks).toString('utf8'), context).then(
        (reply) => {
          if (reply === undefined) {
            res.writeHead(204, cors).end();
            return;
          }
          // Status line, headers and body leave in one write: serominer reads a single chunk.
          const body = `${reply}\n`;
          res.writeHead(200, { ...cors, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
        },
        (err: unknown) => {
          this.logger('error', `JSON-RPC handler crashed: ${(err as Error).message}`);
          res.writeHead(500).end();
        },
      );
    });
  }

  private onUpgrade(wss: WebSocketServer, req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const verdict = this.guard.check(req);
    const auth = this.authentication(req);
    if (!verdict.ok || auth === 'wrong') {
      const [status, reason] = verdict.ok ? [401, 'invalid token'] : [verdict.status, verdict.reason];
      this.folder.log(req.socket.remoteAddress ?? '?', 'WebSocket refused', 'info', `refused WebSocket from ${req.socket.remoteAddress ?? '?'}: ${reason}`);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => this.onWebSocket(ws, req, auth === 'yes'));
  }

  /**
   * Messages are handled one at a time. While replies pile up unread, or messages queue up,
   * the socket is not read; one that stays behind for wsSlowReaderMs is dropped.
   */
  private onWebSocket(socket: WebSocket, req: http.IncomingMessage, authenticated: boolean): void {
    const peer: WsPeer = { socket, subscriptions: new Map() };
    const context: RpcCallContext = { transport: 'ws', path: req.url ?? '/', remoteAddress: req.socket.remoteAddress ?? '?', authenticated };
    const queue: string[] = [];
    let queuedBytes = 0;
    let working = false;
    let pausedAt: number | undefined;
    let poll: NodeJS.Timeout | undefined;
    this.peers.add(peer);
    const backlogged = (): boolean => socket.bufferedAmount > this.wsMaxBuffered;
    const checkFlow = (): void => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (queue.length >= WS_QUEUE_PAUSE || backlogged()) {
        if (pausedAt === undefined) {
          pausedAt = Date.now();
          socket.pause();
          poll = setInterval(checkFlow, WS_POLL_MS);
        } else if (backlogged() && Date.now() - pausedAt > this.wsSlowReaderMs) {
          this.logger('info', `dropping WebSocket ${context.remoteAddress}: ${socket.bufferedAmount} bytes unread for ${this.wsSlowReaderMs} ms`);
          socket.terminate();
        }
        if (!backlogged()) void work();
      } else if (pausedAt !== undefined && socket.bufferedAmount <= this.wsMaxBuffered / 2) {
        pausedAt = undefined;
        clearInterval(poll);
        socket.resume();
        void work();
      }
    };
    /** Handles queued messages while the peer keeps up with the replies. */
    const work = async (): Promise<void> => {
      if (working) return;
      working = true;
      while (queue.length > 0 && !backlogged() && socket.readyState === WebSocket.OPEN) {
        const body = queue.shift()!;
        queuedBytes -= body.length;
        try {
          const reply = await this.dispatch(body, context, peer);
          if (reply !== undefined && socket.readyState === WebSocket.OPEN) socket.send(reply);
        } catch (err) {
          this.logger('error', `JSON-RPC handler crashed: ${(err as Error).message}`);
        }
      }
      working = false;
      checkFlow();
    };
    socket.on('close', () => {
      clearInterval(poll);
      queue.length = 0;
      this.peers.delete(peer);
    });
    socket.on('error', (err) => this.logger('debug', `JSON-RPC WebSocket ${context.remoteAddress}: ${err.message}`));
    socket.on('message', (data) => {
      // A paused socket still delivers what it had read (a chunk or so); far more is abuse.
      const body = rawDataToBuffer(data).toString('utf8');
      queuedBytes += body.length;
      if (queuedBytes > 2 * this.maxBodyBytes) {
        this.logger('info', `dropping WebSocket ${context.remoteAddress}: more than ${2 * this.maxBodyBytes} bytes of requests queued`);
        socket.terminate();
        return;
      }
      queue.push(body);
      checkFlow();
      void work();
    });
  }
}

function idOf(message: unknown): JsonRpcId {
  const raw = isPlainObject(message) ? message.id : undefined;
  return typeof raw === 'number' || typeof raw === 'string' ? raw : null;
}

function errorReply(id: JsonRpcId, error: RpcErrorObject): object {
  return { jsonrpc: '2.0', id, error };
}
