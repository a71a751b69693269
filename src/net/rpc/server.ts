// Node-style JSON-RPC 2.0 over HTTP POST and WebSocket on one port, with a method registry
// the devnet extends and a subscription feed (`sero_subscribe`/`eth_subscribe` "newHeads").
// As in go-sero, a method called as `eth_x` is served by `sero_x` (stratum.md 0).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { type JsonRpcId, RpcCodes, RpcError, type RpcErrorObject, isPlainObject } from '../jsonrpc.js';
import { bytesTo0x } from '../../util/hex.js';
import { rawDataToBuffer } from '../line-transport.js';
import { type Logger, preview, stderrLogger } from '../../util/log.js';

export interface RpcCallContext {
  readonly transport: 'http' | 'ws';
  /** HTTP request path (the pool's getwork proxy carries `/<login>/<worker>` here). */
  readonly path: string;
  readonly remoteAddress: string;
}

/**
 * A method implementation. `params` is the request's params (array, object or undefined).
 * Throw RpcError for a specific error; any other exception becomes -32000 with its message,
 * like a go-sero callback error.
 */
export type RpcMethodHandler = (params: unknown, context: RpcCallContext) => unknown;

export interface JsonRpcServerOptions {
  readonly logger?: Logger;
  /** Largest accepted HTTP body or WebSocket message (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Subscription kinds clients may ask for (default ["newHeads"]). */
  readonly subscriptionKinds?: readonly string[];
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

/** Checks the positional parameter count the way go-sero reports it. */
export function positionalParams(params: unknown, min: number, max = min): unknown[] {
  if (params === undefined || params === null) params = [];
  if (!Array.isArray(params)) throw new RpcError(RpcCodes.invalidParams, 'non-array args');
  if (params.length > max) throw new RpcError(RpcCodes.invalidParams, `too many arguments, want at most ${max}`);
  if (params.length < min) throw new RpcError(RpcCodes.invalidParams, `missing value for required argument ${params.length}`);
  return params;
}

export class JsonRpcServer {
  private readonly methods = new Map<string, RpcMethodHandler>();
  private readonly peers = new Set<WsPeer>();
  private readonly logger: Logger;
  private readonly maxBodyBytes: number;
  private readonly subscriptionKinds: ReadonlySet<string>;
  private httpServer: http.Server | undefined;
  private wss: WebSocketServer | undefined;

  constructor(options: JsonRpcServerOptions = {}) {
    this.logger = options.logger ?? stderrLogger;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.subscriptionKinds = new Set(options.subscriptionKinds ?? ['newHeads']);
  }

  /** Adds a method; registering a name twice is an error (it would hide the first one). */
  register(method: string, handler: RpcMethodHandler): this {
    if (this.methods.has(method)) throw new Error(`JSON-RPC method ${method} is already registered`);
    this.methods.set(method, handler);
    return this;
  }

  /** Whether `method` would be served (directly or through the eth_ → sero_ alias). */
  has(method: string): boolean {
    return this.resolve(method) !== undefined;
  }

  /** Sends `payload` to every WebSocket subscription of `kind` (for example each new head). */
  publish(kind: string, payload: unknown): void {
    for (const peer of this.peers) {
      for (const [subscription, entry] of peer.subscriptions) {
        if (entry.kind !== kind || peer.socket.readyState !== WebSocket.OPEN) continue;
        peer.socket.send(JSON.stringify({ jsonrpc: '2.0', method: entry.method, params: { subscription, result: payload } }));
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
    if (Array.isArray(message)) {
      if (message.length === 0) return JSON.stringify(errorReply(null, { code: RpcCodes.invalidRequest, message: 'empty batch' }));
      const replies = await Promise.all(message.map((entry) => this.handleOne(entry, context, peer)));
      const answered = replies.filter((reply) => reply !== undefined);
      return answered.length > 0 ? JSON.stringify(answered) : undefined;
    }
    const reply = await this.handleOne(message, context, peer);
    return reply === undefined ? undefined : JSON.stringify(reply);
  }

  async listen(options: { host?: string; port?: number } = {}): Promise<RpcEndpoint> {
    if (this.httpServer !== undefined) throw new Error('JSON-RPC server is already listening');
    const server = http.createServer((req, res) => this.onHttpRequest(req, res));
    const wss = new WebSocketServer({ noServer: true, maxPayload: this.maxBodyBytes });
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => this.onWebSocket(ws, req));
    });
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
    for (const peer of this.peers) peer.socket.terminate();
    this.wss?.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private resolve(method: string): RpcMethodHandler | undefined {
    return this.methods.get(method) ?? (method.startsWith('eth_') ? this.methods.get(`sero_${method.slice(4)}`) : undefined);
  }

  private async handleOne(message: unknown, context: RpcCallContext, peer: WsPeer | undefined): Promise<object | undefined> {
    if (!isPlainObject(message)) return errorReply(null, { code: RpcCodes.invalidRequest, message: 'invalid request' });
    const hasId = 'id' in message;
    const rawId = message.id;
    const id: JsonRpcId = typeof rawId === 'number' || typeof rawId === 'string' ? rawId : null;
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
    const handler = this.resolve(method);
    if (handler === undefined) throw new RpcError(RpcCodes.methodNotFound, `the method ${method} does not exist/is not available`);
    return handler(params, context);
  }

  private subscribe(namespace: string, params: unknown, peer: WsPeer | undefined): string {
    if (peer === undefined) throw new RpcError(RpcCodes.methodNotFound, 'notifications not supported');
    const [kind] = positionalParams(params, 1, 2);
    if (typeof kind !== 'string' || !this.subscriptionKinds.has(kind)) {
      throw new RpcError(RpcCodes.invalidParams, `unsupported subscription ${JSON.stringify(kind)} (available: ${[...this.subscriptionKinds].join(', ')})`);
    }
    const id = bytesTo0x(randomBytes(16));
    peer.subscriptions.set(id, { kind, method: `${namespace}_subscription` });
    return id;
  }

  private onHttpRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const context: RpcCallContext = { transport: 'http', path: req.url ?? '/', remoteAddress: req.socket.remoteAddress ?? '?' };
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        if (!tooLarge) res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end('request too large\n');
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
            res.writeHead(204).end();
            return;
          }
          // Status line, headers and body leave in one write: serominer reads a single chunk.
          const body = `${reply}\n`;
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
        },
        (err: unknown) => {
          this.logger('error', `JSON-RPC handler crashed: ${(err as Error).message}`);
          res.writeHead(500).end();
        },
      );
    });
  }

  private onWebSocket(socket: WebSocket, req: http.IncomingMessage): void {
    const peer: WsPeer = { socket, subscriptions: new Map() };
    const context: RpcCallContext = { transport: 'ws', path: req.url ?? '/', remoteAddress: req.socket.remoteAddress ?? '?' };
    this.peers.add(peer);
    socket.on('close', () => this.peers.delete(peer));
    socket.on('error', (err) => this.logger('debug', `JSON-RPC WebSocket ${context.remoteAddress}: ${err.message}`));
    socket.on('message', (data) => {
      this.dispatch(rawDataToBuffer(data).toString('utf8'), context, peer).then(
        (reply) => {
          if (reply !== undefined && socket.readyState === WebSocket.OPEN) socket.send(reply);
        },
        (err: unknown) => this.logger('error', `JSON-RPC handler crashed: ${(err as Error).message}`),
      );
    });
  }
}

function errorReply(id: JsonRpcId, error: RpcErrorObject): object {
  return { jsonrpc: '2.0', id, error };
}
