// Original Keccak-512 (padding byte 0x01, rate 72 bytes) for the single-block inputs
// that Ethash needs: 32-byte seeds and 64-byte rows.
import { keccakF1600 } from './keccak-f1600';

const PAD_FIRST: u64 = 0x01;
const PAD_LAST: u64 = 0x8000000000000000;

/** Zeroes lanes 9..24 (bytes 72..199), past the rate block; memory.fill would be a call out of wasm. */
@inline function clearCapacity(st: usize): void {
  const zero = i64x2.splat(0);
  v128.store(st, zero, 72);
  v128.store(st, zero, 88);
  v128.store(st, zero, 104);
  v128.store(st, zero, 120);
  v128.store(st, zero, 136);
  v128.store(st, zero, 152);
  v128.store(st, zero, 168);
  v128.store(st, zero, 184);
}

@inline function squeeze64(dst: usize, st: usize): void {
  v128.store(dst, v128.load(st, 0), 0);
  v128.store(dst, v128.load(st, 16), 16);
  v128.store(dst, v128.load(st, 32), 32);
  v128.store(dst, v128.load(st, 48), 48);
}

/** dst <- keccak512(32 bytes at src). st: 200 bytes of scratch. */
export function keccak512of32(dst: usize, src: usize, st: usize): void {
  v128.store(st, v128.load(src, 0), 0);
  v128.store(st, v128.load(src, 16), 16);
  v128.store(st, i64x2(PAD_FIRST, 0), 32);
  v128.store(st, i64x2.splat(0), 48);
  store<u64>(st, PAD_LAST, 64);
  clearCapacity(st);
  keccakF1600(st);
  squeeze64(dst, st);
}

/** dst <- keccak512(64 bytes at src); dst may equal src. */
export function keccak512of64(dst: usize, src: usize, st: usize): void {
  squeeze64(st, src);
  store<u64>(st, PAD_FIRST | PAD_LAST, 64);
  clearCapacity(st);
  keccakF1600(st);
  squeeze64(dst, st);
}

/** dst <- keccak512(a XOR b), 64 bytes each; dst may alias a or b. */
export function keccak512ofXor64(dst: usize, a: usize, b: usize, st: usize): void {
  v128.store(st, v128.xor(v128.load(a, 0), v128.load(b, 0)), 0);
  v128.store(st, v128.xor(v128.load(a, 16), v128.load(b, 16)), 16);
  v128.store(st, v128.xor(v128.load(a, 32), v128.load(b, 32)), 32);
  v128.store(st, v128.xor(v128.load(a, 48), v128.load(b, 48)), 48);
  store<u64>(st, PAD_FIRST | PAD_LAST, 64);
  clearCapacity(st);
  keccakF1600(st);
  squeeze64(dst, st);
}
