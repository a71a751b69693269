// The devnet's node JSON-RPC: gero's mining, block and stake methods (eth_ names come from the
// server's alias rule) plus devnet_ methods for the values in force and the reward ledger.
import { bytesTo0x, formatNonce, formatQuantity, parseHash32 } from '../util/hex.js';
import { RpcCodes, RpcError, isPlainObject } from '../net/wire/json-rpc.js';
import { registerMiningMethods } from '../net/server/rpc/mining-methods.js';
import type { JsonRpcServer } from '../net/server/rpc/server.js';
import { positionalParams } from '../net/server/rpc/registry.js';
import type { Unsubscribe } from '../net/server/provider.js';
import { accountVoteKey } from './account-voter.js';
import { height as heightOf, type ChainBlock } from './chain/block.js';
import type { DevnetNode } from './node.js';
import { blockJson, newHeadJson, nodeJson, pendingBlockJson, shareJson, txResultJson } from './rpc-format.js';
import { nodeIdOf } from './stake/ids.js';
import type { LedgerTotals } from './stake/stake-ledger.js';
import type { StakeTx } from './stake/types.js';
import { isVoteKey } from './stake/vote-keys.js';

export interface DevnetRpcOptions {
  readonly node: DevnetNode;
  /** What devnet_info answers: the values in force. */
  readonly info: () => unknown;
}

/** Registers every method and the newHeads feed; the returned function detaches them from the node. */
export function registerDevnetMethods(rpc: JsonRpcServer, options: DevnetRpcOptions): Unsubscribe {
  const { node } = options;
  const stopMining = registerMiningMethods(rpc, node.nodeProvider);
  registerChainMethods(rpc, node);
  registerStakeMethods(rpc, node);
  registerDevnetInfoMethods(rpc, node, options.info);
  const onBlock = (block: ChainBlock, hash: string): void => rpc.publish('newHeads', newHeadJson(block, hash));
  node.on('block', onBlock);
  return () => {
    stopMining();
    node.off('block', onBlock);
  };
}

function registerChainMethods(rpc: JsonRpcServer, node: DevnetNode): void {
  const { chain } = node.state;
  rpc.register('sero_blockNumber', (params) => {
    positionalParams(params, 0);
    return formatQuantity(chain.headHeight);
  });
  rpc.register('sero_getBlockByNumber', (params) => {
    const [tag, full] = positionalParams(params, 1, 2);
    if (tag === 'pending') {
      const template = node.currentTemplate;
      return template === undefined ? null : pendingBlockJson(template, chain.headTotalDifficulty);
    }
    // from height 0: below the first block lies the synthetic ancestry
    const entry = chain.entryAt(blockNumberParam(tag, chain.headHeight, 0));
    return entry === undefined ? null : blockJson(entry, full === true);
  });
  rpc.register('sero_getBlockByHash', (params) => {
    const [hashParam, full] = positionalParams(params, 1, 2);
    const hash = argument(0, () => parseHash32(hashParam, 'block hash'));
    const entry = chain.entryByHash(bytesTo0x(hash));
    return entry === undefined ? null : blockJson(entry, full === true);
  });
  rpc.register('sero_getBlockRewardByNumber', (params) => {
    const [tag] = positionalParams(params, 1);
    const number = blockNumberParam(tag, chain.headHeight, heightOf(chain.genesis));
    if (chain.byHeight(number) === undefined) return null;
    // [PoW reward, community reward, 0]: what the block's finder was credited.
    const miner = node.state.stake.ledger.entries({ type: 'credit', reason: 'miner', height: number });
    return [formatQuantity(miner.reduce((sum, entry) => sum + entry.amount, 0n)), '0x0', '0x0'];
  });
  rpc.register('sero_getBlockTotalRewardByNumber', (params) => {
    const [tag] = positionalParams(params, 1);
    const number = blockNumberParam(tag, chain.headHeight, heightOf(chain.genesis));
    if (chain.byHeight(number) === undefined) return null;
    const minted = node.state.stake.ledger.entries({ type: 'mint' }).filter((entry) => entry.type === 'mint' && entry.block === number);
    return formatQuantity(minted.reduce((sum, entry) => sum + entry.amount, 0n));
  });
  rpc.register('sero_getTransactionReceipt', (params) => {
    const [hashParam] = positionalParams(params, 1);
    const txHash = bytesTo0x(argument(0, () => parseHash32(hashParam, 'transaction hash')));
    const at = chain.heightOfTx(txHash);
    const block = at === undefined ? undefined : chain.byHeight(at);
    const result = block?.txResults.find((entry) => entry.txHash === txHash);
    return block && result ? txResultJson(result, block, chain.hashOf(block)) : null;
  });
  rpc.register('sero_mining', () => true);
  // a single node: no peers (the official pool's payouts want --requirePeers of them)
  rpc.register('net_peerCount', () => '0x0');
  rpc.register('sero_getBalance', (params) => {
    const [owner] = positionalParams(params, 1, 2);
    // go-sero's shape: token balances by currency, tickets by category; the devnet knows its accounts' SERO
    const balance = node.state.stake.ledger.accountSummary(account(owner)).walletDelta;
    return { tkn: balance > 0n ? { SERO: formatQuantity(balance) } : {}, tkt: {} };
  });
  rpc.register('sero_hashrate', () => formatQuantity(node.reportedHashrate()));
}

