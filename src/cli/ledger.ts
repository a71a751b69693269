// `sero-miner ledger`: the blocks the miner found, their votes and outcome, and the SERO credited,
// each chain apart (real pools' ledger and the embedded devnet's), never summed across chains.
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { Ledger } from '../miner/reward-ledger.js';
import { chainLabel, type ChainLedger } from '../miner/ledger-chains.js';
import { formatVotes } from '../miner/ledger-log.js';
import { formatSero } from '../util/sero-amount.js';
import { escapeText } from '../util/log.js';
import { DEFAULT_DATADIR, ledgersIn, type LedgerPlace } from './datadir.js';
import { EXIT_CODES, ExitError } from './exit-codes.js';

interface LedgerOptions {
  datadir: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('ledger')
    .description('found blocks, their votes and credited SERO, each chain apart')
    .option('--datadir <dir>', 'the miner data directory (mine\'s)', DEFAULT_DATADIR)
    .option('--json', 'print JSON')
    .action((opts: LedgerOptions, cmd: Command) => {
      if (!existsSync(opts.datadir)) {
        // a fresh machine has found nothing yet; a directory named that is not there is a mistake
        if (cmd.getOptionValueSource('datadir') !== 'default') throw new ExitError(`datadir ${opts.datadir} does not exist`, EXIT_CODES.runtime);
      } else if (!statSync(opts.datadir).isDirectory()) {
        throw new ExitError(`datadir ${opts.datadir} is not a directory`, EXIT_CODES.runtime);
      }
      const chains = ledgersIn(opts.datadir).flatMap(readChains);
      if (opts.json) {
        console.log(JSON.stringify({ chains: chains.map(({ place, json }) => ({ ...json, ledger: place.file, devnet: place.devnet })) }));
        return;
      }
      if (chains.length === 0) console.log(`no blocks found yet (no ledger in ${opts.datadir})`);
      chains.forEach(({ place, chain }, i) => {
        if (i > 0) console.log('');
        console.log(`${chainLabel(chain)}\n  ${place.devnet ? 'the embedded devnet\'s ledger' : 'ledger'} ${place.file}`);
        for (const b of chain.blocks) {
          console.log(`  ${b.height}  ${b.nonce}  ${b.status.padEnd(9)}  votes ${formatVotes(b.voters.length, b.votesNeeded).padEnd(5)}  credit ${formatSero(b.credit)} SERO${b.reason ? `  (${escapeText(b.reason)})` : ''}`);
        }
        const t = chain.totals;
        console.log(`  found ${t.pending + t.confirmed + t.orphaned}: ${t.pending} pending, ${t.confirmed} confirmed, ${t.orphaned} orphaned; credited ${formatSero(t.credit)} SERO`);
      });
    });
}

/** One ledger's chains; a damaged journal is a runtime error (exit 2) naming file and line. */
function readChains(place: LedgerPlace): { place: LedgerPlace; chain: ChainLedger; json: object }[] {
  let ledger: Ledger;
  try {
    ledger = new Ledger(place.dir);
  } catch (err) {
    throw new ExitError((err as Error).message, EXIT_CODES.runtime);
  }
  try {
    const dropped = ledger.droppedWarning(false);
    if (dropped) console.error(`warning: ${dropped}`);
    const json = ledger.toJSON().chains;
    return ledger.chains().map((chain, i) => ({ place, chain, json: json[i]! }));
  } finally {
    ledger.close();
  }
}
