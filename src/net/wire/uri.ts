// Pool URIs in serominer's `-P` syntax (stratum.md 9.1):
//   scheme://[user[.worker][:password]@]host:port[/path][?query][#fragment]
// The worker is the text after the last `.` before the password; special characters may be
// %-encoded or wrapped in backticks, and `+` means a space. The port is mandatory.
import net from 'node:net';

export type PoolProtocol = 'stratum1' | 'getwork';
export type PoolTransport = 'tcp' | 'tls' | 'ws' | 'wss' | 'http';

export interface PoolUri {
  /** Lowercased scheme as written. */
  readonly scheme: string;
  readonly protocol: PoolProtocol;
  readonly transport: PoolTransport;
  /** `+tls12`, `+ssl` and `stratumss` pin TLS 1.2. */
  readonly tls12Only: boolean;
  /** Host name or IP, IPv6 without brackets. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly worker: string | undefined;
  /** serominer's default is "X"; an explicit empty password is kept empty. */
  readonly password: string;
  /** Path as written ("" when absent): login suffix for stratum, HTTP path for getwork, request path for WS. */
  readonly path: string;
  /** What goes into `sero_submitLogin` params[0]: user plus path for TCP/TLS stratum (serominer does the same). */
  readonly login: string;
}

export class PoolUriError extends Error {
  constructor(readonly uri: string, reason: string) {
    super(`invalid pool URI ${JSON.stringify(maskPassword(uri))}: ${reason}`);
    this.name = 'PoolUriError';
  }
}

interface SchemeInfo {
  readonly protocol: PoolProtocol;
  readonly transport: PoolTransport;
  readonly tls12Only: boolean;
}

const SCHEMES: Readonly<Record<string, SchemeInfo>> = {
  'stratum1+tcp': { protocol: 'stratum1', transport: 'tcp', tls12Only: false },
  'stratum1+tls': { protocol: 'stratum1', transport: 'tls', tls12Only: false },
  'stratum1+tls12': { protocol: 'stratum1', transport: 'tls', tls12Only: true },
  'stratum1+ssl': { protocol: 'stratum1', transport: 'tls', tls12Only: true },
  'stratum1+ws': { protocol: 'stratum1', transport: 'ws', tls12Only: false },
  'stratum1+wss': { protocol: 'stratum1', transport: 'wss', tls12Only: false },
  // serominer autodetects with these; against every SERO pool the detection ends in
  // SERO-Proxy (stratum.md 6), which is the only dialect spoken here.
  stratum: { protocol: 'stratum1', transport: 'tcp', tls12Only: false },
  stratums: { protocol: 'stratum1', transport: 'tls', tls12Only: false },
  stratumss: { protocol: 'stratum1', transport: 'tls', tls12Only: true },
  http: { protocol: 'getwork', transport: 'http', tls12Only: false },
  getwork: { protocol: 'getwork', transport: 'http', tls12Only: false },
};

/** Schemes serominer knows that cannot carry SERO work, with the reason users get. */
const REFUSED_SCHEMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^stratum\+(tcp|tls|tls12|ssl)$/, 'plain stratum sends no block height, which ProgPoW needs; SERO pools speak stratum1 (use stratum1+tcp://)'],
  [/^stratum2\+(tcp|tls|tls12|ssl)$/, 'EthereumStratum/1.0.0 (NiceHash) sends no block height; use stratum1+tcp://'],
  [/^stratum3\+(tcp|tls|tls12|ssl)$/, 'EthereumStratum/2.0.0 is not supported (no SERO pool uses it); use stratum1+tcp://'],
  [/^https$/, 'getwork over HTTPS is not supported (serominer has none either); use http://'],
  [/^simulation$/, 'simulation is serominer\'s benchmark pseudo-pool, not a pool'],
];

