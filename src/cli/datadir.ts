// Where the miner keeps its files: one default data directory for `mine` and `ledger`, the
// embedded devnet's own directory inside it (its chain, and its ledger apart from real pools'),
// and the ledgers a data directory holds.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LEDGER_FILE } from '../miner/reward-ledger.js';

/** `mine` and `ledger` read and write here unless --datadir says otherwise. */
export const DEFAULT_DATADIR = path.join(os.homedir(), '.sero-miner');

/** The embedded devnet's directory: its chain store, and the ledger of the blocks mined on it. */
export function devnetDirOf(datadir: string): string {
  return path.join(datadir, 'devnet');
}

/** Where `mine` keeps its ledger: the data directory for real pools, the devnet's directory when it mines on the embedded devnet. */
export function ledgerDirOf(datadir: string, embeddedDevnet: boolean): string {
  return embeddedDevnet ? devnetDirOf(datadir) : datadir;
}

export interface LedgerPlace {
  readonly dir: string;
  readonly file: string;
  /** The embedded devnet's ledger. */
  readonly devnet: boolean;
}

/** The ledgers kept under a data directory that exist: real pools' first, then the embedded devnet's. */
export function ledgersIn(datadir: string): LedgerPlace[] {
  return [false, true]
    .map((devnet) => {
      const dir = ledgerDirOf(datadir, devnet);
      return { dir, file: path.join(dir, LEDGER_FILE), devnet };
    })
    .filter((place) => existsSync(place.file));
}
