// Loads the devnet's state from its store, or creates a new chain: the genesis anchor, whose
// block also carries the simulated population's StakingNode registrations and first ticket
// purchases, so tickets are in the pool when the first block is mined.
import { randomBytes } from 'node:crypto';
import type { DagMode } from '../pow/epoch.js';
import { MAX_JOB_HEIGHT } from '../net/wire/work.js';
import type { Logger } from '../util/log.js';
import { bytesTo0x, hexToBytes } from '../util/hex.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../chain/forks.js';
import { createProfile, type ProfileName, type ProfileOptions } from '../chain/profile.js';
import { Chain } from './chain/canonical-chain.js';
import { genesisBlock, GENESIS_ACCOUNT } from './chain/template.js';
import { STORE_FORMAT, type DevnetStore, type StoreMeta } from './store.js';
import { StakeChain } from './stake/stake-chain.js';
import { Population, type PopulationConfig, type PopulationJson } from './stake/population.js';
import { SeededRandom } from './stake/random.js';
import type { StakeTx } from './stake/types.js';

/** Everything the devnet node works on: the chain, its stake layer, the simulated voters, the mempool. */
export interface DevnetState {
  readonly chain: Chain;
  readonly stake: StakeChain;
  readonly population: Population;
  /** Stake transactions waiting for the next block. */
  mempool: StakeTx[];
}

export interface ChainSetup {
  readonly profile: ProfileName;
  /** Options of a new chain's profile; a stored chain keeps its own. */
  readonly profileOptions: ProfileOptions;
  /** A vote window asked for explicitly: operational, so it also applies to a stored chain. */
  readonly voteWindowOverride?: number;
  readonly dagMode: DagMode;
  /** Height of the first mined block. */
  readonly firstHeight: number;
  readonly initialDifficulty: bigint;
  readonly blockTimeSeconds: number;
  readonly population: Partial<PopulationConfig>;
  /** Seeds the population's keys and choices. */
  readonly populationSeed: string;
  readonly coinbase: Uint8Array;
}

/** Population settings that are behaviour, not history: a restart may change them. */
const OPERATIONAL_POPULATION_KEYS = ['soloOnlineProbability', 'nodeOnlineProbability', 'soloLatencyMs', 'nodeLatencyMs', 'rebuyProbability'] as const;

export function checkFirstHeight(height: number): void {
  if (!Number.isSafeInteger(height) || height < PROGPOW_ACTIVATION_HEIGHT) {
    throw new Error(`start height ${height} refused: SERO seals with ProgPoW only from height ${PROGPOW_ACTIVATION_HEIGHT} (SIP3), and miners such as serominer will not mine below it`);
  }
  if (height > MAX_JOB_HEIGHT) throw new Error(`start height ${height} refused: miners treat job heights above ${MAX_JOB_HEIGHT} as missing`);
}

export async function openDevnetState(store: DevnetStore, setup: ChainSetup, nowMs: number, log: Logger): Promise<DevnetState> {
  const meta = await store.loadMeta();
  if (meta === undefined) return createState(store, setup, nowMs);
  if (meta.format !== STORE_FORMAT) throw new Error(`${store.location} holds an unsupported devnet store format "${meta.format}"`);
  if (meta.profile !== setup.profile) {
    throw new Error(`${store.location} holds a ${meta.profile} chain; start it with --profile ${meta.profile} or use another data directory`);
  }
  if (meta.dagMode !== setup.dagMode) {
    throw new Error(`${store.location} holds a chain mined on the ${meta.dagMode} DAG; start it with --dag ${meta.dagMode} or use another data directory`);
  }
  if (meta.firstHeight !== setup.firstHeight) log('info', `continuing the stored chain that started at height ${meta.firstHeight}`);
  const chainSeed = await seedOf(store, meta, log);
  const [blocks, stake, population, mempool] = await Promise.all([store.loadBlocks(), store.loadStake(), store.loadPopulation(), store.loadMempool()]);
  if (stake === undefined || population === undefined) throw new Error(`${store.location} is missing its stake state`);
  const chain = new Chain(blocks, chainSeed);
  const stakeChain = StakeChain.restore(
    setup.voteWindowOverride === undefined ? stake : { ...stake, profile: { ...stake.profile, voteWindowMs: setup.voteWindowOverride } },
  );
  if (stakeChain.nextHeight !== chain.headHeight + 1) {
    throw new Error(`${store.location} is inconsistent: chain head ${chain.headHeight}, stake state prepared for ${stakeChain.nextHeight}`);
  }
  return { chain, stake: stakeChain, population: Population.fromJson(withOperationalSettings(population, setup.population)), mempool };
}

async function createState(store: DevnetStore, setup: ChainSetup, nowMs: number): Promise<DevnetState> {
  checkFirstHeight(setup.firstHeight);
  const profile = createProfile(setup.profile, setup.profileOptions);
  const genesisHeight = setup.firstHeight - 1;
  const stake = StakeChain.create(profile, { startHeight: genesisHeight });
  const population = Population.create(setup.population, SeededRandom.fromSeed(setup.populationSeed));
  // One block time before now, so the first template keeps the initial difficulty.
  const timestamp = BigInt(Math.floor(nowMs / 1000) - setup.blockTimeSeconds);
  // random, so no two devnets are taken for one chain; kept in the store, so a datadir stays its chain
  const chainSeed = new Uint8Array(randomBytes(32));
  const anchor = genesisBlock(setup.firstHeight, setup.initialDifficulty, timestamp, setup.coinbase, [], chainSeed);
  const applied = stake.applyBlock({
    height: genesisHeight,
    posHash: anchor.posHash,
    miner: GENESIS_ACCOUNT,
    difficulty: setup.initialDifficulty,
    transactions: population.openingTransactions(stake),
  });
  const genesis = { ...anchor, txResults: applied.txResults };
  const failed = applied.txResults.filter((result) => !result.ok);
  if (failed.length > 0) throw new Error(`the simulated population's opening transactions failed: ${failed.map((r) => (r.ok ? '' : r.error)).join('; ')}`);
  const state: DevnetState = { chain: new Chain([genesis], chainSeed), stake, population, mempool: [] };
  await store.initialize(
    { format: STORE_FORMAT, profile: setup.profile, dagMode: setup.dagMode, firstHeight: setup.firstHeight, createdAt: nowMs, chainSeed: bytesTo0x(chainSeed) },
    genesis,
    { stake: stake.snapshot(), population: population.toJson() },
  );
  return state;
}

/**
 * The stored chain's seed. A store written before chains had one shared block 0 with every
 * other devnet: it is given a seed of its own now, kept from then on (its blocks above the
 * anchor and the anchor's parent keep their hashes).
 */
async function seedOf(store: DevnetStore, meta: StoreMeta, log: Logger): Promise<Uint8Array> {
  if (meta.chainSeed !== undefined) return hexToBytes(meta.chainSeed, 32);
  const seed = new Uint8Array(randomBytes(32));
  await store.saveMeta({ ...meta, chainSeed: bytesTo0x(seed) });
  log('info', `${store.location}: the stored chain gets an identity of its own (a new block 0 below its first block)`);
  return seed;
}

function withOperationalSettings(json: PopulationJson, overrides: Partial<PopulationConfig>): PopulationJson {
  const config = { ...json.config };
  for (const key of OPERATIONAL_POPULATION_KEYS) {
    if (overrides[key] !== undefined) (config as Record<string, unknown>)[key] = overrides[key];
  }
  return { ...json, config };
}
