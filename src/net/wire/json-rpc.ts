// The JSON-RPC kit every end uses (the stratum and node servers, the miner's API, the pool and
// node clients): ids, error objects and codes, the error a handler throws, the text of an error
// reply. Its HTTP side, a capped request body and a client call, is json-rpc-http.ts.
import { escapeText } from '../../util/escape.js';

export type JsonRpcId = number | string | null;

/** A reply as every end writes it; which members come first is the end's own (its peers' habit). */
export interface JsonRpcResponse {
  readonly id: JsonRpcId;
  readonly jsonrpc: '2.0';
  readonly result?: unknown;
  readonly error?: RpcErrorObject;
}

export interface RpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** Standard JSON-RPC 2.0 codes plus go-sero's callback error. */
export const RpcCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  serverError: -32000,
} as const;

/** Thrown by method handlers to answer with a specific error object. */
export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'RpcError';
  }

  toObject(): RpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids we echo: numbers and strings as given, anything else as null. */
export function normalizeId(value: unknown): JsonRpcId {
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

/** The id of a request to echo in its reply (null when the message is no object). */
export function requestId(message: unknown): JsonRpcId {
  return normalizeId(isPlainObject(message) ? message.id : undefined);
}

/** The id to echo for a request line that may not even be JSON. */
export function requestIdOfText(text: string): JsonRpcId {
  try {
    return requestId(JSON.parse(text));
  } catch {
    return null;
  }
}

/** Log text for the three error shapes pools use (string, array, object), escaped: it comes from the network. */
export function errorText(error: unknown): string {
  return escapeText(rawErrorText(error));
}

function rawErrorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (Array.isArray(error)) return error.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  if (isPlainObject(error)) {
    const code = typeof error.code === 'number' || typeof error.code === 'string' ? `${error.code} ` : '';
    const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
    return `${code}${message}`.trim();
  }
  return JSON.stringify(error) ?? String(error);
}
