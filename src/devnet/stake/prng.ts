// go-sero's Hash256PRNG and the draw of a block's tickets from it (stake-mainnet.md 2.1).
import { TICKETS_PER_BLOCK } from '../../chain/profile.js';
import { hexToBytes, type Hex } from '../../util/hex.js';
import { concatBytes, uint32BE } from '../../util/bytes.js';

/** The 8 pi-digit bytes go-sero appends to the seed (stake-mainnet.md 2.1). */
const SEED_CONST = Uint8Array.of(0x24, 0x3f, 0x6a, 0x88, 0x85, 0xa3, 0x08, 0xd3);
const TWO_POW_32 = 2 ** 32;
const TWO_POW_31 = 2 ** 31;

/**
 * go-sero's Hash256PRNG. Despite the name it hashes nothing: it emits the words of a 32-byte
 * block and then of that block shifted by one word with a counter appended.
 */
export class Hash256Prng {
  private readonly seed: Uint8Array;
  private last: Uint8Array;
  private idx = 0;
  private word = 0;

  constructor(seed32: Hex | Uint8Array) {
    const seedBytes = typeof seed32 === 'string' ? hexToBytes(seed32, 32) : seed32;
    if (seedBytes.length !== 32) throw new RangeError('Hash256Prng seed must be 32 bytes');
    // BytesToHash keeps the last 32 bytes of seed ‖ SEED_CONST, dropping the seed's first 8.
    this.seed = concatBytes(seedBytes.subarray(8), SEED_CONST);
    this.last = this.seed;
  }

  /** The block the first eight outputs come from. */
  get iv(): Uint8Array {
    return this.seed.slice();
  }

  nextU32(): number {
    const offset = 4 * this.word;
    const value = new DataView(this.last.buffer, this.last.byteOffset + offset, 4).getUint32(0);
    this.word += 1;
    if (this.word === 8) {
      this.last = concatBytes(this.seed.subarray(4), uint32BE(this.idx));
      this.idx += 1;
      this.word = 0;
    }
    return value;
  }

  /** Uniform value in [0, bound) by rejection of the biased low range, as go-sero does. */
  uniform(bound: number): number {
    if (!Number.isInteger(bound) || bound < 0 || bound >= TWO_POW_32) {
      throw new RangeError(`uniform bound must be an integer below 2^32, got ${bound}`);
    }
    if (bound < 2) return 0;
    const min = bound > TWO_POW_31 ? TWO_POW_32 - bound : TWO_POW_32 % bound;
    for (;;) {
      const r = this.nextU32();
      if (r >= min) return r % bound;
    }
  }
}

/**
 * `FindShareIdxs(size, count, prng)`: `count` distinct ticket indices in draw order.
 * Returns [] when the tree holds fewer than `count` tickets (no selection on chain).
 */
export function drawTicketIndices(treeSize: number, seed: Hex | Uint8Array, count = TICKETS_PER_BLOCK): number[] {
  if (treeSize < count) return [];
  const prng = new Hash256Prng(seed);
  const drawn: number[] = [];
  while (drawn.length < count) {
    const index = prng.uniform(treeSize);
    if (!drawn.includes(index)) drawn.push(index);
  }
  return drawn;
}
