// The hand-off to the period's generated module (src/backends/wasm/render-rounds.ts), which
// runs a batch's 64 loop iterations as straight-line code. At the start of each iteration it
// calls loadRound, here: the DAG entries come in as for the interpreter and are laid out in
// the order the lanes merge them, so the generated code reads each as one vector.
import { ENTRY_BYTES, mixPtr, laneEntryPtr, cdagPtr } from './context';
import { setBases, loadEntries, entryAddress } from './dag-entries';

/** The host's hook to the generated module: rounds(mix, laneEntries, cdag, n). */
@external("env", "progpowRounds")
declare function progpowRounds(mix: usize, entries: usize, cdag: usize, n: u32): void;

let generated: bool = false;

/** Whether hashBatch runs its iterations in the generated module (the host has linked one). */
export function useGeneratedRounds(on: bool): void {
  generated = on;
}

/** Runs the iterations of n nonces in the generated module; false when none is in use. */
export function runGeneratedRounds(n: u32): bool {
  if (!generated) return false;
  progpowRounds(mixPtr, laneEntryPtr, cdagPtr, n);
  return true;
}

/**
 * Entry of iteration r in lane order: lane l merges word ((l ^ r) mod 16) * 4 + i in its
 * load i, so for lanes 4g..4g+3 that is the 4x4 block of entry lanes 4(g ^ (r >> 2 & 3)) +
 * (j ^ r & 3), transposed; load i of group g goes to (4i + g) * 16.
 */
@inline function toLaneOrder(src: usize, dst: usize, r: u32): void {
  const flip = usize(r & 3);
  for (let g: usize = 0; g < 4; g++) {
    const row = src + ((g ^ usize((r >> 2) & 3)) << 6);
    const a = v128.load(row + ((0 ^ flip) << 4));
    const b = v128.load(row + ((1 ^ flip) << 4));
    const c = v128.load(row + ((2 ^ flip) << 4));
    const d = v128.load(row + ((3 ^ flip) << 4));
    const ab01 = v128.shuffle<u32>(a, b, 0, 4, 1, 5);
    const cd01 = v128.shuffle<u32>(c, d, 0, 4, 1, 5);
    const ab23 = v128.shuffle<u32>(a, b, 2, 6, 3, 7);
    const cd23 = v128.shuffle<u32>(c, d, 2, 6, 3, 7);
    const out = dst + (g << 4);
    v128.store(out, v128.shuffle<u32>(ab01, cd01, 0, 1, 4, 5), 0);
    v128.store(out, v128.shuffle<u32>(ab01, cd01, 2, 3, 6, 7), 64);
    v128.store(out, v128.shuffle<u32>(ab23, cd23, 0, 1, 4, 5), 128);
    v128.store(out, v128.shuffle<u32>(ab23, cd23, 2, 3, 6, 7), 192);
  }
}

/** The DAG words of iteration r for nonces 0..n-1, in lane order at laneEntryPtr (called by the generated module). */
export function loadRound(r: u32, n: u32): void {
  setBases(r, n);
  loadEntries(n, false);
  for (let k: usize = 0; k < usize(n); k++) toLaneOrder(entryAddress(k), laneEntryPtr + k * ENTRY_BYTES, r);
}
