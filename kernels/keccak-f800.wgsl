// Keccak-f[800] as ProgPoW 0.9.2 uses it (pow.md 3.3): 22 rounds over 25 u32 lanes,
// absorbing 18 words with no padding. KECCAK_F800_RC is rendered in from src/pow (POW_CONSTANTS).

// Rotate left by n; the shift by (32 - n) wraps to 0 when n is 0, so n == 0 gives x | x = x.
fn rotl32(x: u32, n: u32) -> u32 {
  return (x << (n & 31u)) | (x >> ((32u - n) & 31u));
}

fn rotr32(x: u32, n: u32) -> u32 {
  return (x >> (n & 31u)) | (x << ((32u - n) & 31u));
}

fn keccak_f800(state: array<u32, 25>) -> array<u32, 25> {
  var a = state;
  for (var round = 0u; round < 22u; round++) {
      let c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
      let c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
      let c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
      let c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
      let c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
      let d0 = c4 ^ rotl32(c1, 1u);
      let d1 = c0 ^ rotl32(c2, 1u);
      let d2 = c1 ^ rotl32(c3, 1u);
      let d3 = c2 ^ rotl32(c4, 1u);
      let d4 = c3 ^ rotl32(c0, 1u);
      let b0 = (a[0] ^ d0);
      let b1 = rotl32((a[6] ^ d1), 12u);
      let b2 = rotl32((a[12] ^ d2), 11u);
      let b3 = rotl32((a[18] ^ d3), 21u);
      let b4 = rotl32((a[24] ^ d4), 14u);
      let b5 = rotl32((a[3] ^ d3), 28u);
      let b6 = rotl32((a[9] ^ d4), 20u);
      let b7 = rotl32((a[10] ^ d0), 3u);
      let b8 = rotl32((a[16] ^ d1), 13u);
      let b9 = rotl32((a[22] ^ d2), 29u);
      let b10 = rotl32((a[1] ^ d1), 1u);
      let b11 = rotl32((a[7] ^ d2), 6u);
      let b12 = rotl32((a[13] ^ d3), 25u);
      let b13 = rotl32((a[19] ^ d4), 8u);
      let b14 = rotl32((a[20] ^ d0), 18u);
      let b15 = rotl32((a[4] ^ d4), 27u);
      let b16 = rotl32((a[5] ^ d0), 4u);
      let b17 = rotl32((a[11] ^ d1), 10u);
      let b18 = rotl32((a[17] ^ d2), 15u);
      let b19 = rotl32((a[23] ^ d3), 24u);
      let b20 = rotl32((a[2] ^ d2), 30u);
      let b21 = rotl32((a[8] ^ d3), 23u);
      let b22 = rotl32((a[14] ^ d4), 7u);
      let b23 = rotl32((a[15] ^ d0), 9u);
      let b24 = rotl32((a[21] ^ d1), 2u);
      a[0] = b0 ^ (~b1 & b2);
      a[1] = b1 ^ (~b2 & b3);
      a[2] = b2 ^ (~b3 & b4);
      a[3] = b3 ^ (~b4 & b0);
      a[4] = b4 ^ (~b0 & b1);
      a[5] = b5 ^ (~b6 & b7);
      a[6] = b6 ^ (~b7 & b8);
      a[7] = b7 ^ (~b8 & b9);
      a[8] = b8 ^ (~b9 & b5);
      a[9] = b9 ^ (~b5 & b6);
      a[10] = b10 ^ (~b11 & b12);
      a[11] = b11 ^ (~b12 & b13);
      a[12] = b12 ^ (~b13 & b14);
      a[13] = b13 ^ (~b14 & b10);
      a[14] = b14 ^ (~b10 & b11);
      a[15] = b15 ^ (~b16 & b17);
      a[16] = b16 ^ (~b17 & b18);
      a[17] = b17 ^ (~b18 & b19);
      a[18] = b18 ^ (~b19 & b15);
      a[19] = b19 ^ (~b15 & b16);
      a[20] = b20 ^ (~b21 & b22);
      a[21] = b21 ^ (~b22 & b23);
      a[22] = b22 ^ (~b23 & b24);
      a[23] = b23 ^ (~b24 & b20);
      a[24] = b24 ^ (~b20 & b21);
    a[0] ^= KECCAK_F800_RC[round];
  }
  return a;
}

// keccak_progpow(header, seed, digest): returns the first two output words, which is all
// hash_seed and the 64-bit target test need (pow.md 3.3, 7.2).
fn keccak_progpow(header: array<vec4<u32>, 2>, seed: vec2<u32>, digest: array<u32, 8>) -> vec2<u32> {
  var a: array<u32, 25>;
  for (var i = 0u; i < 4u; i++) {
    a[i] = header[0][i];
    a[4u + i] = header[1][i];
  }
  a[8] = seed.x;
  a[9] = seed.y;
  for (var i = 0u; i < 8u; i++) {
    a[10u + i] = digest[i];
  }
  a = keccak_f800(a);
  return vec2<u32>(a[0], a[1]);
}
