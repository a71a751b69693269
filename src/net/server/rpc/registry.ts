// The node JSON-RPC's methods and how a request body is answered, whatever carried it: the
// registry the devnet extends (as in go-sero, a call to `eth_x` is served by `sero_x`; stratum.md
// 0), single calls and batches within geth's limits, and the token that methods changing state
// require. The transports (http-transport.ts, websocket-transport.ts) hand it the bodies.
import { type JsonRpcId, RpcCodes, RpcError, type RpcErrorObject, isPlainObject, requestId } from '../../wire/json-rpc.js';
import type { LogFolder } from '../../../util/log-fold.js';
import { type Logger, preview } from '../../../util/log.js';

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

/** The subscription methods of one WebSocket connection (HTTP has none). */
export interface RpcSubscriber {
  /** `sero_subscribe` / `eth_subscribe`: the new subscription's id. */
  subscribe(namespace: 'eth' | 'sero', params: unknown): string;
  unsubscribe(subscription: string): boolean;
}

/** geth's defaults: 1,000 calls per batch, 25 MB per batch response. */
export const DEFAULT_MAX_BATCH = 1000;
export const DEFAULT_MAX_RESPONSE_BYTES = 25_000_000;

/** Code of a refused state change (geth answers unauthenticated engine calls with HTTP 401). */
export const UNAUTHORIZED_CODE = -32001;
/** geth's code and text for a batch response over the size limit. */
const RESPONSE_TOO_LARGE: RpcErrorObject = { code: -32003, message: 'response too large' };

/** Checks the positional parameter count the way go-sero reports it. */
export function positionalParams(params: unknown, min: number, max = min): unknown[] {
  if (params === undefined || params === null) params = [];
  if (!Array.isArray(params)) throw new RpcError(RpcCodes.invalidParams, 'non-array args');
  if (params.length > max) throw new RpcError(RpcCodes.invalidParams, `too many arguments, want at most ${max}`);
  if (params.length < min) throw new RpcError(RpcCodes.invalidParams, `missing value for required argument ${params.length}`);
  return params;
}

export interface RpcRegistrySettings {
  readonly logger: Logger;
  /** Refusals, per remote address: the first of a kind a minute is written, the rest counted. */
  readonly folder: LogFolder;
  readonly maxBatch: number;
  readonly maxResponseBytes: number;
  /** Whether a token is configured; without one, state changes are refused to everyone. */
  readonly hasToken: boolean;
  /** Appended to the refusal of an unauthenticated state change: where the token is found. */
  readonly tokenHint?: string;
}

interface MethodEntry {
  readonly handler: RpcMethodHandler;
  readonly changesState: boolean;
}

export class RpcRegistry {
  private readonly methods = new Map<string, MethodEntry>();

  constructor(private readonly settings: RpcRegistrySettings) {}

  /** Adds a method; registering a name twice is an error (it would hide the first one). */
  register(method: string, handler: RpcMethodHandler, options: RpcMethodOptions = {}): void {
    if (this.methods.has(method)) throw new Error(`JSON-RPC method ${method} is already registered`);
    this.methods.set(method, { handler, changesState: options.changesState === true });
  }

  /** Whether `method` would be served (directly or through the eth_ → sero_ alias). */
  has(method: string): boolean {
    return this.resolve(method) !== undefined;
  }

  /** Whether `method` is registered as changing state (and so needs the token). */
  changesState(method: string): boolean {
    return this.resolve(method)?.changesState === true;
  }

