// Stratum1 / SERO-Proxy pool endpoint over TCP, TLS and WebSocket. Work comes from a
// WorkProvider and is pushed to every logged-in session; shares go back to it after the
// format, backlog and duplicate checks the official pool makes. The server bounds what one
// client can take: connections in all and per address, a login deadline, write backpressure,
// and the official pool's bans; repeated log lines are folded per address.
import { ConnectionLimiter, type Admission, normalizeAddress } from '../connection-limiter.js';
import { connectionCap } from '../descriptor-limit.js';
import { DuplicateFilter } from '../duplicate-filter.js';
import { RequestGuard } from '../http-guard.js';
import { type LineListenOptions, type LineListener, listenForLines } from '../line-listener.js';
import { POOL_MAX_LINE_BYTES } from '../../wire/line-transport.js';
import { LogFolder } from '../../../util/log-fold.js';
import { type Logger, stderrLogger } from '../../../util/log.js';
import type { Unsubscribe, WorkProvider } from '../provider.js';
import { WorkBacklog } from '../work-backlog.js';
import { type Ban, BanPolicy, type BanRules } from './ban-policy.js';
import { StratumSession } from './session.js';

export interface StratumLimits {
  /** Connections at once, all addresses (default: 3/4 of the descriptors left after a reserve, at most 10,000). */
  readonly maxConnections?: number;
  /** Connections at once from one address (default 256; 0: no cap). Loopback is exempt unless limitLoopback. */
  readonly maxConnectionsPerAddress?: number;
  /** Apply the per-address cap to loopback too (default false: a local proxy or load test opens many). */
  readonly limitLoopback?: boolean;
  /** A connection not logged in by then is closed, handshakes included (default 15 s). */
  readonly loginTimeoutMs?: number;
  /** The official pool's ban rules; `banMs: 0` turns bans off. */
  readonly bans?: BanRules;
  /** Unsent reply bytes at which a connection is no longer read (default 64 KiB). */
  readonly writeBufferBytes?: number;
  /** A connection that stays behind this long is dropped (default 10 s). */
  readonly slowReaderMs?: number;
  /** Shares of one connection being checked at once before it is no longer read (default 16). */
  readonly maxSharesInFlight?: number;
}

export interface StratumServerOptions {
  readonly provider: WorkProvider;
  readonly logger?: Logger;
  /** Close a session this long after its last request or job push (official example: 120 s). */
  readonly idleTimeoutMs?: number;
  /** Longest accepted line including its newline (official pool: 1024). */
  readonly maxLineBytes?: number;
  /** Close the connection after an error reply, as the official pool does (default true). */
  readonly closeOnError?: boolean;
  /** Extra login check (for example a base58 SERO address); any non-empty login by default. */
  readonly validateLogin?: (login: string) => boolean;
  /** Offer the block-vote extension (sero-votes/1) to miners that ask (default true); off, the pool is plain stratum1 like the official one. */
  readonly voteNotices?: boolean;
  readonly limits?: StratumLimits;
  /** Origin check of the WebSocket endpoints (default: stratumWebSocketGuard(), no page origin allowed). */
  readonly webSocketGuard?: RequestGuard;
}

export type StratumListenOptions = LineListenOptions;

export interface StratumEndpoint {
  readonly transport: LineListenOptions['transport'];
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_LOGIN_TIMEOUT_MS = 15_000;

/**
 * The stratum WebSocket serves no pages, so no origin is its own: miners (no Origin header)
 * pass, browser pages served on loopback (`sero-miner web`) too, others only from the origins
 * listed (`--stratum-ws-origins`). Any Host name passes: remote miners use them.
 */
export function stratumWebSocketGuard(origins: readonly string[] = []): RequestGuard {
  return new RequestGuard({ vhosts: ['*'], sameOrigin: false, loopbackOrigins: true, origins, hints: { origin: '--stratum-ws-origins' } });
}
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

/** One accepted connection, from the raw socket to the closed session. */
interface Ticket {
  readonly admission: Admission;
  readonly address: string;
  readonly ban: Ban | undefined;
  session?: StratumSession;
  deadline: NodeJS.Timeout | undefined;
  /** Counted among the logged-in sessions (a second login is not counted again). */
  loggedIn: boolean;
}

export class StratumServer {
  private readonly sessions = new Set<StratumSession>();
  private loggedIn = 0;
  private readonly listeners: LineListener[] = [];
  private readonly backlog = new WorkBacklog();
  private readonly duplicates = new DuplicateFilter();
  private readonly logger: Logger;
  private readonly folder: LogFolder;
  private readonly limiter: ConnectionLimiter;
  private readonly unsubscribe: Unsubscribe;
  /** The official pool's ban rules, per remote address. */
  readonly policy: BanPolicy;
  /** Origin check of the WebSocket endpoints; `allowOrigin` extends it at run time. */
  readonly webSocketGuard: RequestGuard;

