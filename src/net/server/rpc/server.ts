// Node-style JSON-RPC 2.0 over HTTP POST and WebSocket on one port: the method registry the
// devnet extends (registry.ts), served over HTTP (http-transport.ts) and WebSocket with a
// subscription feed (websocket-transport.ts). geth's limits are the model: batches and responses
// are bounded, a WebSocket that does not read is paused and then dropped, Host and Origin are
// checked, and methods flagged as changing state answer only a caller with the token.
import http from 'node:http';
import type net from 'node:net';
import { RequestGuard, type RequestGuardOptions, bearerToken, sameSecret } from '../http-guard.js';
import { connectionCap } from '../descriptor-limit.js';
import { LogFolder } from '../../../util/log-fold.js';
import { type Logger, stderrLogger } from '../../../util/log.js';
import { type Authentication, serveHttpRequest } from './http-transport.js';
import { DEFAULT_MAX_BATCH, DEFAULT_MAX_RESPONSE_BYTES, RpcRegistry, type RpcCallContext, type RpcMethodHandler, type RpcMethodOptions } from './registry.js';
import { RpcWebSockets } from './websocket-transport.js';

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

export class JsonRpcServer {
  private readonly logger: Logger;
  /** Refusals, per remote address: the first of a kind a minute is written, the rest counted. */
  private readonly folder: LogFolder;
  private readonly registry: RpcRegistry;
  private readonly maxBodyBytes: number;
  /** Host and Origin checks; `allowOrigin` extends them at run time. */
  readonly guard: RequestGuard;
  private httpServer: http.Server | undefined;
  private webSockets: RpcWebSockets | undefined;

  constructor(private readonly options: JsonRpcServerOptions = {}) {
    this.logger = options.logger ?? stderrLogger;
    this.folder = new LogFolder(this.logger);
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.registry = new RpcRegistry({
      logger: this.logger,
      folder: this.folder,
      maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      hasToken: options.token !== undefined,
      tokenHint: options.tokenHint,
    });
    this.guard = options.guard instanceof RequestGuard ? options.guard : new RequestGuard(options.guard);
  }

  /** Adds a method; registering a name twice is an error (it would hide the first one). */
  register(method: string, handler: RpcMethodHandler, options: RpcMethodOptions = {}): this {
    this.registry.register(method, handler, options);
    return this;
  }

  /** Whether `method` would be served (directly or through the eth_ → sero_ alias). */
  has(method: string): boolean {
    return this.registry.has(method);
  }

  /** Whether `method` is registered as changing state (and so needs the token). */
  changesState(method: string): boolean {
    return this.registry.changesState(method);
  }

  /** Sends `payload` to every WebSocket subscription of `kind` (for example each new head). */
  publish(kind: string, payload: unknown): void {
    this.webSockets?.publish(kind, payload);
  }

  /**
   * Handles one request body (single or batch) without a network round trip, as an HTTP
   * request would be; returns the reply text, or undefined when there is nothing to answer.
   */
  handle(body: string, context: RpcCallContext): Promise<string | undefined> {
    return this.registry.handle(body, context);
  }

  async listen(options: { host?: string; port?: number } = {}): Promise<RpcEndpoint> {
    if (this.httpServer !== undefined) throw new Error('JSON-RPC server is already listening');
    const authentication = (req: http.IncomingMessage) => this.authentication(req);
    const handle = (body: string, context: RpcCallContext) => this.registry.handle(body, context);
    const common = { guard: this.guard, folder: this.folder, logger: this.logger, maxBodyBytes: this.maxBodyBytes, authentication };
    const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 }, (req, res) => serveHttpRequest(req, res, { ...common, handle }));
    server.maxConnections = this.options.maxConnections ?? connectionCap(0.15, 256);
    const webSockets = new RpcWebSockets({
      ...common,
      subscriptionKinds: new Set(this.options.subscriptionKinds ?? ['newHeads']),
      maxSubscriptions: this.options.maxSubscriptionsPerSocket ?? 128,
      maxBufferedBytes: this.options.wsMaxBufferedBytes ?? 1024 * 1024,
      slowReaderMs: this.options.wsSlowReaderMs ?? 10_000,
      handle: (body, context, subscriber) => this.registry.handle(body, context, subscriber),
    });
    server.on('upgrade', (req, socket, head) => webSockets.upgrade(req, socket, head));
    this.httpServer = server;
    this.webSockets = webSockets;
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
    this.webSockets?.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Whether the request carries the token; a wrong token is refused outright rather than served anonymously. */
  private authentication(req: http.IncomingMessage): Authentication {
    const given = bearerToken(req);
    if (given === undefined) return 'no';
    return this.options.token !== undefined && sameSecret(given, this.options.token) ? 'yes' : 'wrong';
  }
}
