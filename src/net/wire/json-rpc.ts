// JSON-RPC pieces shared by the stratum and node servers and clients.
import { escapeText } from '../../util/escape.js';

export type JsonRpcId = number | string | null;

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
