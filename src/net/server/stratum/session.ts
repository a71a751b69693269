// One miner connection to the stratum1 / SERO-Proxy pool: answers exactly what serominer
// sends, the way the official pool does (stratum.md 2 and 5), and forwards block events of
// the vote extension to sessions that opted in. Every verdict also goes to the ban policy;
// repeated log lines of one address are folded.
import type { DuplicateFilter } from '../duplicate-filter.js';
import { describeValue, formatNonce, parseLooseHexNumber } from '../../../util/hex.js';
import { type JsonRpcId, type RpcErrorObject, isPlainObject, normalizeId, requestIdOfText } from '../../wire/json-rpc.js';
import type { LineChannel } from '../../wire/line-transport.js';
import type { LogFolder } from '../../../util/log-fold.js';
import { type Logger, type LogLevel, preview, withPrefix } from '../../../util/log.js';
import type { BlockEvent, SubmitOutcome, WorkProvider } from '../provider.js';
import { VOTES_EXTENSION } from '../../wire/vote-extension.js';
import type { WorkBacklog } from '../work-backlog.js';
import { type ParsedSubmission, type WorkPackage, parseSubmission, workToWire } from '../../wire/work.js';
import type { Ban, BanPolicy } from './ban-policy.js';
import { PoolErrors, bannedError } from './pool-errors.js';
import { blockNoticeLine } from './block-notices.js';
import { JobPusher } from './job-pusher.js';

/** The official pool keeps a worker name only if it matches this; otherwise it uses "0". */
const WORKER_NAME = /^[0-9a-zA-Z_-]{1,8}$/;
const MAX_LOGIN_LENGTH = 256;

export interface SessionSettings {
  readonly provider: WorkProvider;
  readonly backlog: WorkBacklog;
  readonly duplicates: DuplicateFilter;
  readonly logger: Logger;
  /** Folds repeated lines per remote address. */
  readonly folder: LogFolder;
  readonly policy: BanPolicy;
  /** A ban in force when the connection came: its first request is answered with it, then it closes. */
  readonly ban?: Ban;
  readonly idleTimeoutMs: number;
  /** The official pool closes after every error reply; a demo may keep the line open. */
  readonly closeOnError: boolean;
  readonly validateLogin?: (login: string) => boolean;
  /** Whether the pool offers the block-vote extension at all. */
  readonly voteNotices: boolean;
  /** Shares being checked at once before the connection is no longer read. */
  readonly maxSharesInFlight: number;
  readonly onLogin: () => void;
  /** This session's address was just banned (the session itself answers and closes). */
  readonly onBanned: (ban: Ban) => void;
}

export class StratumSession {
  private loginName: string | undefined;
  private workerName = '0';
  private wantsVotes = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly pusher: JobPusher;
  private sharesInFlight = 0;
  private readonly log: Logger;

  constructor(private readonly channel: LineChannel, private readonly settings: SessionSettings) {
    this.log = withPrefix(settings.logger, `[stratum ${channel.remoteAddress}]`);
    this.pusher = new JobPusher(channel, () => this.touch());
    channel.on('line', (line) => this.onLine(line));
    channel.on('oversize', (bytes) => {
      this.note('socket flood', 'warn', `line of ${bytes}+ bytes exceeds the line limit; closing (socket flood)`);
      this.strike(settings.policy.ban(channel.remoteHost, 'socket flood'));
      this.fail(null, PoolErrors.socketFlood, true);
    });
    channel.once('close', (reason) => {
      clearTimeout(this.idleTimer);
      this.log('debug', `disconnected: ${reason}`);
    });
    this.touch();
  }

  get login(): string | undefined {
    return this.loginName;
  }

  get worker(): string {
    return this.workerName;
  }

  /** The peer's IP address alone. */
  get remoteHost(): string {
    return this.channel.remoteHost;
  }

  /** Pushes a job to a logged-in miner (job-pusher.ts: one write each, never an old job before a new one). */
  pushWork(work: WorkPackage): void {
    if (this.loginName !== undefined) this.pusher.push(work);
  }

  close(reason: string): void {
    this.channel.close(reason);
  }

  /** A line through the per-address fold: the first of its kind a minute is written, the rest counted. */
  private note(kind: string, level: LogLevel, message: string): void {
    this.settings.folder.log(this.channel.remoteHost, kind, level, `[stratum ${this.channel.remoteAddress}] ${message}`);
  }

  /**
   * A ban the last verdict tripped: logged once, and every session of the address hears of it.
   * A spared address (loopback, whitelisted) loses only this connection.
   */
  private strike(ban: Ban | undefined): boolean {
    if (ban === undefined) return false;
    if (ban.spared !== undefined) {
      this.note('spared', 'warn', `not banning ${this.channel.remoteHost} (${ban.spared}), only closing this connection: ${ban.reason}`);
      return true;
    }
    this.note('banned', 'warn', `banned ${this.channel.remoteHost} until ${new Date(ban.until).toISOString()}: ${ban.reason}`);
    this.settings.onBanned(ban);
    return true;
  }

