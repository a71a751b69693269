// ProgPoW 0.9.2 building blocks shared by every period's search kernel (pow.md 3.1, 3.2, 5.1).

// The FNV constants and the Ethash and ProgPoW parameters, rendered from src/pow/.
/*{{POW_CONSTANTS}}*/

fn fnv1a(h: u32, d: u32) -> u32 {
  return (h ^ d) * FNV_PRIME;
}

struct Kiss99 {
  z: u32,
  w: u32,
  jsr: u32,
  jcong: u32,
}

fn kiss99(st: ptr<function, Kiss99>) -> u32 {
  (*st).z = 36969u * ((*st).z & 0xffffu) + ((*st).z >> 16u);
  (*st).w = 18000u * ((*st).w & 0xffffu) + ((*st).w >> 16u);
  let mwc = ((*st).z << 16u) + (*st).w;
  (*st).jsr ^= (*st).jsr << 17u;
  (*st).jsr ^= (*st).jsr >> 13u;
  (*st).jsr ^= (*st).jsr << 5u;
  (*st).jcong = 69069u * (*st).jcong + 1234567u;
  return (mwc ^ (*st).jcong) + (*st).jsr;
}

// A lane's 32 registers from its own KISS99 stream; seed is (low word, high word).
fn fill_mix(seed: vec2<u32>, lane: u32) -> array<u32, PROGPOW_REGS> {
  var st: Kiss99;
  var h = FNV_OFFSET;
  h = fnv1a(h, seed.x);
  st.z = h;
  h = fnv1a(h, seed.y);
  st.w = h;
  h = fnv1a(h, lane);
  st.jsr = h;
  h = fnv1a(h, lane);
  st.jcong = h;
  var mix: array<u32, PROGPOW_REGS>;
  for (var i = 0u; i < PROGPOW_REGS; i++) {
    mix[i] = kiss99(&st);
  }
  return mix;
}

fn lane_hash(mix: array<u32, PROGPOW_REGS>) -> u32 {
  var h = FNV_OFFSET;
  for (var i = 0u; i < PROGPOW_REGS; i++) {
    h = fnv1a(h, mix[i]);
  }
  return h;
}

// High word of the 64-bit product, from 16-bit halves (WGSL has no u64).
fn mul_hi(a: u32, b: u32) -> u32 {
  let a_lo = a & 0xffffu;
  let a_hi = a >> 16u;
  let b_lo = b & 0xffffu;
  let b_hi = b >> 16u;
  let lo_lo = a_lo * b_lo;
  let hi_lo = a_hi * b_lo;
  let lo_hi = a_lo * b_hi;
  // At most 0xffff + 0xffff + 0xfffe0001: no overflow.
  let cross = (lo_lo >> 16u) + (hi_lo & 0xffffu) + lo_hi;
  return a_hi * b_hi + (hi_lo >> 16u) + (cross >> 16u);
}

fn bswap32(x: u32) -> u32 {
  return (x << 24u) | ((x & 0xff00u) << 8u) | ((x >> 8u) & 0xff00u) | (x >> 24u);
}
