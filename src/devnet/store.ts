// The devnet's persistence: chain and stake state in LevelDB (classic-level) under the data
// directory. A block and every state change it causes are written in one synced batch, so a
// restart, even after kill -9, resumes at the last committed block with nothing of it lost.
// The mempool is a journal: each queued transaction is written once under its own key, and
// the block that takes them deletes those keys in its batch.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { LedgerEntry, LedgerEntryJson } from './stake/stake-ledger.js';
import type { PopulationJson } from './stake/population.js';
import type { StakeSnapshot } from './stake/state.js';
import type { StakeTx } from './stake/types.js';
import type { ChainBlock } from './chain/block.js';
import { blockFromJson, blockToJson, txFromJson, txToJson, type ChainBlockJson, type StakeTxJson } from './chain/codec.js';

export const STORE_FORMAT = 'sero-devnet-store/1';

/** What a data directory was created with; a restart must match it. */
export interface StoreMeta {
  format: string;
  profile: string;
  dagMode: string;
  firstHeight: number;
  createdAt: number;
  /** `0x` + 64 hex: seeds the synthetic ancestry, so this chain's block 0 (its genesis to clients) is its own. Absent in stores written before it. */
  chainSeed?: string;
}

/** The batch operations this store writes. */
type Batch = ({ type: 'put'; key: string; value: string } | { type: 'del'; key: string })[];

/** The state that changes with every block, written together with it. */
export interface StateImage {
  stake: StakeSnapshot;
  population: PopulationJson;
}

const KEY = {
  meta: 'meta',
  stake: 'stake',
  population: 'population',
  /** Where an older store kept the whole mempool in one value; read once, then moved to the journal. */
  legacyMempool: 'mempool',
  /** One queued transaction, in queue order. */
  mempool: (seq: number) => `mempool:${seq.toString().padStart(16, '0')}`,
  /** Zero-padded so the store's byte order is height order. */
  block: (height: number) => `block:${height.toString().padStart(16, '0')}`,
  ledger: (seq: number) => `ledger:${seq.toString().padStart(16, '0')}`,
};

export class DevnetStore {
  /** Journal keys of the queued transactions, oldest first (the order blocks take them in). */
  private readonly mempoolKeys: string[] = [];
  private nextMempoolSeq = 0;

  private constructor(
    private readonly db: ClassicLevel<string, string>,
    /** Set when the store lives in a temporary directory removed on close. */
    private readonly tempDir: string | undefined,
    readonly location: string,
  ) {}

  /** Opens (creating) the store in `datadir`, or in a fresh temporary directory without one. */
  static async open(datadir: string | undefined): Promise<DevnetStore> {
    const tempDir = datadir === undefined ? await mkdtemp(path.join(os.tmpdir(), 'sero-devnet-')) : undefined;
    const location = path.join(datadir ?? tempDir!, 'chain');
    await mkdir(location, { recursive: true });
    const db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (err) {
      const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new Error(`cannot open the devnet store at ${location}: ${cause}`);
    }
    return new DevnetStore(db, tempDir, location);
  }

  async loadMeta(): Promise<StoreMeta | undefined> {
    return this.getJson<StoreMeta>(KEY.meta);
  }

  /** Rewrites the metadata (a store given what its version lacked). */
  async saveMeta(meta: StoreMeta): Promise<void> {
    await this.db.put(KEY.meta, JSON.stringify(meta), { sync: true });
  }

  /** Every stored block, genesis first. */
  async loadBlocks(): Promise<ChainBlock[]> {
    const blocks: ChainBlock[] = [];
    for await (const value of this.db.values({ gte: 'block:', lt: 'block;' })) blocks.push(blockFromJson(JSON.parse(value) as ChainBlockJson));
    return blocks;
  }

  /** The stake state with its full ledger, or undefined for a new store. */
  async loadStake(): Promise<StakeSnapshot | undefined> {
    const snapshot = await this.getJson<StakeSnapshot>(KEY.stake);
    if (snapshot === undefined) return undefined;
    const ledger: LedgerEntryJson[] = [];
    for await (const value of this.db.values({ gte: 'ledger:', lt: 'ledger;' })) ledger.push(JSON.parse(value) as LedgerEntryJson);
    return { ...snapshot, ledger };
  }

