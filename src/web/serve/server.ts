// Serves the browser page (build/web) over HTTP with the headers it needs: cross-origin
// isolation (COOP, COEP, CORP) for SharedArrayBuffer, a strict content security policy, exact
// content types. Only the files of the built page and /config.json are served, only to GET
// and HEAD, and, on a loopback address, only under loopback host names (no DNS rebinding).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import path from 'node:path';
import { isLoopback } from '../../net/server/connection-limiter.js';
import { RequestGuard } from '../../net/server/http-guard.js';
import { uriHost } from '../../net/wire/uri.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { packageRoot, WEB_BUILD_DIR } from './paths.js';
import { PAGE_CONFIG_PATH, type PageConfig } from '../page/page-config.js';

export interface WebServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The page's defaults, read on every request with the host name the page was reached by. */
  readonly config: (pageHost: string) => PageConfig;
  /** The built page (default: build/web of this package). */
  readonly root?: string;
  readonly logger?: Logger;
}

export interface WebServer {
  /** The page, e.g. http://127.0.0.1:8011/ */
  readonly url: string;
  /** What the browser sends as Origin from the page. */
  readonly origin: string;
  /** Every origin the page can have: each name and address of this machine it is served under, with its port. */
  readonly pageOrigins: readonly string[];
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** WebAssembly needs 'wasm-unsafe-eval'; pools are reached over ws: or wss:, on any host. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self' ws: wss:",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** On loopback the page answers IP addresses and localhost only: a rebound name gets nothing. */
const LOOPBACK_GUARD = new RequestGuard({ vhosts: ['localhost'] });

/**
 * The origins a page served on `host` has: on a wildcard bind every address of this machine
 * and its name (the page is reached from the LAN), else the bound address; localhost always.
 */
export function pageOrigins(host: string, port: number, interfaces = networkInterfaces(), machine = hostname()): string[] {
  const wildcard = host === '0.0.0.0' || host === '::';
  const names = ['localhost', ...(wildcard ? Object.values(interfaces).flatMap((list) => (list ?? []).map((a) => a.address)) : [host])];
  if (!(host === 'localhost' || isLoopback(host))) names.push(machine, `${machine}.local`);
  return [...new Set(names.map((name) => `http://${uriHost(name.toLowerCase())}:${port}`))];
}

/** The built page's files by URL path, read once. */
function loadPage(root: string): Map<string, { body: Buffer; type: string }> {
  if (!existsSync(path.join(root, 'index.html'))) throw new Error(`the page is not built (${root}/index.html is missing): run "npm run build"`);
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(root)) {
    const type = CONTENT_TYPES[path.extname(name)];
    if (type) files.set(`/${name}`, { body: readFileSync(path.join(root, name)), type });
  }
  files.set('/', files.get('/index.html')!);
  return files;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const root = options.root ?? path.join(packageRoot(), WEB_BUILD_DIR);
  const files = loadPage(root);
  const host = options.host ?? '127.0.0.1';
  const log = options.logger ?? silentLogger;
  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(HEADERS)) res.setHeader(name, value);
    const reply = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return reply(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if ((host === 'localhost' || isLoopback(host)) && !LOOPBACK_GUARD.hostAllowed(req.headers.host ?? '')) {
      return reply(421, 'text/plain; charset=utf-8', 'this page is served to loopback host names only\n');
    }
    const pathname = new URL(req.url ?? '/', 'http://page').pathname;
    if (pathname === PAGE_CONFIG_PATH) return reply(200, CONTENT_TYPES['.json']!, JSON.stringify(options.config(hostName)));
    const file = files.get(pathname);
    if (!file) return reply(404, 'text/plain; charset=utf-8', 'not found\n');
    return reply(200, file.type, file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${uriHost(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host)}:${port}`;
  log('info', `page at ${origin}/`);
  return {
    url: `${origin}/`,
    origin,
    pageOrigins: pageOrigins(host, port),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