/** Stake writes spend or lock an account's funds: only a caller with the RPC token may send them. */
const STATE_CHANGE = { changesState: true } as const;

function registerStakeMethods(rpc: JsonRpcServer, node: DevnetNode): void {
  const stake = () => node.state.stake;
  const submit = (tx: StakeTx): Promise<string> => node.submitTransaction(tx).catch((err: unknown) => {
    throw new RpcError(RpcCodes.serverError, (err as Error).message);
  });

  rpc.register('stake_buyShare', (params) => {
    const args = objectParam(params);
    const from = account(args.from);
    const nodeId = args.pool === undefined || args.pool === null ? undefined : hashParam(args.pool, 'pool');
    // seed: a delegated ticket is voted by its node; otherwise the devnet's key of the buyer.
    const defaultKey = stake().profile.name === 'seed' && nodeId !== undefined ? undefined : accountVoteKey(from).publicKey;
    const voteKey = args.vote === undefined || args.vote === null ? defaultKey : voteKeyParam(args.vote);
    return submit({ type: 'buy-share', from, value: amount(args.value, 'value'), ...(voteKey ? { voteKey } : {}), ...(nodeId ? { nodeId } : {}) });
  }, STATE_CHANGE);
  rpc.register('stake_estimateShares', (params) => {
    const quote = stake().quotePurchase(amount(objectParam(params).value, 'value'));
    return { total: quote.tickets, avPrice: formatQuantity(quote.averagePrice), basePrice: formatQuantity(stake().ticketPrice()), charged: formatQuantity(quote.charged) };
  });
  rpc.register('stake_sharePrice', () => formatQuantity(stake().ticketPrice()));
  rpc.register('stake_sharePoolSize', () => formatQuantity(stake().ticketCount));
  rpc.register('stake_registStakePool', (params) => {
    const args = objectParam(params);
    const from = account(args.from);
    const value = args.value === undefined ? stake().profile.pledge : amount(args.value, 'value');
    const voteKey = args.vote === undefined || args.vote === null ? accountVoteKey(from).publicKey : voteKeyParam(args.vote);
    return submit({ type: 'register-node', from, value, voteKey, feeRate: feeParam(args.fee) });
  }, STATE_CHANGE);
  rpc.register('stake_modifyStakePoolFee', (params) => {
    const [fromParam, fee] = positionalParams(params, 2);
    const existing = existingNode(node, account(fromParam));
    return submit({ type: 'register-node', from: existing.owner, value: 0n, voteKey: existing.voteKey, feeRate: feeParam(fee) });
  }, STATE_CHANGE);
  rpc.register('stake_modifyStakePoolVote', (params) => {
    const [fromParam, vote] = positionalParams(params, 2);
    const existing = existingNode(node, account(fromParam));
    return submit({ type: 'register-node', from: existing.owner, value: 0n, voteKey: voteKeyParam(vote), feeRate: existing.feeRate });
  }, STATE_CHANGE);
  rpc.register('stake_closeStakePool', (params) => {
    const [first] = positionalParams(params, 1);
    const from = account(isPlainObject(first) ? first.from : first);
    return submit({ type: 'close-node', from });
  }, STATE_CHANGE);
  rpc.register('stake_poolState', (params) => {
    const [id] = positionalParams(params, 1);
    const found = stake().getNode(hashParam(id, 'pool id'));
    return found === undefined ? null : nodeJson(found);
  });
  rpc.register('stake_stakePools', () => stake().listNodes().map(nodeJson));
  rpc.register('stake_getShare', (params) => {
    const [id] = positionalParams(params, 1);
    const found = stake().getShare(hashParam(id, 'share id'));
    return found === undefined ? null : shareJson(found);
  });
  rpc.register('stake_getShareByPkr', (params) => {
    const [owner] = positionalParams(params, 1);
    return stake().sharesOf(account(owner)).map(shareJson);
  });
}

