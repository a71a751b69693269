// The hashrates miners report (stratum and eth_submitHashrate), summed over the last two minutes.
import type { HashrateReport } from '../net/server/provider.js';

/** How long a reported hashrate counts towards the total. */
const HASHRATE_TTL_MS = 2 * 60_000;

export class ReportedHashrates {
  private readonly reports = new Map<string, { rate: bigint; at: number }>();

  constructor(private readonly now: () => number) {}

  /** Keeps the reporter's latest rate; a reporter is its transport, login and miner id. */
  record(report: HashrateReport): void {
    this.reports.set(`${report.via}:${report.login}:${report.id}`, { rate: report.rate, at: this.now() });
  }

  /** Sum of the rates reported in the last two minutes; older reports are dropped. */
  total(): bigint {
    const cutoff = this.now() - HASHRATE_TTL_MS;
    let total = 0n;
    for (const [id, report] of this.reports) {
      if (report.at < cutoff) this.reports.delete(id);
      else total += report.rate;
    }
    return total;
  }
}
