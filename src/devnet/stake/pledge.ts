// When a StakingNode's pledge comes back, and releasing it into the node's income.
import type { StakeProfile } from '../../chain/profile.js';
import type { StakeState } from './state.js';
import type { StakingNode } from './types.js';

/**
 * A pledge comes back once the node is closed and owes nothing: no delegated ticket in the tree
 * and none selected but unsettled. seed also waits for the locking window since registration
 * (mainnet enforces that window when the node closes instead).
 */
export function isPledgeDue(profile: StakeProfile, node: StakingNode, height: number): boolean {
  if (!node.closed || node.pledge === 0n || node.liveTickets > 0 || node.owedVotes > 0) return false;
  return profile.name !== 'seed' || height - node.registeredAt >= profile.windows.locking;
}

/** go-sero's pledge-release check: a due pledge moves into the node's income (paid at settlement). */
export function releasePledgeIfDue(state: StakeState, height: number, node: StakingNode): void {
  if (!isPledgeDue(state.profile, node, height)) return;
  node.income += node.pledge;
  state.ledger.recordRefund(height, node.owner, { kind: 'node', id: node.id }, 'pledge', node.pledge);
  node.pledge = 0n;
  node.pledgeReturnedAt = height;
  state.touchNode(node, height);
}
