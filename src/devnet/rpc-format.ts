// JSON shapes of the devnet's node RPC, modelled on go-sero's (stratum.md 10.3,
// stake-mainnet.md 6): quantities as compact hex, votes as {"Id","IsPool","Sign"}.
import { sealHash } from '../pow/header.js';
import { bytesTo0x, formatNonce, formatQuantity } from '../util/hex.js';
import { headerVoteJson, height, type ChainBlock, type HeaderVoteJson } from './chain/block.js';
import type { BlockTemplate } from './chain/template.js';
import type { Share, StakingNode, TxResult, Vote } from './stake/types.js';

/** go-sero returns null, not [], for an empty vote list. */
function votesJson(votes: readonly Vote[]): HeaderVoteJson[] | null {
  return votes.length === 0 ? null : votes.map(headerVoteJson);
}

/** The header members shared by blocks, the pending block and newHeads notifications. */
function headerMembers(block: ChainBlock | BlockTemplate): Record<string, unknown> {
  const h = block.header;
  return {
    number: formatQuantity(h.number),
    parentHash: bytesTo0x(h.parentHash),
    stateRoot: bytesTo0x(h.stateRoot),
    transactionsRoot: bytesTo0x(h.transactionsRoot),
    receiptsRoot: bytesTo0x(h.receiptsRoot),
    logsBloom: bytesTo0x(h.logsBloom),
    difficulty: formatQuantity(h.difficulty),
    gasLimit: formatQuantity(h.gasLimit),
    gasUsed: formatQuantity(h.gasUsed),
    timestamp: formatQuantity(h.timestamp),
    extraData: bytesTo0x(h.extraData),
  };
}

/** A stored block as sero_getBlockByNumber returns it; `hashPow` and `posHash` are devnet extras. */
export function blockJson(block: ChainBlock, hash: string, fullTransactions: boolean): Record<string, unknown> {
  return {
    ...headerMembers(block),
    hash,
    nonce: formatNonce(block.nonce),
    mixHash: bytesTo0x(block.mixDigest),
    miner: bytesTo0x(block.header.coinbase),
    licr: null,
    transactions: fullTransactions ? block.txResults.map((result) => txResultJson(result, block, hash)) : block.txResults.map((result) => result.txHash),
    currentVotes: votesJson(block.currentVotes),
    parentVotes: votesJson(block.parentVotes),
    hashPow: bytesTo0x(sealHash(block.header)),
    posHash: block.posHash,
    finder: block.finder,
  };
}

/** The block being mined ("pending"): hash, nonce and miner are null as in go-sero. */
export function pendingBlockJson(template: BlockTemplate): Record<string, unknown> {
  return {
    ...headerMembers(template),
    hash: null,
    nonce: null,
    mixHash: null,
    miner: null,
    licr: null,
    transactions: [],
    currentVotes: null,
    parentVotes: null,
    hashPow: bytesTo0x(template.sealHash),
  };
}

/** newHeads carries the header and its hash, without the vote lists. */
export function newHeadJson(block: ChainBlock, hash: string): Record<string, unknown> {
  return { ...headerMembers(block), hash, nonce: formatNonce(block.nonce), mixHash: bytesTo0x(block.mixDigest), miner: bytesTo0x(block.header.coinbase) };
}

export function txResultJson(result: TxResult, block: ChainBlock, blockHash: string): Record<string, unknown> {
  const base = { transactionHash: result.txHash, type: result.type, blockNumber: formatQuantity(height(block)), blockHash, status: result.ok ? '0x1' : '0x0' };
  if (!result.ok) return { ...base, error: result.error, refunded: formatQuantity(result.refunded) };
  switch (result.type) {
    case 'buy-share':
      return {
        ...base,
        shareId: result.shareId,
        tickets: result.tickets,
        averagePrice: formatQuantity(result.averagePrice),
        charged: formatQuantity(result.charged),
        change: formatQuantity(result.change),
      };
    case 'register-node':
      return { ...base, poolId: result.nodeId, created: result.created, change: formatQuantity(result.change) };
    case 'close-node':
      return { ...base, poolId: result.nodeId, pledgeReturned: result.pledgeReturned };
  }
}

/** stake_getShare: go-sero's names, devnet accounts in place of PKrs. */
export function shareJson(share: Share): Record<string, unknown> {
  return {
    id: share.id,
    addr: share.owner,
    voteAddr: share.voteKey,
    pool: share.nodeId,
    total: share.initialTickets,
    remaining: share.liveTickets,
    missed: share.owedVotes,
    expired: share.expiredTickets,
    price: formatQuantity(share.price),
    status: share.status,
    income: formatQuantity(share.income),
    profit: formatQuantity(share.profit),
    fee: share.feeRate,
    tx: share.txHash,
    at: formatQuantity(share.boughtAt),
    lastPayTime: formatQuantity(share.lastPayHeight),
  };
}

/** stake_poolState. */
export function nodeJson(node: StakingNode): Record<string, unknown> {
  return {
    id: node.id,
    own: node.owner,
    voteAddress: node.voteKey,
    fee: node.feeRate,
    shareNum: node.liveTickets,
    choicedNum: node.selectedTickets,
    wishVoteNum: node.owedVotes,
    expireNum: node.expiredTickets,
    missedNum: node.unvotedSelections,
    pledge: formatQuantity(node.pledge),
    income: formatQuantity(node.income),
    profit: formatQuantity(node.profit),
    lastPayTime: formatQuantity(node.lastPayHeight),
    closed: node.closed,
    pledgeReturnedAt: node.pledgeReturnedAt === null ? null : formatQuantity(node.pledgeReturnedAt),
    tx: node.txHash,
    createAt: formatQuantity(node.registeredAt),
  };
}