export function parsePoolUri(text: string): PoolUri {
  const input = text.trim();
  const schemeMatch = /^([A-Za-z0-9+]+):\/\/(.*)$/s.exec(input);
  if (schemeMatch === null) throw new PoolUriError(text, 'expected scheme://[user[.worker][:password]@]host:port, e.g. stratum1+tcp://ADDRESS.rig01@pool.example:8008');
  const scheme = schemeMatch[1]!.toLowerCase();
  const info = SCHEMES[scheme];
  if (info === undefined) {
    const refusal = REFUSED_SCHEMES.find(([pattern]) => pattern.test(scheme));
    throw new PoolUriError(text, refusal?.[1] ?? `unknown scheme "${scheme}" (supported: ${Object.keys(SCHEMES).join(', ')})`);
  }

  let rest = stripQueryAndFragment(schemeMatch[2]!);
  const at = lastIndexOutsideBackticks(rest, '@');
  let userInfo: string | undefined;
  if (at !== -1) {
    userInfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  const slash = rest.indexOf('/');
  const hostPort = slash === -1 ? rest : rest.slice(0, slash);
  let path = slash === -1 ? '' : rest.slice(slash);
  if (path === '/') path = '';

  const { host, port } = parseHostPort(text, hostPort);
  const { user, worker, password } = parseUserInfo(userInfo);
  if (info.protocol === 'stratum1' && user.length === 0) {
    throw new PoolUriError(text, 'a stratum pool needs a login before the @ (your SERO address, optionally .worker)');
  }
  if (worker !== undefined && worker.length === 0) throw new PoolUriError(text, 'empty worker name after "."');
  const pathIsLogin = info.protocol === 'stratum1' && (info.transport === 'tcp' || info.transport === 'tls');
  return { scheme, ...info, host, port, user, worker, password, path, login: pathIsLogin ? user + path : user };
}

/** A host as a URI writes it: an IPv6 address in brackets. */
export function uriHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** URI for logs and UIs: the password is never shown. */
export function describePoolUri(uri: PoolUri): string {
  const host = uriHost(uri.host);
  const user = uri.user.length > 0 ? `${uri.user}${uri.worker !== undefined ? `.${uri.worker}` : ''}@` : '';
  return `${uri.scheme}://${user}${host}:${uri.port}${uri.path}`;
}

function stripQueryAndFragment(text: string): string {
  let end = text.length;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') quoted = !quoted;
    else if (!quoted && (c === '?' || c === '#')) {
      end = i;
      break;
    }
  }
  return text.slice(0, end);
}

function lastIndexOutsideBackticks(text: string, char: string): number {
  let quoted = false;
  let found = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '`') quoted = !quoted;
    else if (!quoted && text[i] === char) found = i;
  }
  return found;
}

function parseHostPort(uri: string, hostPort: string): { host: string; port: number } {
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) throw new PoolUriError(uri, 'unterminated [ in IPv6 host');
    host = hostPort.slice(1, close);
    if (!net.isIPv6(host)) throw new PoolUriError(uri, `"${host}" is not an IPv6 address`);
    const after = hostPort.slice(close + 1);
    if (!after.startsWith(':')) throw new PoolUriError(uri, 'the port is mandatory (host:port)');
    portText = after.slice(1);
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon === -1) throw new PoolUriError(uri, 'the port is mandatory (host:port)');
    host = hostPort.slice(0, colon);
    portText = hostPort.slice(colon + 1);
    if (host.length === 0) throw new PoolUriError(uri, 'missing host');
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host)) {
      throw new PoolUriError(uri, `"${host}" is not a valid host name or IPv4 address (an IPv6 address goes in [brackets])`);
    }
  }
  if (!/^[0-9]{1,5}$/.test(portText)) throw new PoolUriError(uri, `port "${portText}" is not a number`);
  const port = Number(portText);
  if (port < 1 || port > 65535) throw new PoolUriError(uri, `port ${port} is out of range 1..65535`);
  return { host, port };
}

function parseUserInfo(userInfo: string | undefined): { user: string; worker: string | undefined; password: string } {
  if (userInfo === undefined) return { user: '', worker: undefined, password: 'X' };
  let account = userInfo;
  let password = 'X';
  const colon = lastIndexOutsideBackticks(userInfo, ':');
  if (colon !== -1) {
    account = userInfo.slice(0, colon);
    password = decodePart(userInfo.slice(colon + 1));
  }
  let worker: string | undefined;
  const dot = lastIndexOutsideBackticks(account, '.');
  if (dot !== -1) {
    worker = decodePart(account.slice(dot + 1));
    account = account.slice(0, dot);
  }
  return { user: decodePart(account), worker, password };
}

/** Backticks quote literally; outside them `+` is a space and %XX is decoded. */
function decodePart(part: string): string {
  let out = '';
  const segments = part.split('`');
  segments.forEach((segment, i) => {
    if (i % 2 === 1) {
      out += segment;
      return;
    }
    const spaced = segment.replace(/\+/g, ' ');
    try {
      out += decodeURIComponent(spaced);
    } catch {
      out += spaced;
    }
  });
  return out;
}

function maskPassword(uri: string): string {
  return uri.replace(/^([^:]+:\/\/[^@/]*?):[^@/]*@/, '$1:***@');
}