  constructor(private readonly options: StratumServerOptions) {
    this.logger = options.logger ?? stderrLogger;
    this.folder = new LogFolder(this.logger);
    const limits = options.limits ?? {};
    this.limiter = new ConnectionLimiter({
      maxTotal: limits.maxConnections ?? connectionCap(0.75, 10_000),
      maxPerAddress: limits.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
      exemptLoopback: limits.limitLoopback !== true,
    });
    this.policy = new BanPolicy(limits.bans);
    this.webSocketGuard = options.webSocketGuard ?? stratumWebSocketGuard();
    const current = options.provider.currentWork();
    if (current !== undefined) this.backlog.add(current);
    this.unsubscribe = options.provider.onWork((work) => {
      this.backlog.add(work);
      for (const session of this.sessions) session.pushWork(work);
    });
  }

  /** Opens one more endpoint; call once per transport. */
  async listen(options: StratumListenOptions): Promise<StratumEndpoint> {
    const limits = this.options.limits ?? {};
    const writeBufferBytes = limits.writeBufferBytes ?? 64 * 1024;
    const listener = await listenForLines<Ticket>(options, {
      maxLineBytes: this.options.maxLineBytes ?? POOL_MAX_LINE_BYTES,
      logger: this.logger,
      flowControl: { pauseAboveBytes: writeBufferBytes, dropAboveBytes: 16 * writeBufferBytes, slowReaderMs: limits.slowReaderMs ?? 10_000 },
      webSocketGuard: this.webSocketGuard,
      accept: (remoteHost, drop) => this.accept(remoteHost, drop),
      released: (ticket) => {
        clearTimeout(ticket.deadline);
        ticket.admission.release();
      },
      onChannel: (channel, ticket) => {
        const session = new StratumSession(channel, {
          provider: this.options.provider,
          backlog: this.backlog,
          duplicates: this.duplicates,
          logger: this.logger,
          folder: this.folder,
          policy: this.policy,
          ban: ticket.ban,
          idleTimeoutMs: this.options.idleTimeoutMs ?? 120_000,
          closeOnError: this.options.closeOnError ?? true,
          validateLogin: this.options.validateLogin,
          voteNotices: this.options.voteNotices ?? true,
          maxSharesInFlight: limits.maxSharesInFlight ?? 16,
          onLogin: () => {
            clearTimeout(ticket.deadline);
            ticket.deadline = undefined;
            ticket.admission.protect();
            if (!ticket.loggedIn) this.countLoggedIn(1);
            ticket.loggedIn = true;
          },
          onBanned: () => this.closeAddress(ticket.address, session),
        });
        ticket.session = session;
        this.sessions.add(session);
        channel.once('close', () => {
          this.sessions.delete(session);
          if (ticket.loggedIn) this.countLoggedIn(-1);
        });
      },
    });
    this.listeners.push(listener);
    this.logger('info', `stratum1 ${listener.transport} listening on ${listener.host}:${listener.port}`);
    return { transport: listener.transport, host: listener.host, port: listener.port };
  }

  /** Sessions currently connected (logged in or not). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Connections held, handshakes and sessions not logged in included. */
  get connectionCount(): number {
    return this.limiter.size;
  }

  /** Logins of the sessions currently connected, in `login.worker` form. */
  connectedWorkers(): string[] {
    return [...this.sessions].filter((s) => s.login !== undefined).map((s) => `${s.login}.${s.worker}`);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await Promise.all(this.listeners.map((listener) => listener.close()));
    this.listeners.length = 0;
    this.folder.close();
  }

  /** Tells the provider how many sessions are logged in now. */
  private countLoggedIn(change: number): void {
    this.loggedIn += change;
    this.options.provider.sessionsChanged?.(this.loggedIn);
  }

  /** Admits a raw connection within the caps and starts its login deadline. */
  private accept(remoteHost: string, drop: () => void): { ok: true; ticket: Ticket } | { ok: false; reason: string } {
    const address = normalizeAddress(remoteHost);
    const admitted = this.limiter.admit(address, () => {
      this.folder.log(address, 'connection evicted', 'info', `at the connection cap: closing a connection from ${address} that has not logged in, to make room`);
      drop();
    });
    if (!admitted.ok) {
      this.folder.log(address, 'connection refused', 'info', `refused a connection from ${address}: ${admitted.reason}`);
      return admitted;
    }
    const loginTimeoutMs = this.options.limits?.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
    const ticket: Ticket = { admission: admitted.admission, address, ban: this.policy.banOf(address), deadline: undefined, loggedIn: false };
    ticket.deadline = setTimeout(() => {
      this.folder.log(address, 'no login', 'info', `closing a connection from ${address}: no login within ${loginTimeoutMs} ms`);
      if (ticket.session !== undefined) ticket.session.close(`no login within ${loginTimeoutMs} ms`);
      else drop();
    }, loginTimeoutMs);
    ticket.deadline.unref();
    return { ok: true, ticket };
  }

  /** A ban cuts every connection of the address (the one that tripped it answers first). */
  private closeAddress(address: string, except: StratumSession): void {
    for (const session of this.sessions) {
      if (session !== except && normalizeAddress(session.remoteHost) === address) session.close('address banned');
    }
  }
}
