// Keccak-f[800] with the 22 rounds ProgPoW uses (pow.md 3.3), on a 100-byte state in memory.

// Low 32 bits of the Keccak-f[1600] round constants.
const RC: usize = memory.data<u32>([
  0x00000001, 0x00008082, 0x0000808a, 0x80008000, 0x0000808b, 0x80000001,
  0x80008081, 0x00008009, 0x0000008a, 0x00000088, 0x80008009, 0x8000000a,
  0x8000808b, 0x0000008b, 0x00008089, 0x00008003, 0x00008002, 0x00000080,
  0x0000800a, 0x8000000a, 0x80008081, 0x00008080
]);

export function keccakF800(st: usize): void {
  let a0: u32 = load<u32>(st, 0);
  let a1: u32 = load<u32>(st, 4);
  let a2: u32 = load<u32>(st, 8);
  let a3: u32 = load<u32>(st, 12);
  let a4: u32 = load<u32>(st, 16);
  let a5: u32 = load<u32>(st, 20);
  let a6: u32 = load<u32>(st, 24);
  let a7: u32 = load<u32>(st, 28);
  let a8: u32 = load<u32>(st, 32);
  let a9: u32 = load<u32>(st, 36);
  let a10: u32 = load<u32>(st, 40);
  let a11: u32 = load<u32>(st, 44);
  let a12: u32 = load<u32>(st, 48);
  let a13: u32 = load<u32>(st, 52);
  let a14: u32 = load<u32>(st, 56);
  let a15: u32 = load<u32>(st, 60);
  let a16: u32 = load<u32>(st, 64);
  let a17: u32 = load<u32>(st, 68);
  let a18: u32 = load<u32>(st, 72);
  let a19: u32 = load<u32>(st, 76);
  let a20: u32 = load<u32>(st, 80);
  let a21: u32 = load<u32>(st, 84);
  let a22: u32 = load<u32>(st, 88);
  let a23: u32 = load<u32>(st, 92);
  let a24: u32 = load<u32>(st, 96);
  let b0: u32, b1: u32, b2: u32, b3: u32, b4: u32, b5: u32, b6: u32, b7: u32, b8: u32, b9: u32, b10: u32, b11: u32, b12: u32,
    b13: u32, b14: u32, b15: u32, b16: u32, b17: u32, b18: u32, b19: u32, b20: u32, b21: u32, b22: u32, b23: u32, b24: u32;
  let c0: u32, c1: u32, c2: u32, c3: u32, c4: u32, d0: u32, d1: u32, d2: u32, d3: u32, d4: u32;
  for (let r: usize = 0; r < 22; r++) {
    c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
    c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
    c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
    c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
    c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
    d0 = c4 ^ rotl<u32>(c1, 1);
    d1 = c0 ^ rotl<u32>(c2, 1);
    d2 = c1 ^ rotl<u32>(c3, 1);
    d3 = c2 ^ rotl<u32>(c4, 1);
    d4 = c3 ^ rotl<u32>(c0, 1);
    b0 = a0 ^ d0;
    b10 = rotl<u32>(a1 ^ d1, 1);
    b20 = rotl<u32>(a2 ^ d2, 30);
    b5 = rotl<u32>(a3 ^ d3, 28);
    b15 = rotl<u32>(a4 ^ d4, 27);
    b16 = rotl<u32>(a5 ^ d0, 4);
    b1 = rotl<u32>(a6 ^ d1, 12);
    b11 = rotl<u32>(a7 ^ d2, 6);
    b21 = rotl<u32>(a8 ^ d3, 23);
    b6 = rotl<u32>(a9 ^ d4, 20);
    b7 = rotl<u32>(a10 ^ d0, 3);
    b17 = rotl<u32>(a11 ^ d1, 10);
    b2 = rotl<u32>(a12 ^ d2, 11);
    b12 = rotl<u32>(a13 ^ d3, 25);
    b22 = rotl<u32>(a14 ^ d4, 7);
    b23 = rotl<u32>(a15 ^ d0, 9);
    b8 = rotl<u32>(a16 ^ d1, 13);
    b18 = rotl<u32>(a17 ^ d2, 15);
    b3 = rotl<u32>(a18 ^ d3, 21);
    b13 = rotl<u32>(a19 ^ d4, 8);
    b14 = rotl<u32>(a20 ^ d0, 18);
    b24 = rotl<u32>(a21 ^ d1, 2);
    b9 = rotl<u32>(a22 ^ d2, 29);
    b19 = rotl<u32>(a23 ^ d3, 24);
    b4 = rotl<u32>(a24 ^ d4, 14);
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
    a0 ^= load<u32>(RC + (r << 2));

  }
  store<u32>(st, a0, 0);
  store<u32>(st, a1, 4);
  store<u32>(st, a2, 8);
  store<u32>(st, a3, 12);
  store<u32>(st, a4, 16);
  store<u32>(st, a5, 20);
  store<u32>(st, a6, 24);
  store<u32>(st, a7, 28);
  store<u32>(st, a8, 32);
  store<u32>(st, a9, 36);
  store<u32>(st, a10, 40);
  store<u32>(st, a11, 44);
  store<u32>(st, a12, 48);
  store<u32>(st, a13, 52);
  store<u32>(st, a14, 56);
  store<u32>(st, a15, 60);
  store<u32>(st, a16, 64);
  store<u32>(st, a17, 68);
  store<u32>(st, a18, 72);
  store<u32>(st, a19, 76);
  store<u32>(st, a20, 80);
  store<u32>(st, a21, 84);
  store<u32>(st, a22, 88);
  store<u32>(st, a23, 92);
  store<u32>(st, a24, 96);
}
