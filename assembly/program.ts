// The period's random program, as the host packs it (src/pow/progpow-program.ts), decoded once
// per job into the form hashBatch walks: register byte offsets and the merge kind and rotation
// resolved from each selector.
import { OP_CACHE, PACKED_OP_WORDS, PROGPOW_DAG_LOADS } from './generated/constants';
import { OP_BYTES, DAG_OP_BYTES, packedProgramPtr, programPtr } from './context';

/** Operations of the decoded program; its DAG merges follow them. */
export let opCount: u32 = 0;

/** Decodes the packed program (ops.length*6 words, 4 dagDst, 4 dagSel) at packedProgramPtr; ops <= MAX_PROGRAM_OPS (checked by the host). */
export function setProgram(ops: u32): void {
  for (let o: u32 = 0; o < ops; o++) {
    const src = packedProgramPtr + usize(o) * PACKED_OP_WORDS * 4;
    const dst = programPtr + usize(o) * OP_BYTES;
    const kind = load<u32>(src, 0);
    store<u32>(dst, kind, 0);
    if (kind == OP_CACHE) {
      const sel = load<u32>(src, 12);
      store<u32>(dst, load<u32>(src, 4) << 6, 4); // src register
      store<u32>(dst, 0, 8);
      store<u32>(dst, load<u32>(src, 8) << 6, 12); // dst register
      store<u32>(dst, 0, 16);
      storeMerge(dst + 20, sel);
    } else {
      store<u32>(dst, load<u32>(src, 4) << 6, 4);
      store<u32>(dst, load<u32>(src, 8) << 6, 8);
      store<u32>(dst, load<u32>(src, 16) << 6, 12);
      store<u32>(dst, load<u32>(src, 12) % 11, 16);
      storeMerge(dst + 20, load<u32>(src, 20));
    }
  }
  const dag = packedProgramPtr + usize(ops) * PACKED_OP_WORDS * 4;
  const out = programPtr + usize(ops) * OP_BYTES;
  for (let i: usize = 0; i < PROGPOW_DAG_LOADS; i++) {
    store<u32>(out + i * DAG_OP_BYTES, load<u32>(dag + (i << 2)) << 6, 0);
    storeMerge(out + i * DAG_OP_BYTES + 4, load<u32>(dag + ((i + PROGPOW_DAG_LOADS) << 2)));
  }
  opCount = ops;
}

/** merge(a, b, sel) is fixed by sel: the kind (sel mod 4) and rotation ((sel >> 16) mod 31) + 1. */
@inline function storeMerge(p: usize, sel: u32): void {
  store<u32>(p, sel & 3, 0);
  store<u32>(p, ((sel >> 16) % 31) + 1, 4);
}
