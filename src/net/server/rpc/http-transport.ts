// The node JSON-RPC over HTTP POST: the Host and Origin guard, CORS and its preflight, JSON
// bodies only (a browser sends text/plain cross-site without asking), the token, a capped body,
// and the reply in a single write with its Content-Length (serominer reads one chunk).
import type http from 'node:http';
import { isJsonContentType, type RequestGuard } from '../http-guard.js';
import { readRequestBody } from '../../wire/json-rpc-http.js';
import type { LogFolder } from '../../../util/log-fold.js';
import type { Logger } from '../../../util/log.js';
import type { RpcCallContext } from './registry.js';

/** Whether a request carries the token: 'wrong' is refused outright rather than served anonymously. */
export type Authentication = 'yes' | 'no' | 'wrong';

export interface RpcHttpSettings {
  readonly guard: RequestGuard;
  readonly folder: LogFolder;
  readonly logger: Logger;
  /** Largest accepted body. */
  readonly maxBodyBytes: number;
  readonly authentication: (req: http.IncomingMessage) => Authentication;
  readonly handle: (body: string, context: RpcCallContext) => Promise<string | undefined>;
}

export function serveHttpRequest(req: http.IncomingMessage, res: http.ServerResponse, settings: RpcHttpSettings): void {
  const verdict = settings.guard.check(req);
  if (!verdict.ok) {
    settings.folder.log(req.socket.remoteAddress ?? '?', 'request refused', 'info', `refused HTTP ${req.method ?? '?'} from ${req.socket.remoteAddress ?? '?'}: ${verdict.reason}`);
    res.writeHead(verdict.status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`${verdict.reason}\n`);
    return;
  }
  const cors = settings.guard.corsHeaders(req);
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
  const auth = settings.authentication(req);
  if (auth === 'wrong') {
    res.writeHead(401, { ...cors, 'Content-Type': 'text/plain', Connection: 'close' }).end('invalid token\n');
    return;
  }
  const context: RpcCallContext = { transport: 'http', path: req.url ?? '/', remoteAddress: req.socket.remoteAddress ?? '?', authenticated: auth === 'yes' };
  const refuse = () => res.writeHead(413, { ...cors, 'Content-Type': 'text/plain', Connection: 'close' }).end('request too large\n');
  void readRequestBody(req, settings.maxBodyBytes, refuse).then((body) => {
    if (body === undefined) return;
    settings.handle(body.toString('utf8'), context).then(
      (reply) => {
        if (reply === undefined) {
          res.writeHead(204, cors).end();
          return;
        }
        // Status line, headers and body leave in one write: serominer reads a single chunk.
        const text = `${reply}\n`;
        res.writeHead(200, { ...cors, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
      },
      (err: unknown) => {
        settings.logger('error', `JSON-RPC handler crashed: ${(err as Error).message}`);
        res.writeHead(500).end();
      },
    );
  });
}
