// `sero-miner ledger`: the blocks the miner found, their votes and outcome, and the SERO credited.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { Ledger } from '../miner/reward-ledger.js';
import { formatSero } from '../util/sero-amount.js';

export function register(program: Command): void {
  program
    .command('ledger')
    .description('found blocks, their votes and credited SERO')
    .requiredOption('--datadir <dir>', 'the miner data directory')
    .option('--json', 'print JSON')
    .action((opts: { datadir: string; json?: boolean }) => {
      if (!existsSync(opts.datadir)) throw new Error(`datadir ${opts.datadir} does not exist`);
      const ledger = new Ledger(opts.datadir);
      if (opts.json) {
        console.log(JSON.stringify(ledger.toJSON()));
      } else {
        for (const b of ledger.list()) {
          console.log(`${b.height}  ${b.nonce}  ${b.status.padEnd(9)}  votes ${b.voters.length}  credit ${formatSero(b.credit)} SERO${b.reason ? `  (${b.reason})` : ''}`);
        }
        const t = ledger.totals();
        console.log(`pending ${t.pending}, confirmed ${t.confirmed}, orphaned ${t.orphaned}, credited ${formatSero(t.credit)} SERO`);
      }
      ledger.close();
    });
}
