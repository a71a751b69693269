// Books amounts into the stake ledger and into the income of the shares and nodes they belong to.
import type { Allocation, BurnReason, CreditReason, MintReason, RefundReason } from './stake-ledger.js';
import type { StakeState } from './state.js';
import type { Share, StakingNode } from './types.js';

/** A credit into a share's or node's income, paid to its owner at settlement. */
const creditTo = (holder: Share | StakingNode, kind: 'share' | 'node', reason: CreditReason, amount: bigint): Allocation => ({
  type: 'credit',
  account: holder.owner,
  holder: { kind, id: holder.id },
  reason,
  amount,
});

export const toShare = (share: Share, reason: CreditReason, amount: bigint): Allocation => creditTo(share, 'share', reason, amount);

export const toNode = (node: StakingNode, reason: CreditReason, amount: bigint): Allocation => creditTo(node, 'node', reason, amount);

export const toAccount = (account: string, reason: CreditReason, amount: bigint): Allocation => ({
  type: 'credit',
  account,
  holder: { kind: 'account' },
  reason,
  amount,
});

export const burnFor = (holder: Share | StakingNode, kind: 'share' | 'node', reason: BurnReason, amount: bigint): Allocation => ({
  type: 'burn',
  holder: { kind, id: holder.id },
  reason,
  amount,
});

/** Records new coins and books every credit into the income of the share or node it names. */
export function mint(
  state: StakeState,
  height: number,
  block: number,
  reason: MintReason,
  amount: bigint,
  allocations: Allocation[],
): void {
  state.ledger.recordMint(height, block, reason, amount, allocations);
  for (const allocation of allocations) {
    if (allocation.type !== 'credit' || allocation.amount === 0n) continue;
    const { holder } = allocation;
    if (holder.kind === 'share') {
      const share = state.share(holder.id);
      share.income += allocation.amount;
      share.profit += allocation.amount;
      state.touchShare(share, height);
    } else if (holder.kind === 'node') {
      const node = state.node(holder.id);
      node.income += allocation.amount;
      node.profit += allocation.amount;
      state.touchNode(node, height);
    }
  }
}

/** Principal owed back to a share's owner, accrued for the next settlement. */
export function refundToShare(state: StakeState, height: number, share: Share, reason: RefundReason, amount: bigint): void {
  if (amount === 0n) return;
  share.income += amount;
  state.touchShare(share, height);
  state.ledger.recordRefund(height, share.owner, { kind: 'share', id: share.id }, reason, amount);
}

/** Pays a share's or node's accrued income to its owner (settlement). */
export function payIncome(state: StakeState, height: number, holder: Share | StakingNode, kind: 'share' | 'node'): void {
  state.ledger.recordPayout(height, holder.owner, { kind, id: holder.id }, holder.income);
  holder.income = 0n;
  holder.lastPayHeight = height;
  if (kind === 'share') state.touchShare(holder as Share, height);
  else state.touchNode(holder as StakingNode, height);
}
