/**
 * Staking layer of the embedded devnet (pure logic, no I/O, no timers).
 *
 * A node drives it like this: `StakeChain.create(createProfile(name), { startHeight })` or
 * `StakeChain.restore(snapshot)`; for every found block `openLottery(hashPos(mix, nonce))`,
 * gather votes in a `VoteCollector` (each checked by `chain.verifyVote`) until `status()` says
 * confirmed or orphaned; apply a confirmed one with `applyBlock` (its stake transactions go with
 * it), report an orphaned-by-window one with `recordExpiredLottery`; persist `snapshot()`.
 * `Population` supplies simulated holders, StakingNodes and their signed votes.
 */
export { TA_PER_SERO, formatSero, parseSero, sero, type FormatSeroOptions } from '../../util/sero-amount.js';
export { StakeChain, type BlockResult, type StakeChainOptions } from './stake-chain.js';
export {
  isConfirmed,
  lotteryStatus,
  requiredVotes,
  voteWindowMs,
  type LotteryProgress,
  type LotteryStatus,
  type VoteContext,
} from '../../chain/confirmation.js';
export { hashPos, keccak256, keccak256Hex, stakeHash } from './hashes.js';
export { ZERO_HASH, bytesToHex, hexToBytes, normalizeHex, type Hex } from './hex.js';
export { nodeIdOf } from './ids.js';
export type {
  AccountSummary,
  Holder,
  LedgerEntry,
  LedgerEntryJson,
  LedgerFilter,
  LedgerTotals,
  StakeLedger,
} from './stake-ledger.js';
export { VoteCollector, type Lottery, type LotteryTicket, type OfferResult, type VoteCollectorOptions } from './lottery.js';
export {
  DEFAULT_POPULATION,
  Population,
  type Participant,
  type PlannedVote,
  type PopulationConfig,
  type PopulationJson,
} from './population.js';
export { Hash256Prng, drawTicketIndices } from './prng.js';
export { TICKETS_PER_BLOCK } from '../../chain/profile.js';
export { SERO_TICKET_PRICING, costOfTickets, quotePurchase, ticketPrice, type PurchaseQuote, type TicketPricing } from '../../chain/ticket-pricing.js';
export {
  DEFAULT_PROFILE,
  DEVNET_WINDOWS,
  PROFILE_NAMES,
  REAL_WINDOWS,
  createProfile,
  describeProfile,
  isProfileName,
  profileFromJson,
  profileToJson,
  type MainnetProfile,
  type ProfileName,
  type ProfileOptions,
  type SeedProfile,
  type StakeProfile,
  type StakeWindows,
} from '../../chain/profile.js';
export { SeededRandom, type RandomSource, type SnapshottableRandom } from './random.js';
export { halvingDivisor, lateVoteReward, powReward, seedRewardSplit, teamReward, voteReward } from '../../chain/rewards.js';
export { TEAM_ACCOUNT } from './block-rewards.js';
export type { StakeSnapshot } from './state.js';
export { TicketTree } from './ticket-tree.js';
export {
  StakeRuleError,
  type BlockRecord,
  type SelectedTicket,
  type Share,
  type StakeBlock,
  type StakeTx,
  type StakingNode,
  type TxResult,
  type Vote,
} from './types.js';
export { isVoteKey, signMessage, verifySignature, voteKeyFromSecret, type VoteKeyPair } from './vote-keys.js';
export type { VoteCheck } from './vote-rules.js';
export { signVote, verifyVoteSignature } from './votes.js';
export { simulateBlocks, type SimulatedBlock, type SimulationOptions } from './simulation.js';
