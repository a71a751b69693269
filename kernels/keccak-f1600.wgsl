// Keccak-f[1600] with each 64-bit lane held as vec2<u32>(low word, high word): WGSL has no u64.
// KECCAK_F1600_RC is rendered in from src/pow (POW_CONSTANTS).

// Rotate a 64-bit lane left by n (0 <= n < 64).
fn rotl64(v: vec2<u32>, n: u32) -> vec2<u32> {
  // A rotation by 32 swaps the halves; the rest is a rotation by n mod 32.
  let w = select(v, v.yx, n >= 32u);
  let s = n & 31u;
  if (s == 0u) {
    return w;
  }
  return (w << vec2<u32>(s)) | (w.yx >> vec2<u32>(32u - s));
}

fn keccak_f1600(state: array<vec2<u32>, 25>) -> array<vec2<u32>, 25> {
  var a = state;
  for (var round = 0u; round < 24u; round++) {
      let c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
      let c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
      let c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
      let c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
      let c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
      let d0 = c4 ^ rotl64(c1, 1u);
      let d1 = c0 ^ rotl64(c2, 1u);
      let d2 = c1 ^ rotl64(c3, 1u);
      let d3 = c2 ^ rotl64(c4, 1u);
      let d4 = c3 ^ rotl64(c0, 1u);
      let b0 = (a[0] ^ d0);
      let b1 = rotl64((a[6] ^ d1), 44u);
      let b2 = rotl64((a[12] ^ d2), 43u);
      let b3 = rotl64((a[18] ^ d3), 21u);
      let b4 = rotl64((a[24] ^ d4), 14u);
      let b5 = rotl64((a[3] ^ d3), 28u);
      let b6 = rotl64((a[9] ^ d4), 20u);
      let b7 = rotl64((a[10] ^ d0), 3u);
      let b8 = rotl64((a[16] ^ d1), 45u);
      let b9 = rotl64((a[22] ^ d2), 61u);
      let b10 = rotl64((a[1] ^ d1), 1u);
      let b11 = rotl64((a[7] ^ d2), 6u);
      let b12 = rotl64((a[13] ^ d3), 25u);
      let b13 = rotl64((a[19] ^ d4), 8u);
      let b14 = rotl64((a[20] ^ d0), 18u);
      let b15 = rotl64((a[4] ^ d4), 27u);
      let b16 = rotl64((a[5] ^ d0), 36u);
      let b17 = rotl64((a[11] ^ d1), 10u);
      let b18 = rotl64((a[17] ^ d2), 15u);
      let b19 = rotl64((a[23] ^ d3), 56u);
      let b20 = rotl64((a[2] ^ d2), 62u);
      let b21 = rotl64((a[8] ^ d3), 55u);
      let b22 = rotl64((a[14] ^ d4), 39u);
      let b23 = rotl64((a[15] ^ d0), 41u);
      let b24 = rotl64((a[21] ^ d1), 2u);
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
    a[0] ^= KECCAK_F1600_RC[round];
  }
  return a;
}

// keccak-512 (original Keccak padding 0x01) of a 64-byte message given as 16 little-endian words.
fn keccak512_64(m: array<vec4<u32>, 4>) -> array<vec4<u32>, 4> {
  var a: array<vec2<u32>, 25>;
  a[0] = m[0].xy;
  a[1] = m[0].zw;
  a[2] = m[1].xy;
  a[3] = m[1].zw;
  a[4] = m[2].xy;
  a[5] = m[2].zw;
  a[6] = m[3].xy;
  a[7] = m[3].zw;
  // Rate is 72 bytes: the 0x01 pad byte lands at byte 64, the final 0x80 at byte 71.
  a[8] = vec2<u32>(0x00000001u, 0x80000000u);
  a = keccak_f1600(a);
  return array<vec4<u32>, 4>(vec4<u32>(a[0], a[1]), vec4<u32>(a[2], a[3]), vec4<u32>(a[4], a[5]), vec4<u32>(a[6], a[7]));
}
