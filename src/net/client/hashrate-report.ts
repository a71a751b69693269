// The hashrate report every pool client sends on a timer (sero_submitHashrate): the miner's
// current rate and the client's id, a refusal logged at debug. How the rate is written is the
// client's: serominer's 32 zero-padded digits to a pool, a compact quantity to gero.
import { randomBytes } from 'node:crypto';
import { bytesTo0x } from '../../util/hex.js';
import { errorText } from '../wire/json-rpc.js';
import type { Logger } from '../../util/log.js';
import { unrefTimer } from '../../util/timers.js';
import type { HashrateSource } from './pool-client.js';

export interface HashrateReportSettings {
  /** Hashrate report cadence (default 60 s, as serominer). */
  readonly hashrateIntervalMs?: number;
  /** Current hashrate; 0 is reported when absent (the report doubles as a keep-alive). */
  readonly hashrate?: HashrateSource;
  /** `0x` + 64 hex id sent with every hashrate report; random per client when absent. */
  readonly hashrateId?: string;
}

/** Sends one report: resolves with the reply object, rejects when none comes. */
export type SendHashrate = (rate: bigint, id: string) => Promise<Record<string, unknown>>;

export class HashrateReporter {
  /** Stays the same across reconnections, so the pool keeps one entry per client. */
  readonly id: string;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly settings: HashrateReportSettings, private readonly send: SendHashrate, private readonly log: Logger) {
    this.id = settings.hashrateId ?? bytesTo0x(randomBytes(32));
  }

  start(): void {
    this.stop();
    this.timer = unrefTimer(setInterval(() => this.report(), this.settings.hashrateIntervalMs ?? 60_000));
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The source's rate as a whole non-negative number of H/s (0 without a source or for NaN). */
  currentRate(): bigint {
    const raw = this.settings.hashrate?.() ?? 0;
    return typeof raw === 'bigint' ? raw : BigInt(Math.max(0, Math.floor(Number.isFinite(raw) ? raw : 0)));
  }

  private report(): void {
    this.send(this.currentRate(), this.id).then(
      (reply) => {
        if (reply.error !== undefined && reply.error !== null) this.log('debug', `hashrate report refused: ${errorText(reply.error)}`);
      },
      (err: unknown) => this.log('debug', `hashrate report failed: ${(err as Error).message}`),
    );
  }
}
