// The ledger as the page shows it: every block found, its votes as pips, its status and what
// it credited, newest first.
import type { LedgerBlock } from '../../miner/reward-ledger.js';
import { formatSero } from '../../util/sero-amount.js';
import { byId, element } from './dom.js';

/** Rows shown; older blocks stay in the ledger. */
const MAX_ROWS = 50;

function shortNonce(nonce: string): string {
  return nonce.length > 12 ? `${nonce.slice(0, 8)}…${nonce.slice(-4)}` : nonce;
}

function votePips(votes: number, needed: number): HTMLElement {
  const pips = Array.from({ length: Math.max(needed, votes) }, (_, i) => element('span', i < votes ? 'pip on' : 'pip'));
  return element('span', 'pips', pips);
}

function row(block: LedgerBlock, votesNeeded: number): HTMLElement {
  const votes = element('td', '', [votePips(block.voters.length, votesNeeded), document.createTextNode(`${block.voters.length}/${votesNeeded}`)]);
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
  tr.dataset.status = block.status;
  tr.dataset.nonce = block.nonce;
  tr.dataset.height = String(block.height);
  tr.dataset.votes = String(block.voters.length);
  tr.dataset.credit = block.credit.toString();
  return tr;
}

export function renderLedger(blocks: readonly LedgerBlock[], votesNeeded: number): void {
  const rows = [...blocks].reverse().slice(0, MAX_ROWS).map((b) => row(b, votesNeeded));
  const body = byId('ledger-rows');
  if (rows.length === 0) body.replaceChildren(element('tr', 'empty', [element('td', '', 'No blocks yet.')]));
  else body.replaceChildren(...rows);
  if (rows.length === 0) (body.firstElementChild!.firstElementChild as HTMLTableCellElement).colSpan = 5;
}