  /** Counts a malformed request; true when it banned the address. */
  private malformed(): boolean {
    return this.strike(this.settings.policy.recordMalformed(this.channel.remoteHost));
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.note('idle', 'info', `idle for ${this.settings.idleTimeoutMs} ms; closing`);
      this.channel.close('idle timeout');
    }, this.settings.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private onLine(line: string): void {
    if (this.settings.ban !== undefined) return this.refuseBanned(line, this.settings.ban);
    try {
      this.dispatch(line);
    } catch (err) {
      // A bug in handling one message must cost this connection at most.
      this.log('error', `failed to handle ${preview(line)}: ${(err as Error).stack ?? String(err)}`);
      this.channel.close('internal error');
    }
  }

  /** A banned address gets one answer, with the id of whatever it sent first, and the door. */
  private refuseBanned(line: string, ban: Ban): void {
    this.note('banned', 'info', `refused: ${ban.reason}`);
    this.fail(requestIdOfText(line), bannedError(ban.reason, Math.max(1, Math.ceil((ban.until - Date.now()) / 1000))), true);
  }

  private dispatch(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.note('malformed', 'warn', `malformed JSON ${preview(line)}`);
      return this.fail(null, PoolErrors.malformedRequest, this.malformed());
    }
    if (!isPlainObject(message)) {
      this.note('malformed', 'warn', `request is not a JSON object: ${preview(line)}`);
      return this.fail(null, PoolErrors.malformedRequest, this.malformed());
    }
    const id = normalizeId(message.id);
    const method = message.method;
    // Replies from the miner (to client.get_version, say) carry no method; the official
    // pool would answer them with an error, which serominer cannot handle (stratum.md 11.2).
    // They do not count as activity either: only requests keep a session alive.
    if (method === undefined || method === null || method === '') {
      this.log('debug', `ignoring message without method: ${preview(line)}`);
      return;
    }
    this.touch();
    if (typeof method !== 'string') {
      this.note('malformed', 'warn', `method is not a string: ${preview(line)}`);
      return this.fail(id, PoolErrors.malformedRequest, this.malformed());
    }
    const params = message.params;
    switch (method) {
      case 'sero_submitLogin':
      case 'eth_submitLogin':
        return this.handleLogin(id, params, message);
      case 'sero_getWork':
      case 'eth_getWork':
        return this.handleGetWork(id);
      case 'sero_submitWork':
      case 'eth_submitWork':
        return this.handleSubmit(id, params, message.worker);
      case 'sero_submitHashrate':
      case 'eth_submitHashrate':
        return this.handleHashrate(id, params, message.worker);
      default:
        this.note('unknown method', 'info', `unknown method ${preview(method, 40)}`);
        return this.fail(id, PoolErrors.methodNotFound, this.malformed());
    }
  }

  private handleLogin(id: JsonRpcId, params: unknown, message: Record<string, unknown>): void {
    if (!Array.isArray(params) || params.length === 0) {
      this.note('malformed', 'info', 'login without params');
      return this.fail(id, PoolErrors.invalidParams, this.malformed());
    }
    const login = params[0];
    const loginOk =
      typeof login === 'string' &&
      login.length > 0 &&
      login.length <= MAX_LOGIN_LENGTH &&
      (this.settings.validateLogin === undefined || this.settings.validateLogin(login));
    if (!loginOk) {
      this.note('login refused', 'info', `login refused: ${describeValue(login)}`);
      return this.fail(id, PoolErrors.invalidLogin);
    }
    this.loginName = login;
    this.workerName = workerOf(message.worker, '0');
    this.wantsVotes = this.settings.voteNotices && Array.isArray(message.extensions) && message.extensions.includes(VOTES_EXTENSION);
    this.settings.onLogin();
    this.note('login', 'info', `logged in as ${login}.${this.workerName}${this.wantsVotes ? ' (vote notices on)' : ''}`);
    this.reply(id, true, this.wantsVotes ? { extensions: [VOTES_EXTENSION] } : undefined);
  }

  private handleGetWork(id: JsonRpcId): void {
    const work = this.settings.provider.currentWork();
    if (work === undefined) return this.fail(id, PoolErrors.workNotReady);
    this.settings.backlog.add(work);
    this.reply(id, workToWire(work));
  }

  private handleSubmit(id: JsonRpcId, params: unknown, workerField: unknown): void {
    if (this.loginName === undefined) return this.fail(id, PoolErrors.notSubscribed);
    if (!Array.isArray(params) || params.length !== 3) {
      this.note('malformed', 'info', 'share without exactly 3 params');
      return this.fail(id, PoolErrors.invalidParams, this.malformed());
    }
    let share: ParsedSubmission;
    try {
      share = parseSubmission(params, { lowercaseOnly: true });
    } catch (err) {
      const detail = (err as Error).message;
      this.note('malformed', 'warn', `malformed share: ${detail}`);
      return this.fail(id, { ...PoolErrors.malformedShare, data: detail }, this.malformed());
    }
    const work = this.settings.backlog.find(share.headerHex);
    const worker = workerOf(workerField, this.workerName);
    if (work === undefined) {
      // A job handed out a while ago is merely stale; a header never handed out is junk.
      if (this.settings.backlog.wasIssued(share.headerHex)) {
        this.note('stale share', 'info', `stale share from ${worker}: header ${share.headerHex} is not among the last jobs`);
        return this.reply(id, false);
      }
      this.note('invalid share', 'info', `share from ${worker} for header ${share.headerHex}, which this pool never handed out`);
      return this.answerVerdict(id, false, false);
    }
    const key = `${formatNonce(share.nonce)}:${share.headerHex}:${params[2] as string}`;
    if (!this.settings.duplicates.claim(key, work.height)) {
      this.note('duplicate share', 'info', `duplicate share from ${worker}: nonce ${formatNonce(share.nonce)}`);
      return this.answerDuplicate(id);
    }
    const context = {
      via: 'stratum' as const,
      login: this.loginName,
      worker,
      remoteAddress: this.channel.remoteAddress,
      notify: (event: BlockEvent) => this.sendBlockEvent(event, work, share.nonce),
    };
    // Each share waits for its PoW check; past the bound the connection is not read meanwhile.
    if (++this.sharesInFlight >= this.settings.maxSharesInFlight) this.channel.pauseReading('shares');
    Promise.resolve()
      .then(() => this.settings.provider.submit({ nonce: share.nonce, headerHash: share.headerHash, mixDigest: share.mixDigest, work }, context))
      .then(
        (outcome) => this.answerShare(id, outcome, key, work, worker),
        (err: unknown) => {
          this.settings.duplicates.release(key, work.height);
          this.log('error', `work provider failed on a share: ${(err as Error).message}`);
          this.reply(id, false);
        },
      )
      .finally(() => {
        if (--this.sharesInFlight < this.settings.maxSharesInFlight) this.channel.resumeReading('shares');
      });
  }

  private answerShare(id: JsonRpcId, outcome: SubmitOutcome, key: string, work: WorkPackage, worker: string): void {
    if (outcome.kind !== 'accepted') this.settings.duplicates.release(key, work.height);
    switch (outcome.kind) {
      case 'accepted':
        this.log(outcome.block ? 'info' : 'debug', `share accepted from ${worker} at height ${work.height}${outcome.block ? ' (block candidate)' : ''}`);
        return this.answerVerdict(id, true, true);
      case 'stale':
        this.note('stale share', 'info', `stale share from ${worker} at height ${work.height}`);
        return this.reply(id, false);
      case 'invalid':
        this.note('invalid share', 'info', `invalid share from ${worker}${outcome.reason ? `: ${outcome.reason}` : ''}`);
        return this.answerVerdict(id, false, false);
      case 'duplicate':
        return this.answerDuplicate(id);
    }
  }

  /**
   * The verdict goes to the ratio policy; when it trips the ban, the official pool answers a
   * valid share with -1 "High rate of invalid shares" and an invalid one with 23, and closes.
   */
  private answerVerdict(id: JsonRpcId, valid: boolean, result: boolean): void {
    if (this.strike(this.settings.policy.recordShare(this.channel.remoteHost, valid))) {
      return this.fail(id, valid ? PoolErrors.highInvalidRate : PoolErrors.invalidShare, true);
    }
    this.reply(id, result);
  }

  /** A duplicate counts as invalid for the ratio (official pool) and is answered 22. */
  private answerDuplicate(id: JsonRpcId): void {
    this.fail(id, PoolErrors.duplicateShare, this.strike(this.settings.policy.recordShare(this.channel.remoteHost, false)));
  }

  private handleHashrate(id: JsonRpcId, params: unknown, workerField: unknown): void {
    // The official pool ignores the values and always answers true.
    this.reply(id, true);
    if (this.loginName === undefined || this.settings.provider.submitHashrate === undefined) return;
    try {
      if (!Array.isArray(params) || params.length < 2) throw new Error('expected [rate, id]');
      const rate = parseLooseHexNumber(params[0], 'hashrate');
      const reporter = typeof params[1] === 'string' ? params[1] : '';
      this.settings.provider.submitHashrate({ rate, id: reporter, login: this.loginName, worker: workerOf(workerField, this.workerName), via: 'stratum' });
    } catch (err) {
      this.log('debug', `ignoring hashrate report: ${(err as Error).message}`);
    }
  }

  private sendBlockEvent(event: BlockEvent, work: WorkPackage, nonce: bigint): void {
    if (!this.wantsVotes || this.channel.closed) return;
    this.channel.send(blockNoticeLine(event, work, nonce));
  }

  private reply(id: JsonRpcId, result: unknown, extra?: Record<string, unknown>): void {
    this.channel.send(JSON.stringify({ id, jsonrpc: '2.0', result, ...extra }));
  }

  /** Error reply with `result: null`, then (like the official pool) close. */
  private fail(id: JsonRpcId, error: RpcErrorObject, alwaysClose = false): void {
    if (this.channel.closed) return;
    this.channel.send(JSON.stringify({ id, jsonrpc: '2.0', result: null, error }));
    if (alwaysClose || this.settings.closeOnError) this.channel.close(error.message);
  }
}

function workerOf(value: unknown, fallback: string): string {
  return typeof value === 'string' && WORKER_NAME.test(value) ? value : fallback;
}
