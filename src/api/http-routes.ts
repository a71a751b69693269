// The API's HTTP side: the dashboard (GET /, its script, its live feed), serominer's stats page
// (GET /getstat1), JSON status, Prometheus metrics, and JSON-RPC over POST /. Every request
// passes the Host/Origin guard first; control over HTTP needs the password as a Bearer token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestGuard, bearerToken } from '../net/server/http-guard.js';
import { answer, checkPassword, type ApiContext, type ApiSession } from './rpc-methods.js';
import { RpcCodes, type JsonRpcResponse } from '../net/wire/json-rpc.js';
import { readRequestBody } from '../net/wire/json-rpc-http.js';
import type { RigMetrics } from './metrics.js';
import type { RigStatusSource } from './rig-status.js';
import { dashboardHtml, uiModule } from './dashboard/page.js';
import { getstat1Html } from './getstat1-page.js';

export interface HttpRoutesOptions {
  readonly rpc: ApiContext;
  readonly source: RigStatusSource;
  readonly metrics: RigMetrics;
  readonly guard?: ApiAccessOptions;
  /** Live dashboard connections at once (default 32). */
  readonly maxEventStreams?: number;
  /** How often the live feed sends the status (default 1000 ms). */
  readonly eventIntervalMs?: number;
}

/** Largest JSON-RPC body accepted (serominer's request limit). */
const MAX_BODY_BYTES = 32 * 1024;

const PAGE_SECURITY = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** Who may reach the API over HTTP besides this machine's IPs and names (--api-allow-host, --api-allow-origin). */
export interface ApiAccessOptions {
  readonly allowedHosts?: readonly string[];
  /** Origins whose pages may call the API, e.g. http://farm.local:8080. */
  readonly allowedOrigins?: readonly string[];
}

export interface HttpRoutes {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every live feed (server shutdown). */
  close(): void;
}

export function createHttpRoutes(options: HttpRoutesOptions): HttpRoutes {
  // a rig is reached by its IPs and its own names; a rebound name or another site's page is not
  const guard = new RequestGuard({
    vhosts: options.guard?.allowedHosts ?? [],
    machineNames: true,
    origins: options.guard?.allowedOrigins,
    hints: { host: '--api-allow-host', origin: '--api-allow-origin' },
    corsMethods: 'GET, POST',
  });
  const streams = new Set<ServerResponse>();
  const send = (res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
    res.end(body);
  };
  const json = (res: ServerResponse, value: unknown, headers?: Record<string, string>, status = 200) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);

  // one snapshot a tick for every live dashboard, however many are open
  let ticker: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  const push = (res: ServerResponse, event: string, data: string) => res.write(`event: ${event}\ndata: ${data}\n\n`);
  const broadcast = (event: string, value: unknown) => {
    const data = JSON.stringify(value);
    for (const res of streams) push(res, event, data);
  };

  function eventStream(res: ServerResponse, cors: Record<string, string>): void {
    if (streams.size >= (options.maxEventStreams ?? 32)) {
      send(res, 503, 'text/plain; charset=utf-8', 'too many live dashboards\n', { 'Retry-After': '10' });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no', ...cors });
    push(res, 'history', JSON.stringify(options.source.hashrateHistory()));
    push(res, 'status', JSON.stringify(options.source.snapshot()));
    streams.add(res);
    ticker ??= setInterval(() => broadcast('status', options.source.snapshot()), options.eventIntervalMs ?? 1000);
    unsubscribe ??= options.source.onSample((sample) => broadcast('sample', sample));
    res.on('close', () => {
      streams.delete(res);
      if (streams.size === 0) stopTicker();
    });
  }

  function stopTicker(): void {
    clearInterval(ticker);
    ticker = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
  }

  async function rpcOverHttp(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    const body = await readRequestBody(req, MAX_BODY_BYTES, () => send(res, 413, 'text/plain; charset=utf-8', 'request too large\n', { Connection: 'close' }));
    if (body === undefined || res.headersSent) return;
    const given = bearerToken(req);
    const ctx = options.rpc;
    // one request is one session: a Bearer password authorizes it, as api_authorize does on TCP
    const session: ApiSession = { authorized: false, remote: req.socket.remoteAddress ?? 'unknown' };
    if (given !== undefined) {
      const check = checkPassword(given, session.remote, ctx);
      if (!check.ok && check.code === -429) {
        json(res, { id: null, jsonrpc: '2.0', error: { code: check.code, message: check.message } }, cors, 429);
        return;
      }
      session.authorized = check.ok;
    }
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch (err) {
      json(res, { id: null, jsonrpc: '2.0', error: { code: RpcCodes.parseError, message: `Json parse error : ${(err as Error).message}` } }, cors);
      return;
    }
    const reply: JsonRpcResponse | JsonRpcResponse[] = Array.isArray(message) ? message.map((m) => answer(m, session, ctx)) : answer(message, session, ctx);
    json(res, reply, cors);
  }

  return {
    handle(req, res) {
      const verdict = guard.check(req);
      if (!verdict.ok) {
        send(res, verdict.status, 'text/plain; charset=utf-8', `${verdict.reason}\n`);
        return;
      }
      const cors = guard.corsHeaders(req);
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'OPTIONS' && req.headers.origin !== undefined) {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      if (req.method === 'POST' && path === '/') return void rpcOverHttp(req, res, cors);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'text/plain; charset=utf-8', `Method ${req.method} not allowed\n`, { Allow: 'GET, POST' });
        return;
      }
      switch (path) {
        case '/':
          return send(res, 200, 'text/html; charset=utf-8', dashboardHtml({ status: options.source.snapshot(), history: options.source.hashrateHistory() }), PAGE_SECURITY);
        case '/getstat1':
          return send(res, 200, 'text/html; charset=utf-8', getstat1Html(options.source.snapshot()), PAGE_SECURITY);
        case '/api/status':
          return json(res, { ...options.source.snapshot(), history: options.source.hashrateHistory() }, cors);
        case '/api/events':
          return eventStream(res, cors);
        case '/metrics':
          options.metrics.render().then(
            (text) => send(res, 200, options.metrics.contentType, text, cors),
            (err: Error) => send(res, 500, 'text/plain; charset=utf-8', `metrics failed: ${err.message}\n`),
          );
          return;
        default: {
          const module = path.startsWith('/ui/') ? uiModule(path.slice(4)) : undefined;
          if (module !== undefined) return send(res, 200, 'text/javascript; charset=utf-8', module);
          send(res, 404, 'text/plain; charset=utf-8', `The requested resource ${path} not found on this server\n`);
        }
      }
    },
    close() {
      for (const res of streams) res.end();
      streams.clear();
      stopTicker();
    },
  };
}
