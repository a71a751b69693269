// Stratum1 / SERO-Proxy pool endpoint over TCP, TLS and WebSocket. Work comes from a
// WorkProvider and is pushed to every logged-in session; shares go back to it after the
// format, backlog and duplicate checks the official pool makes.
import { DuplicateFilter } from '../duplicate-filter.js';
import { type LineListenOptions, type LineListener, listenForLines } from '../line-listener.js';
import { POOL_MAX_LINE_BYTES } from '../line-transport.js';
import { type Logger, stderrLogger } from '../../util/log.js';
import type { Unsubscribe, WorkProvider } from '../provider.js';
import { WorkBacklog } from '../work-backlog.js';
import { StratumSession } from './session.js';

export interface StratumServerOptions {
  readonly provider: WorkProvider;
  readonly logger?: Logger;
  /** Close a session this long after its last message or job push (official example: 120 s). */
  readonly idleTimeoutMs?: number;
  /** Longest accepted line including its newline (official pool: 1024). */
  readonly maxLineBytes?: number;
  /** Close the connection after an error reply, as the official pool does (default true). */
  readonly closeOnError?: boolean;
  /** Extra login check (for example a base58 SERO address); any non-empty login by default. */
  readonly validateLogin?: (login: string) => boolean;
  /** Offer the block-vote extension (sero-votes/1) to miners that ask (default true); off, the pool is plain stratum1 like the official one. */
  readonly voteNotices?: boolean;
}

export type StratumListenOptions = LineListenOptions;

export interface StratumEndpoint {
  readonly transport: LineListenOptions['transport'];
  readonly host: string;
  readonly port: number;
}

export class StratumServer {
  private readonly sessions = new Set<StratumSession>();
  private readonly listeners: LineListener[] = [];
  private readonly backlog = new WorkBacklog();
  private readonly duplicates = new DuplicateFilter();
  private readonly logger: Logger;
  private readonly unsubscribe: Unsubscribe;

  constructor(private readonly options: StratumServerOptions) {
    this.logger = options.logger ?? stderrLogger;
    const current = options.provider.currentWork();
    if (current !== undefined) this.backlog.add(current);
    this.unsubscribe = options.provider.onWork((work) => {
      this.backlog.add(work);
      for (const session of this.sessions) session.pushWork(work);
    });
  }

  /** Opens one more endpoint; call once per transport. */
  async listen(options: StratumListenOptions): Promise<StratumEndpoint> {
    const listener = await listenForLines(options, this.options.maxLineBytes ?? POOL_MAX_LINE_BYTES, this.logger, (channel) => {
      const session = new StratumSession(channel, {
        provider: this.options.provider,
        backlog: this.backlog,
        duplicates: this.duplicates,
        logger: this.logger,
        idleTimeoutMs: this.options.idleTimeoutMs ?? 120_000,
        closeOnError: this.options.closeOnError ?? true,
        validateLogin: this.options.validateLogin,
        voteNotices: this.options.voteNotices ?? true,
      });
      this.sessions.add(session);
      channel.once('close', () => this.sessions.delete(session));
    });
    this.listeners.push(listener);
    this.logger('info', `stratum1 ${listener.transport} listening on ${listener.host}:${listener.port}`);
    return { transport: listener.transport, host: listener.host, port: listener.port };
  }

  /** Sessions currently connected (logged in or not). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Logins of the sessions currently connected, in `login.worker` form. */
  connectedWorkers(): string[] {
    return [...this.sessions].filter((s) => s.login !== undefined).map((s) => `${s.login}.${s.worker}`);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await Promise.all(this.listeners.map((listener) => listener.close()));
    this.listeners.length = 0;
  }
}
