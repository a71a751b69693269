// What the ledger says in the log: one line per change of a found block (found, each new vote,
// settled), each naming the block by height and nonce and counting its votes out of what its
// rules need; a pool outcome the chain contradicts, once; and the journal's writes failing
// (naming the file) and succeeding again. Browser-safe: the page logs the same lines.
import { formatSero } from '../util/sero-amount.js';
import { escapeText, type Logger } from '../util/log.js';
import type { BlockTracker } from './block-tracker.js';
import type { Ledger, LedgerBlock } from './reward-ledger.js';

/** A block as the log names it: two blocks at one height stay apart. */
export const blockName = (b: Pick<LedgerBlock, 'height' | 'nonce'>): string => `block ${b.height} (${b.nonce})`;

/** Votes out of the rules' need: 2/3, and past it (mainnet needs 2 of the 3 drawn) 3 (2 needed). */
export const formatVotes = (votes: number, needed: number): string => (votes <= needed ? `${votes}/${needed}` : `${votes} (${needed} needed)`);

const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;

export function logBlocks(tracker: BlockTracker, log: Logger): void {
  const reasonOf = (text: string | undefined) => (text === undefined ? '' : ` (${escapeText(text)})`);
  tracker.on('pending', (b) => log('info', `${blockName(b)} found: waiting for its share votes (${b.votesNeeded} needed)`));
  tracker.on('vote', (b, votes) => log('info', `${blockName(b)}: vote ${formatVotes(votes, b.votesNeeded)}`));
  tracker.on('confirmed', (b) => log('info', `${blockName(b)} confirmed: +${formatSero(b.credit)} SERO`));
  tracker.on('orphaned', (b) => log('warn', `${blockName(b)} orphaned (${escapeText(b.reason ?? 'no reason given')}): no credit`));
  // the chain decides: the pool's word is news only where the chain says otherwise
  tracker.on('overruled', (b, o) => log('debug', `${blockName(b)}: the pool says ${o.status}${reasonOf(o.reason)}; the chain decides`));
  tracker.on('contradiction', (b, o) => log('warn', `${blockName(b)}: the pool says ${o.status}${reasonOf(o.reason)} but the chain has it ${b.status}: a contradiction; the chain decides`));
}

export function logLedgerHealth(ledger: Ledger, log: Logger): void {
  let held = 0;
  ledger.onHealthChange((health) => {
    if (!health.ok) {
      held = health.unsaved;
      log('error', `ledger: cannot write ${health.file} (${escapeText(health.error ?? 'unknown error')}): ${records(health.unsaved)} kept in memory and retried until it can`);
    } else {
      log('info', `ledger: ${health.file} written again (the ${records(held)} held, and every one since)`);
    }
  });
}

/** Said when the miner stops: records that could not be written by then are lost with the process. */
export function unsavedWarning(ledger: Ledger): string | undefined {
  const { ok, unsaved, file, error } = ledger.health;
  return ok ? undefined : `ledger: ${records(unsaved)} could not be written to ${file} (${escapeText(error ?? 'unknown error')}) and are lost as the miner stops`;
}
