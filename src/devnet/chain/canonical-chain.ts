// The canonical chain in memory: blocks by height and by hash, stake transactions by hash, and
// the total difficulty at every block. Below the first stored block (the genesis anchor) lies a
// synthetic ancestry (ancestry.ts). A single-producer devnet never reorganises: the chain only grows.
import { bytesTo0x, hexToBytes } from '../../util/hex.js';
import { ancestorBlock, ancestorHeightOf } from './ancestry.js';
import { blockHash, height, type ChainBlock } from './block.js';

/** A block with what the chain knows about it. */
export interface ChainEntry {
  readonly block: ChainBlock;
  /** `0x` hex block hash. */
  readonly hash: string;
  /** Sum of the difficulties from height 0 up to and including this block. */
  readonly totalDifficulty: bigint;
  /** Part of the synthetic ancestry below the genesis anchor. */
  readonly synthetic: boolean;
}

export class Chain {
  private readonly blocks: ChainBlock[] = [];
  private readonly hashes: string[] = [];
  private readonly totals: bigint[] = [];
  private readonly heightByHash = new Map<string, number>();
  private readonly heightByTx = new Map<string, number>();

  /** `blocks` in height order, genesis first; `ancestrySeed` makes the synthetic ancestry (and its block 0) this chain's own. */
  constructor(blocks: readonly ChainBlock[], private readonly ancestrySeed: Uint8Array) {
    if (blocks.length === 0) throw new Error('a chain needs at least its genesis block');
    for (const block of blocks) this.append(block);
  }

  get genesis(): ChainBlock {
    return this.blocks[0]!;
  }

  get head(): ChainBlock {
    return this.blocks[this.blocks.length - 1]!;
  }

  get headHeight(): number {
    return height(this.head);
  }

  /** `0x` hex hash of the head. */
  get headHash(): string {
    return this.hashes[this.hashes.length - 1]!;
  }

  byHeight(h: number): ChainBlock | undefined {
    return this.blocks[h - height(this.genesis)];
  }

  /** Lookup by lowercase `0x` block hash. */
  byHash(hash: string): ChainBlock | undefined {
    const h = this.heightByHash.get(hash.toLowerCase());
    return h === undefined ? undefined : this.byHeight(h);
  }

  hashOf(block: ChainBlock): string {
    return this.hashes[height(block) - height(this.genesis)]!;
  }

  /** Total difficulty at the head: what the next block adds its difficulty to. */
  get headTotalDifficulty(): bigint {
    return this.totals[this.totals.length - 1]!;
  }

  /** Any height from 0 to the head: stored blocks, and the synthetic ancestry below them. */
  entryAt(h: number): ChainEntry | undefined {
    const stored = this.byHeight(h);
    if (stored !== undefined) return { block: stored, hash: this.hashOf(stored), totalDifficulty: this.totals[h - height(this.genesis)]!, synthetic: false };
    const ancestor = ancestorBlock(h, this.genesis, this.ancestrySeed);
    // every ancestor has the genesis anchor's difficulty
    return ancestor && { ...ancestor, totalDifficulty: this.genesis.header.difficulty * BigInt(h + 1), synthetic: true };
  }

  /** Lookup by `0x` block hash, the synthetic ancestry included. */
  entryByHash(hash: string): ChainEntry | undefined {
    const stored = this.heightByHash.get(hash.toLowerCase());
    if (stored !== undefined) return this.entryAt(stored);
    // the anchor's parent keeps the hash it was written with (a chain seeded after its creation)
    if (hash.toLowerCase() === bytesTo0x(this.genesis.header.parentHash)) return this.entryAt(height(this.genesis) - 1);
    const ancestor = ancestorHeightOf(hexToBytes(hash, 32), this.ancestrySeed);
    return ancestor === undefined ? undefined : this.entryAt(ancestor);
  }

  /** Height of the block that carried a stake transaction. */
  heightOfTx(txHash: string): number | undefined {
    return this.heightByTx.get(txHash.toLowerCase());
  }

  append(block: ChainBlock): void {
    if (this.blocks.length > 0) {
      if (height(block) !== this.headHeight + 1) throw new Error(`block ${height(block)} does not follow head ${this.headHeight}`);
      if (bytesTo0x(block.header.parentHash) !== this.headHash) throw new Error(`block ${height(block)} does not build on the head`);
    }
    const hash = bytesTo0x(blockHash(block));
    // the genesis anchor adds its difficulty to its synthetic ancestry's, one difficulty per height below it
    const below = this.blocks.length > 0 ? this.headTotalDifficulty : block.header.difficulty * BigInt(height(block));
    this.blocks.push(block);
    this.hashes.push(hash);
    this.totals.push(below + block.header.difficulty);
    this.heightByHash.set(hash, height(block));
    for (const result of block.txResults) this.heightByTx.set(result.txHash.toLowerCase(), height(block));
  }
}
