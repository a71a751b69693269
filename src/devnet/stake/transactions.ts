// Stake transactions inside a block: ticket purchases, StakingNode registration and closing.
import { quotePurchase } from '../../chain/ticket-pricing.js';
import { derivedTxHash, nodeIdOf, shareIdOf } from './ids.js';
import { isPledgeDue } from './pledge.js';
import type { StakeState } from './state.js';
import type { StakeTx, StakingNode, TxResult } from './types.js';
import { isVoteKey } from './vote-keys.js';
import { isStakingActive } from './vote-rules.js';

/** Tickets bought earlier in the block being built; they count towards the price but are not in the tree yet. */
export function pendingTickets(state: StakeState, height: number): number {
  return state.sharesBoughtAt(height).reduce((sum, share) => sum + share.initialTickets, 0);
}

/** Applies one stake transaction of block `height`; a failed one changes nothing and returns its value. */
export function applyTransaction(state: StakeState, height: number, tx: StakeTx, index: number): TxResult {
  const txHash = tx.txHash ?? derivedTxHash(height, index, tx.type, tx.from);
  const value = tx.type === 'close-node' ? 0n : tx.value;
  const fail = (error: string): TxResult => ({ ok: false, type: tx.type, txHash, error, refunded: value });
  if (!isStakingActive(state, height)) return fail(`staking starts at height ${state.profile.stakingStartHeight}`);
  if (value < 0n) return fail('negative value');
  switch (tx.type) {
    case 'buy-share':
      return buyShare(state, height, tx, txHash, fail);
    case 'register-node':
      return registerNode(state, height, tx, txHash, fail);
    case 'close-node':
      return closeNode(state, height, tx, txHash, fail);
  }
}

type Fail = (error: string) => TxResult;

type TxOf<T extends StakeTx['type']> = Extract<StakeTx, { type: T }>;

function buyShare(state: StakeState, height: number, tx: TxOf<'buy-share'>, txHash: string, fail: Fail): TxResult {
  let node: StakingNode | null = null;
  if (tx.nodeId !== undefined) {
    node = state.nodes.get(tx.nodeId) ?? null;
    if (!node) return fail('unknown StakingNode');
    if (node.closed) return fail('StakingNode is closed');
  }
  // seed: a ticket delegated to a node is voted by the node only; otherwise by the buyer's own key.
  const voteKey = state.profile.name === 'seed' && node ? null : (tx.voteKey ?? null);
  if (voteKey === null && !node) return fail('a solo purchase needs the buyer vote key');
  if (voteKey === null && state.profile.name === 'mainnet') return fail('mainnet purchases need a vote key');
  if (voteKey !== null && !isVoteKey(voteKey)) return fail('vote key must be 32 bytes of lowercase hex');

  const quote = quotePurchase(state.profile.pricing, tx.value, state.tree.size + pendingTickets(state, height));
  if (quote.tickets === 0) return fail('value is below the ticket price');
  const identity = {
    owner: tx.from,
    voteKey,
    txHash,
    nodeId: node?.id ?? null,
    price: quote.averagePrice,
    boughtAt: height,
    initialTickets: quote.tickets,
    feeRate: node?.feeRate ?? 0,
  };
  const share = {
    ...identity,
    id: shareIdOf(identity),
    liveTickets: quote.tickets,
    owedVotes: 0,
    expiredTickets: 0,
    status: 'valid' as const,
    income: 0n,
    profit: 0n,
    lastPayHeight: 0,
  };
  if (state.shares.has(share.id)) return fail('duplicate purchase');
  state.addShare(share);
  state.touchShare(share, height);
  state.ledger.recordLock(height, tx.from, { kind: 'share', id: share.id }, 'ticket-purchase', quote.charged);
  return { ok: true, type: 'buy-share', txHash, shareId: share.id, ...quote };
}

function registerNode(state: StakeState, height: number, tx: TxOf<'register-node'>, txHash: string, fail: Fail): TxResult {
  if (!isVoteKey(tx.voteKey)) return fail('vote key must be 32 bytes of lowercase hex');
  if (!Number.isInteger(tx.feeRate) || tx.feeRate < 0 || tx.feeRate > 10_000) return fail('fee rate must be 0..10000');
  const id = nodeIdOf(tx.from);
  const existing = state.nodes.get(id);
  if (existing) {
    if (existing.closed) return fail('StakingNode is closed');
    // Re-registering modifies fee and vote key; shares keep the fee they bought at.
    existing.feeRate = tx.feeRate;
    existing.voteKey = tx.voteKey;
    state.touchNode(existing, height);
    return { ok: true, type: 'register-node', txHash, nodeId: id, created: false, change: tx.value };
  }
  if (tx.value !== state.profile.pledge) return fail(`pledge must be exactly ${state.profile.pledge} ta`);
  const node: StakingNode = {
    id,
    owner: tx.from,
    voteKey: tx.voteKey,
    registeredAt: height,
    txHash,
    pledge: tx.value,
    feeRate: tx.feeRate,
    liveTickets: 0,
    owedVotes: 0,
    selectedTickets: 0,
    unvotedSelections: 0,
    expiredTickets: 0,
    income: 0n,
    profit: 0n,
    lastPayHeight: 0,
    closed: false,
    pledgeReturnedAt: null,
  };
  state.nodes.set(id, node);
  state.touchNode(node, height);
  state.ledger.recordLock(height, tx.from, { kind: 'node', id }, 'pledge', tx.value);
  return { ok: true, type: 'register-node', txHash, nodeId: id, created: true, change: 0n };
}

function closeNode(state: StakeState, height: number, tx: TxOf<'close-node'>, txHash: string, fail: Fail): TxResult {
  const node = state.nodes.get(nodeIdOf(tx.from));
  if (!node) return fail('no StakingNode registered by this account');
  if (node.closed) return fail('StakingNode is already closed');
  const { profile } = state;
  if (profile.name === 'mainnet' && node.registeredAt + profile.windows.locking > height) {
    return fail(`StakingNode can close from height ${node.registeredAt + profile.windows.locking}`);
  }
  node.closed = true;
  state.touchNode(node, height);
  const pledgeReturned = isPledgeDue(profile, node, height);
  if (pledgeReturned) {
    // Nothing outstanding: the pledge goes straight back instead of through settlement.
    state.ledger.recordRefund(height, node.owner, { kind: 'account' }, 'pledge', node.pledge);
    node.pledge = 0n;
    node.pledgeReturnedAt = height;
  }
  return { ok: true, type: 'close-node', txHash, nodeId: node.id, pledgeReturned };
}
