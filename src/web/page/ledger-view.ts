// The ledger as the page shows it: each chain (or pool, where no node said which chain) apart
// with its own counts and credit, then every block found, its votes as pips, its status and
// what it credited, newest first; the Blocks and Credited tiles are the chain being mined, never
// a sum of chains. The saved ledger is read from IndexedDB and drawn as soon as the page loads.
import { chainIdOf, chainLabel, type ChainLedger } from '../../miner/ledger-chains.js';
import { formatVotes } from '../../miner/ledger-log.js';
import { Ledger, type LedgerBlock, type LedgerRecord } from '../../miner/reward-ledger.js';
import type { Logger } from '../../util/log.js';
import { formatSero } from '../../util/sero-amount.js';
import { byId, element } from './dom.js';
import { IdbJournal } from './idb-journal.js';

/** The IndexedDB database of the ledger journal. */
export const LEDGER_DATABASE = 'sero-miner-ledger';

/** Rows shown; older blocks stay in the ledger. */
const MAX_ROWS = 50;

function shortNonce(nonce: string): string {
  return nonce.length > 12 ? `${nonce.slice(0, 8)}…${nonce.slice(-4)}` : nonce;
}

function votePips(votes: number, needed: number): HTMLElement {
  const pips = Array.from({ length: Math.max(needed, votes) }, (_, i) => element('span', i < votes ? 'pip on' : 'pip'));
  return element('span', 'pips', pips);
}

function row(block: LedgerBlock, chain: string): HTMLElement {
  const votes = element('td', '', [votePips(block.voters.length, block.votesNeeded), document.createTextNode(formatVotes(block.voters.length, block.votesNeeded))]);
  const status = element('td', '', [element('span', `badge ${block.status}`, block.status)]);
  if (block.reason) status.title = block.reason;
  const credit = block.status === 'confirmed' ? formatSero(block.credit) : block.status === 'pending' ? `(${formatSero(block.expectedCredit)})` : '0';
  const tr = element('tr', '', [
    element('td', '', block.height.toLocaleString('en-US')),
    element('td', 'mono', shortNonce(block.nonce)),
    votes,
    status,
    element('td', 'num', credit),
  ]);
  tr.title = chain;
  tr.dataset.status = block.status;
  tr.dataset.nonce = block.nonce;
  tr.dataset.height = String(block.height);
  tr.dataset.votes = String(block.voters.length);
  tr.dataset.credit = block.credit.toString();
  tr.dataset.chain = chainIdOf(block.origin) ?? 'unknown';
  return tr;
}

function chainItem(c: ChainLedger): HTMLElement {
  const t = c.totals;
  const li = element('li', '', [
    element('span', 'chain-label', chainLabel(c)),
    element('span', 'chain-counts', `${t.confirmed} confirmed · ${t.pending} pending · ${t.orphaned} orphaned · ${formatSero(t.credit)} SERO`),
  ]);
  li.dataset.chain = c.id;
  li.dataset.credit = formatSero(t.credit);
  return li;
}

/** Draws the ledger; `current` is the chain being mined (or about to be: the pool chosen), whose figures the tiles show. */
export function renderLedger(ledger: Ledger, current: string | undefined): void {
  const chains = ledger.chains();
  const labels = new Map(chains.map((c) => [c.id, chainLabel(c)]));
  byId('ledger-chains').replaceChildren(...chains.map(chainItem));
  const rows = [...ledger.list()].sort((a, b) => b.submittedAt - a.submittedAt).slice(0, MAX_ROWS)
    .map((b) => row(b, labels.get(chainIdOf(b.origin) ?? 'unknown') ?? ''));
  const body = byId('ledger-rows');
  if (rows.length === 0) body.replaceChildren(element('tr', 'empty', [element('td', '', 'No blocks yet.')]));
  else body.replaceChildren(...rows);
  if (rows.length === 0) (body.firstElementChild!.firstElementChild as HTMLTableCellElement).colSpan = 5;
  const mined = chains.find((c) => c.id === current);
  const t = mined?.totals;
  byId('mine-blocks').textContent = current === undefined ? '–' : `${t?.confirmed ?? 0} · ${t?.pending ?? 0} · ${t?.orphaned ?? 0}`;
  byId('mine-credit').textContent = current === undefined ? '–' : formatSero(t?.credit ?? 0n);
}

/** Calls of showSavedLedger so far: only the latest one draws. */
let readings = 0;

/** The ledger of earlier sessions, read from IndexedDB and drawn (unless a later reading began meanwhile). */
export async function showSavedLedger(log: Logger, current?: () => string | undefined): Promise<void> {
  const reading = ++readings;
  try {
    const journal = await IdbJournal.open<LedgerRecord>(LEDGER_DATABASE);
    const ledger = new Ledger(journal);
    if (reading === readings) renderLedger(ledger, current?.());
    ledger.close();
  } catch (error) {
    log('warn', `the saved ledger could not be read: ${(error as Error).message}`);
  }
}
