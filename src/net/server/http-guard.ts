// Checks a browser-reachable HTTP or WebSocket endpoint makes before serving a request (the
// devnet RPC, the stratum WebSocket, the miner's API, the page server): the Host header against
// allowed names (DNS rebinding), the Origin against allowed origins (cross-site requests), the
// content type of a POST (no CORS-simple text/plain bodies), and a bearer token or password
// compared in constant time. geth's --http.vhosts / --http.corsdomain model.
import { createHash, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { hostname } from 'node:os';
import type http from 'node:http';
import { isLoopback } from './connection-limiter.js';

/** geth's default: only the name localhost (IP addresses always pass, see hostAllowed). */
export const DEFAULT_VHOSTS: readonly string[] = ['localhost'];

export interface RequestGuardOptions {
  /** Host names accepted in the Host header; IP addresses always pass; "*" accepts any. Default: localhost. */
  readonly vhosts?: readonly string[];
  /** Names of this machine pass too: localhost, *.localhost, its host name (and name.local). */
  readonly machineNames?: boolean;
  /** Origins a browser page may call from (scheme://host[:port]); "*" allows any. Default: none but same-origin. */
  readonly origins?: readonly string[];
  /**
   * Whether a page of the endpoint's own origin passes (default true). An endpoint that serves
   * no pages turns it off: then a rebound name cannot pass as "same origin" either.
   */
  readonly sameOrigin?: boolean;
  /**
   * Pages served on loopback (127.x, [::1], localhost) pass: only a process of this machine can
   * serve them, and it can reach the endpoint without a browser anyway. A rebound name is no
   * loopback origin: the browser sends the name it was given.
   */
  readonly loopbackOrigins?: boolean;
  /** The options that extend the lists, named in refusals (e.g. --rpc-vhosts, --rpc-cors). */
  readonly hints?: { readonly host?: string; readonly origin?: string };
  /** Methods a CORS preflight is told (default POST, OPTIONS). */
  readonly corsMethods?: string;
}

export type GuardVerdict = { readonly ok: true } | { readonly ok: false; readonly status: number; readonly reason: string };

const ALLOWED: GuardVerdict = { ok: true };

export class RequestGuard {
  private readonly vhosts: ReadonlySet<string>;
  private readonly origins = new Set<string>();
  private readonly options: RequestGuardOptions;

  constructor(options: RequestGuardOptions = {}) {
    this.options = options;
    this.vhosts = new Set((options.vhosts ?? DEFAULT_VHOSTS).map((host) => host.trim().toLowerCase()));
    for (const origin of options.origins ?? []) this.allowOrigin(origin);
  }

  /** Allows one more origin, for example a page this process serves on another port. */
  allowOrigin(origin: string): void {
    this.origins.add(normalizeOrigin(origin));
  }

  /** The origins allowed besides same-origin requests. */
  get allowedOrigins(): string[] {
    return [...this.origins];
  }

  /** A name must be listed (or be this machine's); an IP address cannot be rebound, so it always passes (as in geth). */
  hostAllowed(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined || hostHeader === '') return true;
    const host = hostOnly(hostHeader);
    if (net.isIP(host) !== 0 || this.vhosts.has('*') || this.vhosts.has(host)) return true;
    return this.options.machineNames === true && isMachineName(host);
  }

  /** No Origin: not a browser's cross-origin call. Otherwise it must be the endpoint's own origin or an allowed one. */
  originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.origins.has('*')) return true;
    const normalized = origin.trim().toLowerCase();
    if (this.origins.has(normalized)) return true;
    if (this.options.loopbackOrigins === true && isLoopbackOrigin(normalized)) return true;
    return (this.options.sameOrigin ?? true) && hostHeader !== undefined && hostOfOrigin(normalized) === hostHeader.trim().toLowerCase();
  }

  /** Host first, then Origin (or, without one, a browser's cross-site fetch metadata); the verdict carries the HTTP status. */
  check(req: http.IncomingMessage): GuardVerdict {
    const { host, origin } = req.headers;
    const hints = this.options.hints ?? {};
    if (!this.hostAllowed(host)) {
      const hint = hints.host === undefined ? '' : ` ${JSON.stringify(hostOnly(host!))} (DNS rebinding protection; allow it with ${hints.host})`;
      return { ok: false, status: 403, reason: `invalid host specified${hint}` };
    }
    if (!this.originAllowed(origin, host)) {
      return { ok: false, status: 403, reason: `cross-origin request from ${origin} refused${hints.origin === undefined ? '' : ` (allow it with ${hints.origin})`}` };
    }
    // No Origin: a tool, a same-origin GET, or a browser's no-cors load from another site (an
    // <img> or <script> tag), which its fetch metadata tells; following a link stays allowed.
    const site = req.headers['sec-fetch-site'];
    if (origin === undefined && site !== undefined && site !== 'same-origin' && site !== 'none' && req.headers['sec-fetch-mode'] !== 'navigate') {
      return { ok: false, status: 403, reason: 'cross-site request refused' };
    }
    return ALLOWED;
  }

  /** CORS response headers for an allowed browser request that names its origin (none for others). */
  corsHeaders(req: http.IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined || !this.originAllowed(origin, req.headers.host)) return {};
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': this.options.corsMethods ?? 'POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Authorization',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
  }
}

function isLoopbackOrigin(origin: string): boolean {
  let host: string;
  try {
    host = hostOnly(new URL(origin).host);
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || isLoopback(host);
}

/** localhost, any *.localhost name and this machine's own name resolve to it and nowhere else. */
function isMachineName(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const own = hostname().toLowerCase();
  return host === own || host === `${own}.local`;
}

/** application/json and the two aliases geth accepts; a browser cannot send them cross-site without a preflight. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const type = value.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'application/json-rpc' || type === 'application/jsonrequest';
}

/** The token (or password, spaces and all) of an `Authorization: Bearer <token>` header. */
export function bearerToken(req: http.IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.*\S)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** Constant-time comparison (digests first, so the length leaks nothing either). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** `http://Example.org:8080/` → `http://example.org:8080`; "*" stays. Throws on anything else. */
export function normalizeOrigin(origin: string): string {
  const trimmed = origin.trim();
  if (trimmed === '*') return '*';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`expected an origin like http://host:port, got ${JSON.stringify(origin)}`);
  }
  if (url.origin === 'null' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new Error(`expected an origin like http://host:port (no path), got ${JSON.stringify(origin)}`);
  }
  return url.origin.toLowerCase();
}

/** A comma-separated command-line list, empty entries dropped. */
export function splitList(value: string): string[] {
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
}

/** `host:port`, `[v6]:port` or a bare host → the host without brackets, lower case. */
export function hostOnly(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon === -1 || value.indexOf(':') !== colon ? value : value.slice(0, colon);
}

/** The host[:port] part of an origin, as a browser would send it in Host. */
function hostOfOrigin(origin: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/]+)$/.exec(origin);
  return match?.[1];
}
