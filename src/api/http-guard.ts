// Who may talk to the API over HTTP: the Host header must name this machine (an IP, localhost,
// its hostname, or an allowed name), so a DNS-rebound page cannot reach it; a browser's
// cross-origin request is refused unless its origin was allowed, which then gets CORS headers.
import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { hostname } from 'node:os';

export interface HttpGuardOptions {
  /** More names the rig is reached by (`--api-allow-host`). */
  readonly allowedHosts?: readonly string[];
  /** Origins whose pages may call the API (`--api-allow-origin`), e.g. http://farm.local:8080. */
  readonly allowedOrigins?: readonly string[];
}

export type GuardVerdict =
  | { readonly ok: true; readonly corsOrigin?: string }
  | { readonly ok: false; readonly status: number; readonly reason: string };

/** The host part of a Host header: brackets of an IPv6 literal and the port removed. */
export function hostOf(header: string): string {
  const trimmed = header.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(1, trimmed.indexOf(']') === -1 ? undefined : trimmed.indexOf(']'));
  const colon = trimmed.lastIndexOf(':');
  return colon === -1 || trimmed.indexOf(':') !== colon ? trimmed : trimmed.slice(0, colon);
}

/** An IP literal cannot be rebound; localhost and the machine's own name are ours. */
export function isAllowedHost(host: string, allowed: readonly string[] = []): boolean {
  if (net.isIP(host) !== 0) return true;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const own = hostname().toLowerCase();
  if (host === own || host === `${own}.local`) return true;
  return allowed.some((a) => a.toLowerCase() === host);
}

export function checkHttpRequest(headers: IncomingHttpHeaders, options: HttpGuardOptions = {}): GuardVerdict {
  const host = headers.host;
  if (host !== undefined && !isAllowedHost(hostOf(host), options.allowedHosts)) {
    return { ok: false, status: 403, reason: `host ${JSON.stringify(hostOf(host))} is not allowed (DNS rebinding protection; add it with --api-allow-host)` };
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    if ((options.allowedOrigins ?? []).includes(origin)) return { ok: true, corsOrigin: origin };
    let sameOrigin = false;
    try {
      sameOrigin = origin !== 'null' && host !== undefined && new URL(origin).host === host.toLowerCase();
    } catch {
      sameOrigin = false;
    }
    if (!sameOrigin) return { ok: false, status: 403, reason: `cross-origin request from ${origin} refused (allow it with --api-allow-origin)` };
    return { ok: true };
  }
  // no Origin: a tool, a same-origin GET, or a browser's no-cors load from another site
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none' && headers['sec-fetch-mode'] !== 'navigate') {
    return { ok: false, status: 403, reason: 'cross-site request refused' };
  }
  return { ok: true };
}