  async loadPopulation(): Promise<PopulationJson | undefined> {
    return this.getJson<PopulationJson>(KEY.population);
  }

  /** The queued transactions in queue order (an older store's single value is moved to the journal). */
  async loadMempool(): Promise<StakeTx[]> {
    const queued: StakeTx[] = [];
    this.mempoolKeys.length = 0;
    for await (const [key, value] of this.db.iterator({ gte: 'mempool:', lt: 'mempool;' })) {
      this.mempoolKeys.push(key);
      queued.push(txFromJson(JSON.parse(value) as StakeTxJson));
    }
    this.nextMempoolSeq = this.mempoolKeys.length === 0 ? 0 : Number(this.mempoolKeys.at(-1)!.slice('mempool:'.length)) + 1;
    const legacy = (await this.getJson<StakeTxJson[]>(KEY.legacyMempool)) ?? [];
    if (legacy.length > 0) {
      await this.db.batch([...this.journalOps(legacy.map(txFromJson)), { type: 'del', key: KEY.legacyMempool }], { sync: true });
      queued.push(...legacy.map(txFromJson));
    }
    return queued;
  }

  /** Writes a new chain: its metadata, the genesis anchor and the state after it. */
  async initialize(meta: StoreMeta, genesis: ChainBlock, state: StateImage): Promise<void> {
    await this.db.batch(
      [
        { type: 'put', key: KEY.meta, value: JSON.stringify(meta) },
        { type: 'put', key: KEY.block(Number(genesis.header.number)), value: JSON.stringify(blockToJson(genesis)) },
        ...this.stateOps(state, state.stake.ledger),
      ],
      { sync: true },
    );
  }

  /**
   * One block and everything it changed, atomically: the block, the state after it, the
   * ledger entries it appended, and the removal of the `mempoolTaken` oldest queued transactions.
   */
  async commitBlock(block: ChainBlock, state: StateImage, newEntries: readonly LedgerEntry[], mempoolTaken: number): Promise<void> {
    const taken = this.mempoolKeys.slice(0, mempoolTaken);
    await this.db.batch(
      [
        { type: 'put', key: KEY.block(Number(block.header.number)), value: JSON.stringify(blockToJson(block)) },
        ...this.stateOps(state, newEntries.map(entryToJson)),
        ...taken.map((key) => ({ type: 'del' as const, key })),
      ],
      { sync: true },
    );
    this.mempoolKeys.splice(0, taken.length);
  }

  /**
   * Appends queued transactions to the journal, each written once. Not synced: the write
   * reaches the OS, so it survives a crash of this process (kill -9); the next block's synced
   * batch makes it durable against power loss too.
   */
  async appendMempool(txs: readonly StakeTx[]): Promise<void> {
    if (txs.length === 0) return;
    await this.db.batch(this.journalOps(txs));
  }

  async close(): Promise<void> {
    await this.db.close();
    if (this.tempDir !== undefined) await rm(this.tempDir, { recursive: true, force: true });
  }

  /** The state, its stake snapshot without the ledger (stored entry by entry), plus the given ledger entries. */
  private stateOps(state: StateImage, entries: readonly LedgerEntryJson[]): Batch {
    return [
      { type: 'put', key: KEY.stake, value: JSON.stringify({ ...state.stake, ledger: [] }) },
      { type: 'put', key: KEY.population, value: JSON.stringify(state.population) },
      ...entries.map((entry) => ({ type: 'put' as const, key: KEY.ledger(entry.seq), value: JSON.stringify(entry) })),
    ];
  }

  /** Puts for the next journal keys; the keys are taken (in memory) as the ops are made. */
  private journalOps(txs: readonly StakeTx[]): Batch {
    return txs.map((tx) => {
      const key = KEY.mempool(this.nextMempoolSeq++);
      this.mempoolKeys.push(key);
      return { type: 'put' as const, key, value: JSON.stringify(txToJson(tx)) };
    });
  }

  private async getJson<T>(key: string): Promise<T | undefined> {
    const value = await this.db.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }
}

function entryToJson(entry: LedgerEntry): LedgerEntryJson {
  return { ...entry, amount: entry.amount.toString() } as LedgerEntryJson;
}
