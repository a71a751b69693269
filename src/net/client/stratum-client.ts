// Miner side of stratum1 / SERO-Proxy (stratum.md 2): login, first job by sero_getWork, then
// pushed jobs; shares by sero_submitWork; a hashrate report on a timer, which also keeps
// the official pool's idle deadline from expiring. Pool input is untrusted: anything
// malformed is logged and skipped, never thrown.
import { EventEmitter } from 'node:events';
import { formatNonce, formatPaddedHex } from '../../util/hex.js';
import { type JsonRpcId, errorText, isPlainObject, normalizeId } from '../wire/json-rpc.js';
import { type LineChannel, type LineConnector, MINER_MAX_LINE_BYTES, type TlsClientOptions } from '../wire/line-transport.js';
import { connectLineChannel } from './line-connector.js';
import { type Logger, preview, stderrLogger, withPrefix } from '../../util/log.js';
import { HashrateReporter, type HashrateReportSettings } from './hashrate-report.js';
import { LoginRefusedError, type PoolClient, type PoolClientEvents, type ShareResult, type ShareSubmission } from './pool-client.js';
import { submitShare } from './submit-share.js';
import { SubmittedShares } from './submitted-shares.js';
import { type PoolUri, describePoolUri } from '../wire/uri.js';
import { type CandidateNotice, type OutcomeNotice, type VoteNotice, CANDIDATE_METHOD, OUTCOME_METHOD, VOTES_EXTENSION, VOTE_METHOD, decodeCandidateNotice, decodeOutcomeNotice, decodeVoteNotice } from '../wire/vote-extension.js';
import { type WorkPackage, parseJob, sameWork } from '../wire/work.js';

export interface StratumClientOptions extends HashrateReportSettings {
  readonly uri: PoolUri;
  readonly logger?: Logger;
  readonly connectTimeoutMs?: number;
  /** Give up on a login, getWork or share reply after this long and reconnect (default 10 s). */
  readonly responseTimeoutMs?: number;
  readonly tls?: Omit<TlsClientOptions, 'tls12Only'>;
  readonly maxLineBytes?: number;
  /** Ask the pool for block-vote notices (default true; pools without the extension ignore it). */
  readonly voteNotices?: boolean;
  /** Answer to the pool's `client.get_version`. */
  readonly agent?: string;
  /** Opens the connection (default: line-connector.ts, Node's sockets; in the page bundle its browser twin, the browser's WebSocket). */
  readonly connector?: LineConnector;
}

/** serominer's fixed ids for the first messages (stratum.md 1). */
const LOGIN_ID = 1;
const GETWORK_ID = 5;
/** ethermine quirk: some pools answer the first message with id 999. */
const QUIRK_FIRST_REPLY_ID = 999;

