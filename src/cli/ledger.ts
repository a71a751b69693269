// `sero-miner ledger`: the blocks the miner found, their votes and outcome, and the SERO credited.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { Ledger } from '../miner/reward-ledger.js';
import { formatSero } from '../util/sero-amount.js';
import { escapeText } from '../util/log.js';

export function register(program: Command): void {
  program
    .command('ledger')
    .description('found blocks, their votes and credited SERO')
    .requiredOption('--datadir <dir>', 'the miner data directory')
    .option('--json', 'print JSON')
    .action((opts: { datadir: string; json?: boolean }) => {
      if (!existsSync(opts.datadir)) throw new Error(`datadir ${opts.datadir} does not exist`);
      const ledger = new Ledger(opts.datadir);
      const dropped = ledger.droppedWarning(false);
      if (dropped) console.error(`warning: ${dropped}`);
      if (opts.json) {
        console.log(JSON.stringify(ledger.toJSON()));
      } else {
        for (const b of ledger.list()) {
          const status = b.status === 'pending' ? 'found, unconfirmed' : b.status;
          console.log(`${b.height}  ${b.nonce}  ${status.padEnd(18)}  votes ${b.voters.length}/${b.votesNeeded}  credit ${formatSero(b.credit)} SERO${b.reason ? `  (${escapeText(b.reason)})` : ''}`);
        }
        const t = ledger.totals();
        console.log(`found ${t.pending + t.confirmed + t.orphaned}: ${t.pending} unconfirmed, ${t.confirmed} confirmed, ${t.orphaned} orphaned; credited ${formatSero(t.credit)} SERO`);
      }
      ledger.close();
    });
}