  /** Answers one request body (single or batch); undefined when there is nothing to answer. */
  async handle(body: string, context: RpcCallContext, subscriber?: RpcSubscriber): Promise<string | undefined> {
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      this.settings.logger('debug', `JSON-RPC parse error from ${context.remoteAddress}: ${preview(body)}`);
      return JSON.stringify(errorReply(null, { code: RpcCodes.parseError, message: 'parse error' }));
    }
    if (Array.isArray(message)) return this.handleBatch(message, context, subscriber);
    const reply = await this.handleOne(message, context, subscriber);
    if (reply === undefined) return undefined;
    const text = JSON.stringify(reply);
    return text.length > this.settings.maxResponseBytes ? JSON.stringify(errorReply(requestId(message), RESPONSE_TOO_LARGE)) : text;
  }

  /** One call after another; past the size limit the remaining calls are answered -32003, not run (geth). */
  private async handleBatch(batch: unknown[], context: RpcCallContext, subscriber: RpcSubscriber | undefined): Promise<string | undefined> {
    const { maxBatch, maxResponseBytes } = this.settings;
    if (batch.length === 0) return JSON.stringify(errorReply(null, { code: RpcCodes.invalidRequest, message: 'empty batch' }));
    if (batch.length > maxBatch) {
      this.settings.folder.log(context.remoteAddress, 'batch refused', 'info', `refused a batch of ${batch.length} calls from ${context.remoteAddress} (limit ${maxBatch})`);
      const firstCall = batch.find((entry) => isPlainObject(entry) && 'id' in entry);
      return JSON.stringify([errorReply(firstCall === undefined ? null : requestId(firstCall), { code: RpcCodes.invalidRequest, message: 'batch too large' })]);
    }
    const parts: string[] = [];
    let bytes = 0;
    for (const entry of batch) {
      if (bytes > maxResponseBytes) {
        if (isPlainObject(entry) && 'id' in entry) parts.push(JSON.stringify(errorReply(requestId(entry), RESPONSE_TOO_LARGE)));
        continue;
      }
      const reply = await this.handleOne(entry, context, subscriber);
      if (reply === undefined) continue;
      const text = JSON.stringify(reply);
      bytes += text.length;
      parts.push(text);
    }
    return parts.length > 0 ? `[${parts.join(',')}]` : undefined;
  }

  private resolve(method: string): MethodEntry | undefined {
    return this.methods.get(method) ?? (method.startsWith('eth_') ? this.methods.get(`sero_${method.slice(4)}`) : undefined);
  }

  private async handleOne(message: unknown, context: RpcCallContext, subscriber: RpcSubscriber | undefined): Promise<object | undefined> {
    if (!isPlainObject(message)) return errorReply(null, { code: RpcCodes.invalidRequest, message: 'invalid request' });
    const hasId = 'id' in message;
    const rawId = message.id;
    const id = requestId(message);
    if ((hasId && rawId !== null && id === null) || typeof message.method !== 'string' || message.method === '') {
      return errorReply(id, { code: RpcCodes.invalidRequest, message: 'invalid request' });
    }
    if (message.params !== undefined && message.params !== null && typeof message.params !== 'object') {
      return errorReply(id, { code: RpcCodes.invalidRequest, message: 'invalid request: params must be an array or object' });
    }
    const method = message.method;
    let result: unknown;
    try {
      result = await this.invoke(method, message.params, context, subscriber);
    } catch (err) {
      if (!hasId) return undefined;
      if (err instanceof RpcError) return errorReply(id, err.toObject());
      this.settings.logger('debug', `${method} failed: ${(err as Error).message}`);
      return errorReply(id, { code: RpcCodes.serverError, message: (err as Error).message ?? String(err) });
    }
    return hasId ? { jsonrpc: '2.0', id, result: result === undefined ? null : result } : undefined;
  }

  private async invoke(method: string, params: unknown, context: RpcCallContext, subscriber: RpcSubscriber | undefined): Promise<unknown> {
    const namespace = method.startsWith('eth_') ? 'eth' : 'sero';
    switch (method) {
      case 'sero_subscribe':
      case 'eth_subscribe':
        if (subscriber === undefined) throw new RpcError(RpcCodes.methodNotFound, 'notifications not supported');
        return subscriber.subscribe(namespace, params);
      case 'sero_unsubscribe':
      case 'eth_unsubscribe': {
        if (subscriber === undefined) throw new RpcError(RpcCodes.methodNotFound, 'notifications not supported');
        const [subscription] = positionalParams(params, 1);
        return typeof subscription === 'string' && subscriber.unsubscribe(subscription);
      }
    }
    const entry = this.resolve(method);
    if (entry === undefined) throw new RpcError(RpcCodes.methodNotFound, `the method ${method} does not exist/is not available`);
    if (entry.changesState && !context.authenticated) {
      const hint = this.settings.hasToken ? `send "Authorization: Bearer <token>"${this.settings.tokenHint ? ` (${this.settings.tokenHint})` : ''}` : 'no RPC token is configured';
      throw new RpcError(UNAUTHORIZED_CODE, `unauthorized: ${method} changes state and needs the RPC token; ${hint}`);
    }
    return entry.handler(params, context);
  }
}

function errorReply(id: JsonRpcId, error: RpcErrorObject): object {
  return { jsonrpc: '2.0', id, error };
}