interface PendingRequest {
  readonly method: string;
  readonly resolve: (reply: Record<string, unknown>) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class StratumClient extends EventEmitter<PoolClientEvents> implements PoolClient {
  readonly uri: PoolUri;
  private channel: LineChannel | undefined;
  private loggedIn = false;
  private closeRequested: string | undefined;
  private votes = false;
  private current: WorkPackage | undefined;
  private nextId = 10;
  private readonly pending = new Map<JsonRpcId, PendingRequest>();
  /** The shares submitted on this connection, so a block notice can be checked against them. */
  private readonly submitted = new SubmittedShares();
  private forgedNotices = 0;
  private readonly hashrate: HashrateReporter;
  private readonly log: Logger;
  private readonly responseTimeoutMs: number;

  constructor(private readonly options: StratumClientOptions) {
    super();
    this.uri = options.uri;
    this.log = withPrefix(options.logger ?? stderrLogger, `[pool ${describePoolUri(options.uri)}]`);
    this.responseTimeoutMs = options.responseTimeoutMs ?? 10_000;
    this.hashrate = new HashrateReporter(options, (rate, id) => {
      // serominer's form: 32 zero-padded digits, so the rate is capped to 128 bits
      const capped = rate >= 1n << 128n ? (1n << 128n) - 1n : rate;
      return this.request(this.nextId++, 'sero_submitHashrate', [formatPaddedHex(capped, 32), id], { jsonrpc: '2.0' });
    }, this.log);
  }

  get work(): WorkPackage | undefined {
    return this.current;
  }

  /** Whether the pool confirmed the block-vote extension at login. */
  get voteNoticesEnabled(): boolean {
    return this.votes;
  }

  async connect(): Promise<void> {
    if (this.channel !== undefined) throw new Error('stratum client is single-use: create a new one to reconnect');
    const { uri } = this;
    if (uri.protocol !== 'stratum1' || uri.transport === 'http') throw new Error(`${uri.scheme}:// is not a stratum URI`);
    const channel = await (this.options.connector ?? connectLineChannel)({
      transport: uri.transport,
      host: uri.host,
      port: uri.port,
      path: uri.path,
      tls: { ...this.options.tls, tls12Only: uri.tls12Only },
      timeoutMs: this.options.connectTimeoutMs ?? 10_000,
      maxLineBytes: this.options.maxLineBytes ?? MINER_MAX_LINE_BYTES,
    });
    this.channel = channel;
    if (this.closeRequested !== undefined) {
      channel.destroy(this.closeRequested);
      throw new Error(`connection to ${describePoolUri(uri)} abandoned: ${this.closeRequested}`);
    }
    channel.on('line', (line) => this.onLine(line));
    channel.on('oversize', (bytes) => this.log('warn', `skipped a line of ${bytes}+ bytes from the pool (limit ${this.options.maxLineBytes ?? MINER_MAX_LINE_BYTES})`));
    channel.once('close', (reason) => this.onClosed(reason));

    const wantVotes = this.options.voteNotices ?? true;
    const params = uri.password.length > 0 ? [uri.login, uri.password] : [uri.login];
    const reply = await this.request(LOGIN_ID, 'sero_submitLogin', params, { extensions: wantVotes ? [VOTES_EXTENSION] : undefined });
    if ((reply.error !== undefined && reply.error !== null) || reply.result === false) {
      this.close('login refused');
      throw new LoginRefusedError(describePoolUri(uri), uri.login, reply.result === false ? 'result false' : errorText(reply.error));
    }
    this.loggedIn = true;
    this.votes = wantVotes && Array.isArray(reply.extensions) && reply.extensions.includes(VOTES_EXTENSION);
    this.log('info', `logged in as ${uri.login}${uri.worker !== undefined ? `.${uri.worker}` : ''}`);
    this.hashrate.start();
    this.request(GETWORK_ID, 'sero_getWork', []).then(
      (workReply) => {
        if (workReply.error !== undefined && workReply.error !== null) this.log('warn', `pool has no work yet: ${errorText(workReply.error)}`);
        else if (Array.isArray(workReply.result)) this.onJob(workReply.result);
        else this.log('warn', `sero_getWork reply carries no job: ${preview(JSON.stringify(workReply))}`);
      },
      () => {},
    );
  }

  submit(share: ShareSubmission): Promise<ShareResult> {
    const channel = this.channel;
    this.submitted.remember(share);
    return submitShare(share, {
      connected: this.loggedIn && channel !== undefined && !channel.closed,
      peer: 'pool',
      send: (params) => this.request(this.nextId++, 'sero_submitWork', params),
      current: () => this.current,
      log: this.log,
    }, (result) => this.emit('share', result));
  }

  close(reason = 'closed by miner'): void {
    this.closeRequested ??= reason;
    this.channel?.close(reason);
  }

  private request(id: number, method: string, params: unknown[], extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const channel = this.channel;
    if (channel === undefined || channel.closed) return Promise.reject(new Error('not connected'));
    const message: Record<string, unknown> = { id, method, params };
    if (this.uri.worker !== undefined && method !== 'sero_getWork') message.worker = this.uri.worker;
    for (const [key, value] of Object.entries(extra)) if (value !== undefined) message[key] = value;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const err = new Error(`no reply to ${method} within ${this.responseTimeoutMs} ms`);
        this.log('warn', err.message);
        reject(err);
        // A silent pool is a dead pool for everything except the hashrate report.
        if (method !== 'sero_submitHashrate') this.close('response timeout');
      }, this.responseTimeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      channel.send(JSON.stringify(message));
    });
  }

  private onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.log('warn', `ignoring unparseable line from pool: ${preview(line)}`);
      return;
    }
    if (!isPlainObject(message)) {
      this.log('warn', `ignoring non-object message from pool: ${preview(line)}`);
      return;
    }
    if (message.jsonrpc !== undefined && message.jsonrpc !== '2.0') {
      this.log('warn', `ignoring message with jsonrpc ${preview(String(message.jsonrpc), 20)}: ${preview(line)}`);
      return;
    }
    if (typeof message.method === 'string' && message.method !== '') return this.onPoolMethod(message.method, message);
    const id = message.id;
    if (id === 0 || id === null || id === undefined) {
      if (Array.isArray(message.result)) this.onJob(message.result);
      else this.log('warn', `ignoring notification without a job: ${preview(line)}`);
      return;
    }
    const key = normalizeId(id);
    let pending = this.pending.get(key);
    if (pending === undefined && key === QUIRK_FIRST_REPLY_ID && !this.loggedIn) pending = this.pending.get(LOGIN_ID);
    if (pending === undefined) {
      this.log('debug', `ignoring reply to unknown id ${preview(String(key), 20)}`);
      return;
    }
    const pendingId = this.pending.get(key) === pending ? key : LOGIN_ID;
    clearTimeout(pending.timer);
    this.pending.delete(pendingId);
    pending.resolve(message);
  }

  private onPoolMethod(method: string, message: Record<string, unknown>): void {
    const id = normalizeId(message.id);
    const expectsReply = id !== null && id !== 0;
    switch (method) {
      case CANDIDATE_METHOD:
      case VOTE_METHOD:
      case OUTCOME_METHOD:
        this.onNotice(method, message.params);
        return;
      case 'mining.notify':
        // Nanopool's variant: params = [jobId, header, seed, target, height].
        if (Array.isArray(message.params) && message.params.length >= 2) this.onJob(message.params.slice(1));
        else this.log('warn', `ignoring mining.notify without job params: ${preview(JSON.stringify(message))}`);
        return;
      case 'client.get_version':
        if (expectsReply) this.channel?.send(JSON.stringify({ id, jsonrpc: '2.0', result: this.options.agent ?? 'sero-miner' }));
        return;
      default:
        this.log('info', `pool sent unknown method ${preview(method, 60)}`);
        if (expectsReply) this.channel?.send(JSON.stringify({ id, jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' } }));
    }
  }

  /**
   * A block notice: what the pool sent wrong is the pool's malformed input; what goes wrong here
   * while handling a well-formed one (the ledger, say) is ours, and said so.
   */
  private onNotice(method: string, params: unknown): void {
    let event: 'candidate' | 'vote' | 'outcome';
    let notice: CandidateNotice | VoteNotice | OutcomeNotice;
    try {
      if (method === CANDIDATE_METHOD) [event, notice] = ['candidate', decodeCandidateNotice(params)];
      else if (method === VOTE_METHOD) [event, notice] = ['vote', decodeVoteNotice(params)];
      else [event, notice] = ['outcome', decodeOutcomeNotice(params)];
    } catch (err) {
      this.log('warn', `ignoring malformed ${method}: ${(err as Error).message}`);
      return;
    }
    try {
      this.emitNotice(event, notice);
    } catch (err) {
      this.log('error', `handling the pool's ${method} for nonce ${formatNonce(notice.nonce)} at height ${notice.height} failed here, not at the pool: ${(err as Error).message}`);
    }
  }

  /** A block notice counts only for a share submitted on this connection, for the header it names. */
  private emitNotice(event: 'candidate' | 'vote' | 'outcome', notice: CandidateNotice | VoteNotice | OutcomeNotice): void {
    const share = this.submitted.match(notice);
    if (share !== undefined) {
      this.emit(event, { ...notice, share } as never);
      return;
    }
    // Said once loudly, then quietly: a pool sending these may send many.
    this.log(this.forgedNotices++ === 0 ? 'warn' : 'debug', `ignoring a block ${event} notice for nonce ${formatNonce(notice.nonce)} at height ${notice.height}: no such share was submitted on this connection`);
  }

  private onJob(values: readonly unknown[]): void {
    const parsed = parseJob(values);
    if (!parsed.ok) {
      this.log('warn', `refusing job: ${parsed.reason}`);
      return;
    }
    if (sameWork(parsed.work, this.current)) return;
    this.current = parsed.work;
    this.log('debug', `new job ${parsed.work.jobId.slice(0, 18)}… at height ${parsed.work.height}`);
    this.emit('work', parsed.work);
  }

  private onClosed(reason: string): void {
    this.hashrate.stop();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(new Error(`connection closed before the reply to ${pending.method} (${reason})`));
    }
    const wasLoggedIn = this.loggedIn;
    this.loggedIn = false;
    if (wasLoggedIn) {
      this.log('info', `disconnected: ${reason}`);
      this.emit('disconnected', reason);
    }
  }
}
