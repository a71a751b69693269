// The canonical chain in memory: blocks by height and by hash, and stake transactions by hash.
// A single-producer devnet never reorganises, so the chain only grows.
import { bytesTo0x } from '../../util/hex.js';
import { blockHash, height, type ChainBlock } from './block.js';

export class Chain {
  private readonly blocks: ChainBlock[] = [];
  private readonly hashes: string[] = [];
  private readonly heightByHash = new Map<string, number>();
  private readonly heightByTx = new Map<string, number>();

  /** `blocks` in height order, genesis first. */
  constructor(blocks: readonly ChainBlock[]) {
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
    this.blocks.push(block);
    this.hashes.push(hash);
    this.heightByHash.set(hash, height(block));
    for (const result of block.txResults) this.heightByTx.set(result.txHash.toLowerCase(), height(block));
  }
}