function registerDevnetInfoMethods(rpc: JsonRpcServer, node: DevnetNode, info: () => unknown): void {
  const stake = () => node.state.stake;
  rpc.register('devnet_info', () => info());
  rpc.register('devnet_voteKey', (params) => {
    const [owner] = positionalParams(params, 1);
    const from = account(owner);
    return { account: from, voteKey: accountVoteKey(from).publicKey, poolId: nodeIdOf(from) };
  });
  rpc.register('devnet_account', (params) => {
    const [owner] = positionalParams(params, 1);
    const summary = stake().ledger.accountSummary(account(owner));
    // walletDelta can be negative (tickets locked); go-style quantities have no sign, so it gets a "-".
    return Object.fromEntries(Object.entries(summary).map(([key, value]) => [key, signedAmount(value)]));
  });
  rpc.register('devnet_ledgerTotals', () => {
    const totals: LedgerTotals = stake().ledger.totals();
    return Object.fromEntries(Object.entries(totals).map(([key, value]) => [key, formatQuantity(value)]));
  });
  rpc.register('devnet_pendingBlocks', () =>
    node.pendingCandidates().map(({ info: c, votes, openedAt }) => ({
      height: c.height,
      headerHash: c.headerHash,
      nonce: formatNonce(c.nonce),
      posHash: c.posHash,
      finder: c.finder,
      tickets: c.tickets,
      requiredVotes: c.requiredVotes,
      votes: votes.length,
      openedAt,
    })),
  );
}

/** "latest", "earliest", "0x…" (or a plain number) to a height. */
function blockNumberParam(tag: unknown, latest: number, earliest: number): number {
  if (tag === 'latest') return latest;
  if (tag === 'earliest') return earliest;
  if (typeof tag === 'number' && Number.isSafeInteger(tag) && tag >= 0) return tag;
  if (typeof tag === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(tag)) return Number(BigInt(tag));
  throw new RpcError(RpcCodes.invalidParams, `invalid argument 0: expected a block number ("0x…", "latest", "earliest" or "pending"), got ${JSON.stringify(tag)}`);
}

function objectParam(params: unknown): Record<string, unknown> {
  const [first] = positionalParams(params, 1);
  if (!isPlainObject(first)) throw new RpcError(RpcCodes.invalidParams, 'invalid argument 0: expected an object');
  return first;
}

function account(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 256) {
    throw new RpcError(RpcCodes.invalidParams, 'from: expected a non-empty account name or address');
  }
  return value.trim();
}

/** Amounts in ta: a hex quantity, a decimal string or a safe integer. */
function amount(value: unknown, field: string): bigint {
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new RpcError(RpcCodes.invalidParams, `${field}: expected an amount in ta (0x hex or decimal), got ${JSON.stringify(value)}`);
}

function feeParam(value: unknown): number {
  const fee = typeof value === 'string' && /^0x[0-9a-fA-F]{1,8}$/.test(value) ? Number.parseInt(value, 16) : value;
  if (typeof fee !== 'number' || !Number.isInteger(fee) || fee < 0 || fee > 10_000) {
    throw new RpcError(RpcCodes.invalidParams, `fee: expected a rate in 1/10000 (0..10000), got ${JSON.stringify(value)}`);
  }
  return fee;
}

function hashParam(value: unknown, field: string): string {
  return bytesTo0x(argument(0, () => parseHash32(value, field)));
}

function voteKeyParam(value: unknown): string {
  const key = typeof value === 'string' ? value.toLowerCase() : value;
  if (!isVoteKey(key)) throw new RpcError(RpcCodes.invalidParams, 'vote: expected a 32-byte Ed25519 public key as 0x + 64 hex digits (see devnet_voteKey)');
  return key;
}

function existingNode(node: DevnetNode, owner: string) {
  const found = node.state.stake.nodeOf(owner);
  if (found === undefined) throw new RpcError(RpcCodes.serverError, `no StakingNode registered by ${owner}`);
  return found;
}

function signedAmount(value: bigint): string {
  return value < 0n ? `-${formatQuantity(-value)}` : formatQuantity(value);
}

function argument<T>(index: number, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new RpcError(RpcCodes.invalidParams, `invalid argument ${index}: ${(err as Error).message}`);
  }
}
