// The per-height transition before a block applies (go-sero's ProcessBeforeApply) and income settlement.
import { payIncome, refundToShare } from './accounting.js';
import { payRemedy, settleVotes } from './block-rewards.js';
import { releasePledgeIfDue } from './pledge.js';
import type { StakeState } from './state.js';
import type { BlockRecord } from './types.js';

/**
 * go-sero's ProcessBeforeApply(N), in its order: take the parent's drawn tickets out of the tree
 * and settle its votes, expire old tickets, write off old unvoted selections, insert the parent's
 * purchases, pay due income, pay the late-vote bonus, update the miss statistics.
 */
export function prepareHeight(state: StakeState, height: number): void {
  const start = state.profile.stakingStartHeight;
  const last = state.lastBlock;
  if (last && last.height >= start) {
    takeDrawnTickets(state, height, last);
    settleVotes(state, height, last);
  }
  expireTickets(state, height);
  writeOffUnvotedTickets(state, height);
  insertPurchases(state, height);
  settleIncome(state, height);
  if (last) payRemedy(state, height, last);
  updateMissStatistics(state, last);
  if (state.profile.name === 'seed') {
    // seed pledges also wait for the locking window, which can end on a block with no other event.
    for (const node of state.nodes.values()) releasePledgeIfDue(state, height, node);
  }
  pruneHistory(state, height);
}

function takeDrawnTickets(state: StakeState, height: number, record: BlockRecord): void {
  for (const { shareId } of record.selection) {
    const share = state.share(shareId);
    share.liveTickets -= 1;
    share.owedVotes += 1;
    state.touchShare(share, height);
    if (share.nodeId) {
      const node = state.node(share.nodeId);
      node.liveTickets -= 1;
      node.owedVotes += 1;
      node.selectedTickets += 1;
      node.unvotedSelections += 1;
      state.touchNode(node, height);
    }
  }
  // All three were resolved against the unchanged tree; only now do they leave it.
  for (const { shareId } of record.selection) state.tree.remove(shareId, 1);
}

function expireTickets(state: StakeState, height: number): void {
  const boughtAt = height - state.profile.windows.outOfDate;
  if (boughtAt < state.profile.stakingStartHeight) return;
  for (const share of state.sharesBoughtAt(boughtAt)) {
    if (share.status !== 'valid') continue;
    const tickets = share.liveTickets;
    share.status = 'out-of-date';
    state.touchShare(share, height);
    if (tickets === 0) continue;
    state.tree.remove(share.id, tickets);
    share.liveTickets = 0;
    share.expiredTickets = tickets;
    if (share.nodeId) {
      const node = state.node(share.nodeId);
      node.liveTickets -= tickets;
      node.expiredTickets += tickets;
      state.touchNode(node, height);
      releasePledgeIfDue(state, height, node);
    }
    refundToShare(state, height, share, 'ticket-expired', share.price * BigInt(tickets));
  }
}

function writeOffUnvotedTickets(state: StakeState, height: number): void {
  const boughtAt = height - state.profile.windows.missVoted;
  if (boughtAt < state.profile.stakingStartHeight) return;
  for (const share of state.sharesBoughtAt(boughtAt)) {
    if (share.status === 'finished') continue;
    const owed = share.owedVotes;
    share.status = 'finished';
    share.owedVotes = 0;
    state.touchShare(share, height);
    if (owed === 0) continue;
    if (share.nodeId) {
      const node = state.node(share.nodeId);
      node.owedVotes -= owed;
      state.touchNode(node, height);
      releasePledgeIfDue(state, height, node);
    }
    refundToShare(state, height, share, 'vote-written-off', share.price * BigInt(owed));
  }
}

function insertPurchases(state: StakeState, height: number): void {
  for (const share of state.sharesBoughtAt(height - 1)) {
    if (share.liveTickets === 0) continue;
    state.tree.insert(share.id, share.liveTickets);
    if (share.nodeId) {
      const node = state.node(share.nodeId);
      node.liveTickets += share.liveTickets;
      state.touchNode(node, height);
    }
  }
}

/** Pays the income of every share and node touched one pay window ago, at most once per window. */
function settleIncome(state: StakeState, height: number): void {
  const window = state.profile.windows.pay;
  const touchedAt = height - window;
  if (touchedAt < state.profile.stakingStartHeight) return;
  for (const key of state.touched.get(touchedAt) ?? []) {
    const [kind, id] = key.split(':') as ['share' | 'node', string];
    const holder = kind === 'share' ? state.share(id) : state.node(id);
    if (holder.income > 0n && height - holder.lastPayHeight >= window) payIncome(state, height, holder, kind);
  }
}

function updateMissStatistics(state: StakeState, last: BlockRecord | null): void {
  const start = state.profile.stakingStartHeight;
  if (!last || last.height < start) return;
  const missed = Math.max(0, 3 - last.votes.length - last.parentVotes.length);
  state.missHistory.set(last.height, missed);
  state.missedVotes += missed;
  const window = state.profile.windows.statistics;
  if (last.height >= start + window) state.missedVotes -= state.missHistory.get(last.height - window) ?? 0;
}

function pruneHistory(state: StakeState, height: number): void {
  const { windows } = state.profile;
  for (const touchedAt of state.touched.keys()) if (touchedAt < height - windows.pay) state.touched.delete(touchedAt);
  for (const missedAt of state.missHistory.keys()) if (missedAt < height - 1 - windows.statistics) state.missHistory.delete(missedAt);
  state.nodeStats.prune(height - windows.statistics);
  const settledBefore = height - Math.max(windows.outOfDate, windows.missVoted);
  for (const boughtAt of state.sharesByHeight.keys()) if (boughtAt < settledBefore) state.sharesByHeight.delete(boughtAt);
}
