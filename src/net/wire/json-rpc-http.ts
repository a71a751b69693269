// JSON-RPC over HTTP, for both ends: a request body read within a size cap (the node's server,
// the miner's API) and one call as a client, with a size cap, a status check and a timeout (the
// getwork client, the node as a block source).
import http from 'node:http';
import https from 'node:https';
import { isPlainObject } from './json-rpc.js';
import { preview } from '../../util/log.js';

/**
 * Reads a request's body, at most `maxBytes` of it. A larger one, declared or sent, is refused
 * once through `refuse` (which answers it), the request is destroyed and the body is undefined.
 */
export function readRequestBody(req: http.IncomingMessage, maxBytes: number, refuse: () => void): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      refuse();
      req.destroy();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        if (!tooLarge) refuse();
        tooLarge = true;
        req.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks));
    });
  });
}

/** Where a client call goes: an HTTP(S) endpoint and its path. */
export interface HttpEndpoint {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly secure?: boolean;
}

/** An endpoint from a URL (a node's JSON-RPC, for one). */
export function endpointOf(url: string): HttpEndpoint {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'https:';
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? (secure ? 443 : 80) : Number(parsed.port),
    path: `${parsed.pathname}${parsed.search}`,
    secure,
  };
}

/** The most a reply may hold (getwork replies and block headers are far smaller). */
export const MAX_REPLY_BYTES = 1024 * 1024;

/**
 * One JSON-RPC call on a fresh connection (one POST per connection, as serominer does). Rejects
 * on a transport failure, a status other than 200, a reply over the cap or not a JSON object, or
 * no reply in time. Replies are matched to the request, not to the id they carry (stratum.md 8.1).
 */
export function postJsonRpc(endpoint: HttpEndpoint, id: number, method: string, params: unknown[], timeoutMs: number, maxReplyBytes = MAX_REPLY_BYTES): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ id, jsonrpc: '2.0', method, params });
  return new Promise((resolve, reject) => {
    const req = (endpoint.secure ? https : http).request(
      {
        host: endpoint.host,
        port: endpoint.port,
        path: endpoint.path.length > 0 ? endpoint.path : '/',
        method: 'POST',
        agent: false,
        timeout: timeoutMs,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxReplyBytes) req.destroy(new Error(`${method}: response larger than ${maxReplyBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`${method}: HTTP status ${res.statusCode ?? '?'}`));
          const text = Buffer.concat(chunks).toString('utf8');
          let reply: unknown;
          try {
            reply = JSON.parse(text);
          } catch {
            return reject(new Error(`${method}: unparseable reply ${preview(text)}`));
          }
          if (!isPlainObject(reply)) return reject(new Error(`${method}: reply is not a JSON object: ${preview(text)}`));
          resolve(reply);
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method}: no reply within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
