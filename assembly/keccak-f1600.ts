// Keccak-f[1600] (24 rounds) on a 200-byte state in memory, lanes little-endian u64.
// The state is loaded into locals so the rounds run on registers.

// Round constants; every instance writes the same bytes here, so shared memory is safe.
const RC: usize = memory.data<u64>([
  0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
  0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
  0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
  0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
  0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
  0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008
]);

export function keccakF1600(st: usize): void {
  let a0: u64 = load<u64>(st, 0);
  let a1: u64 = load<u64>(st, 8);
  let a2: u64 = load<u64>(st, 16);
  let a3: u64 = load<u64>(st, 24);
  let a4: u64 = load<u64>(st, 32);
  let a5: u64 = load<u64>(st, 40);
  let a6: u64 = load<u64>(st, 48);
  let a7: u64 = load<u64>(st, 56);
  let a8: u64 = load<u64>(st, 64);
  let a9: u64 = load<u64>(st, 72);
  let a10: u64 = load<u64>(st, 80);
  let a11: u64 = load<u64>(st, 88);
  let a12: u64 = load<u64>(st, 96);
  let a13: u64 = load<u64>(st, 104);
  let a14: u64 = load<u64>(st, 112);
  let a15: u64 = load<u64>(st, 120);
  let a16: u64 = load<u64>(st, 128);
  let a17: u64 = load<u64>(st, 136);
  let a18: u64 = load<u64>(st, 144);
  let a19: u64 = load<u64>(st, 152);
  let a20: u64 = load<u64>(st, 160);
  let a21: u64 = load<u64>(st, 168);
  let a22: u64 = load<u64>(st, 176);
  let a23: u64 = load<u64>(st, 184);
  let a24: u64 = load<u64>(st, 192);
  let b0: u64, b1: u64, b2: u64, b3: u64, b4: u64, b5: u64, b6: u64, b7: u64, b8: u64, b9: u64, b10: u64, b11: u64, b12: u64,
    b13: u64, b14: u64, b15: u64, b16: u64, b17: u64, b18: u64, b19: u64, b20: u64, b21: u64, b22: u64, b23: u64, b24: u64;
  let c0: u64, c1: u64, c2: u64, c3: u64, c4: u64, d0: u64, d1: u64, d2: u64, d3: u64, d4: u64;
  for (let r: usize = 0; r < 24; r++) {
    c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
    c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
    c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
    c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
    c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
    d0 = c4 ^ rotl<u64>(c1, 1);
    d1 = c0 ^ rotl<u64>(c2, 1);
    d2 = c1 ^ rotl<u64>(c3, 1);
    d3 = c2 ^ rotl<u64>(c4, 1);
    d4 = c3 ^ rotl<u64>(c0, 1);
    b0 = a0 ^ d0;
    b10 = rotl<u64>(a1 ^ d1, 1);
    b20 = rotl<u64>(a2 ^ d2, 62);
    b5 = rotl<u64>(a3 ^ d3, 28);
    b15 = rotl<u64>(a4 ^ d4, 27);
    b16 = rotl<u64>(a5 ^ d0, 36);
    b1 = rotl<u64>(a6 ^ d1, 44);
    b11 = rotl<u64>(a7 ^ d2, 6);
    b21 = rotl<u64>(a8 ^ d3, 55);
    b6 = rotl<u64>(a9 ^ d4, 20);
    b7 = rotl<u64>(a10 ^ d0, 3);
    b17 = rotl<u64>(a11 ^ d1, 10);
    b2 = rotl<u64>(a12 ^ d2, 43);
    b12 = rotl<u64>(a13 ^ d3, 25);
    b22 = rotl<u64>(a14 ^ d4, 39);
    b23 = rotl<u64>(a15 ^ d0, 41);
    b8 = rotl<u64>(a16 ^ d1, 45);
    b18 = rotl<u64>(a17 ^ d2, 15);
    b3 = rotl<u64>(a18 ^ d3, 21);
    b13 = rotl<u64>(a19 ^ d4, 8);
    b14 = rotl<u64>(a20 ^ d0, 18);
    b24 = rotl<u64>(a21 ^ d1, 2);
    b9 = rotl<u64>(a22 ^ d2, 61);
    b19 = rotl<u64>(a23 ^ d3, 56);
    b4 = rotl<u64>(a24 ^ d4, 14);
    a0 = b0 ^ (~b1 & b2);
    a1 = b1 ^ (~b2 & b3);
    a2 = b2 ^ (~b3 & b4);
    a3 = b3 ^ (~b4 & b0);
    a4 = b4 ^ (~b0 & b1);
    a5 = b5 ^ (~b6 & b7);
    a6 = b6 ^ (~b7 & b8);
    a7 = b7 ^ (~b8 & b9);
    a8 = b8 ^ (~b9 & b5);
    a9 = b9 ^ (~b5 & b6);
    a10 = b10 ^ (~b11 & b12);
    a11 = b11 ^ (~b12 & b13);
    a12 = b12 ^ (~b13 & b14);
    a13 = b13 ^ (~b14 & b10);
    a14 = b14 ^ (~b10 & b11);
    a15 = b15 ^ (~b16 & b17);
    a16 = b16 ^ (~b17 & b18);
    a17 = b17 ^ (~b18 & b19);
    a18 = b18 ^ (~b19 & b15);
    a19 = b19 ^ (~b15 & b16);
    a20 = b20 ^ (~b21 & b22);
    a21 = b21 ^ (~b22 & b23);
    a22 = b22 ^ (~b23 & b24);
    a23 = b23 ^ (~b24 & b20);
    a24 = b24 ^ (~b20 & b21);
    a0 ^= load<u64>(RC + (r << 3));

  }
  store<u64>(st, a0, 0);
  store<u64>(st, a1, 8);
  store<u64>(st, a2, 16);
  store<u64>(st, a3, 24);
  store<u64>(st, a4, 32);
  store<u64>(st, a5, 40);
  store<u64>(st, a6, 48);
  store<u64>(st, a7, 56);
  store<u64>(st, a8, 64);
  store<u64>(st, a9, 72);
  store<u64>(st, a10, 80);
  store<u64>(st, a11, 88);
  store<u64>(st, a12, 96);
  store<u64>(st, a13, 104);
  store<u64>(st, a14, 112);
  store<u64>(st, a15, 120);
  store<u64>(st, a16, 128);
  store<u64>(st, a17, 136);
  store<u64>(st, a18, 144);
  store<u64>(st, a19, 152);
  store<u64>(st, a20, 160);
  store<u64>(st, a21, 168);
  store<u64>(st, a22, 176);
  store<u64>(st, a23, 184);
  store<u64>(st, a24, 192);
}
