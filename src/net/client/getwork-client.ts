// Miner side of getwork over HTTP (stratum.md 8): poll sero_getWork, submit with
// sero_submitWork, report the hashrate in compact hex (gero rejects zero padding).
// One POST per connection, as serominer does.
import { EventEmitter } from 'node:events';
import { formatQuantity } from '../../util/hex.js';
import { errorText } from '../wire/json-rpc.js';
import { postJsonRpc, type HttpEndpoint } from '../wire/json-rpc-http.js';
import { type Logger, preview, stderrLogger, withPrefix } from '../../util/log.js';
import { HashrateReporter, type HashrateReportSettings } from './hashrate-report.js';
import type { PoolClient, PoolClientEvents, ShareResult, ShareSubmission } from './pool-client.js';
import { submitShare } from './submit-share.js';
import { type PoolUri, describePoolUri } from '../wire/uri.js';
import { type WorkPackage, parseJob, sameWork } from '../wire/work.js';

export interface GetworkClientOptions extends HashrateReportSettings {
  readonly uri: PoolUri;
  readonly logger?: Logger;
  /** Delay between polls after a good reply (serominer's --farm-recheck, 500 ms). */
  readonly pollIntervalMs?: number;
  /** Delay after an error reply such as "mining not ready" (serominer waits 30 s). */
  readonly errorRetryMs?: number;
  readonly requestTimeoutMs?: number;
}

export class GetworkClient extends EventEmitter<PoolClientEvents> implements PoolClient {
  readonly uri: PoolUri;
  private readonly endpoint: HttpEndpoint;
  private current: WorkPackage | undefined;
  private running = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private readonly hashrate: HashrateReporter;

  constructor(private readonly options: GetworkClientOptions) {
    super();
    this.uri = options.uri;
    this.endpoint = { host: options.uri.host, port: options.uri.port, path: options.uri.path };
    this.log = withPrefix(options.logger ?? stderrLogger, `[getwork ${describePoolUri(options.uri)}]`);
    // gero parses the rate strictly: a compact quantity, no zero padding
    this.hashrate = new HashrateReporter(options, (rate, id) => this.call(9, 'sero_submitHashrate', [formatQuantity(rate), id]), this.log);
  }

  get work(): WorkPackage | undefined {
    return this.current;
  }

  /** Resolves once the node answered a first sero_getWork (even with "not ready"). */
  async connect(): Promise<void> {
    if (this.uri.protocol !== 'getwork') throw new Error(`${this.uri.scheme}:// is not a getwork URI`);
    if (this.running) throw new Error('getwork client already connected');
    const reply = await this.call(1, 'sero_getWork', []);
    this.running = true;
    const delay = this.onWorkReply(reply);
    this.schedulePoll(delay);
    this.hashrate.start();
    this.log('info', 'connected');
  }

  submit(share: ShareSubmission): Promise<ShareResult> {
    return submitShare(share, {
      connected: this.running,
      peer: 'node',
      send: (params) => this.call(40 + (share.device ?? 0), 'sero_submitWork', params),
      current: () => this.current,
      log: this.log,
    }, (result) => this.emit('share', result));
  }

  close(reason = 'closed by miner'): void {
    this.stop(reason);
  }

  private stop(reason: string): void {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.pollTimer);
    this.hashrate.stop();
    this.log('info', `disconnected: ${reason}`);
    this.emit('disconnected', reason);
  }

  private schedulePoll(delayMs: number): void {
    if (!this.running) return;
    this.pollTimer = setTimeout(() => {
      this.call(1, 'sero_getWork', []).then(
        (reply) => {
          if (this.running) this.schedulePoll(this.onWorkReply(reply));
        },
        (err: unknown) => this.stop((err as Error).message),
      );
    }, delayMs);
  }

  /** Handles a getWork reply and returns the delay before the next poll. */
  private onWorkReply(reply: Record<string, unknown>): number {
    const pollMs = this.options.pollIntervalMs ?? 500;
    if (reply.error !== undefined && reply.error !== null) {
      this.log('warn', `node has no work: ${errorText(reply.error)}`);
      return this.options.errorRetryMs ?? 30_000;
    }
    if (!Array.isArray(reply.result)) {
      this.log('warn', `sero_getWork reply carries no job: ${preview(JSON.stringify(reply))}`);
      return this.options.errorRetryMs ?? 30_000;
    }
    const parsed = parseJob(reply.result);
    if (!parsed.ok) {
      this.log('warn', `refusing job: ${parsed.reason}`);
      return pollMs;
    }
    if (!sameWork(parsed.work, this.current)) {
      this.current = parsed.work;
      this.emit('work', parsed.work);
    }
    return pollMs;
  }

  /** One JSON-RPC call on a fresh connection; rejects on transport failure or a non-200 status. */
  private call(id: number, method: string, params: unknown[]): Promise<Record<string, unknown>> {
    return postJsonRpc(this.endpoint, id, method, params, this.options.requestTimeoutMs ?? 10_000);
  }
}
