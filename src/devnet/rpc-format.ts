// JSON shapes of the devnet's node RPC, modelled on go-sero's (stratum.md 10.3,
// stake-mainnet.md 6): quantities as compact hex, votes as {"Id","IsPool","Sign"}.
import { sealHash } from '../pow/header.js';
import { bytesTo0x, formatNonce, formatQuantity } from '../util/hex.js';
import { blockSize, headerVoteJson, height, type ChainBlock, type HeaderVoteJson } from './chain/block.js';
import type { ChainEntry } from './chain/canonical-chain.js';
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
    // go-sero writes the licence proof's bytes; a devnet block has no licence
    licr: '0x',
  };
}

/** The template as the header of a block still to be sealed: zero mix digest and nonce, no votes. */
function unsealed(template: BlockTemplate): Pick<ChainBlock, 'header' | 'mixDigest' | 'nonce' | 'currentVotes' | 'parentVotes'> {
  return { header: template.header, mixDigest: new Uint8Array(32), nonce: 0n, currentVotes: [], parentVotes: [] };
}

/**
 * A block as sero_getBlockByNumber returns it, `size` and `totalDifficulty` included; `hashPow`,
 * `posHash` and `finder` are devnet extras.
 */
export function blockJson({ block, hash, totalDifficulty }: ChainEntry, fullTransactions: boolean): Record<string, unknown> {
  const txHashes = block.txResults.map((result) => result.txHash);
  return {
    ...headerMembers(block),
    hash,
    nonce: formatNonce(block.nonce),
    mixHash: bytesTo0x(block.mixDigest),
    miner: bytesTo0x(block.header.coinbase),
    size: formatQuantity(blockSize(block, txHashes)),
    totalDifficulty: formatQuantity(totalDifficulty),
    transactions: fullTransactions ? block.txResults.map((result) => transactionJson(result, block, hash)) : txHashes,
    currentVotes: votesJson(block.currentVotes),
    parentVotes: votesJson(block.parentVotes),
    hashPow: bytesTo0x(sealHash(block.header)),
    posHash: block.posHash,
    finder: block.finder,
  };
}

/**
 * The block being mined ("pending"): as go-sero, only hash, nonce and miner are null (and the
 * vote lists, empty). Its total difficulty is the head's plus its own.
 */
export function pendingBlockJson(template: BlockTemplate, headTotalDifficulty: bigint): Record<string, unknown> {
  const block = unsealed(template);
  return {
    ...headerMembers(template),
    hash: null,
    nonce: null,
    mixHash: bytesTo0x(block.mixDigest),
    miner: null,
    size: formatQuantity(blockSize(block, [])),
    totalDifficulty: formatQuantity(headTotalDifficulty + template.difficulty),
    transactions: [],
    currentVotes: null,
    parentVotes: null,
    hashPow: bytesTo0x(template.sealHash),
  };
}

/** A transaction in a full block: its receipt fields plus go-sero's transaction members a pool reads (hash, gas, gasPrice). */
function transactionJson(result: TxResult, block: ChainBlock, blockHash: string): Record<string, unknown> {
  // stake transactions on the devnet cost no gas
  return { hash: result.txHash, gas: '0x0', gasPrice: '0x0', ...txResultJson(result, block, blockHash) };
}

/** newHeads carries the header and its hash, without the vote lists. */
export function newHeadJson(block: ChainBlock, hash: string): Record<string, unknown> {
  return { ...headerMembers(block), hash, nonce: formatNonce(block.nonce), mixHash: bytesTo0x(block.mixDigest), miner: bytesTo0x(block.header.coinbase) };
}

export function txResultJson(result: TxResult, block: ChainBlock, blockHash: string): Record<string, unknown> {
  const base = { transactionHash: result.txHash, type: result.type, blockNumber: formatQuantity(height(block)), blockHash, gasUsed: '0x0', status: result.ok ? '0x1' : '0x0' };
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
