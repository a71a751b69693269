/*{{ENABLES}}*/
// What every shape of the ProgPoW nonce search (pow.md 5.3) shares: its parameters and output,
// the DAG bindings and loads, the 16 KiB cache in workgroup memory, and the two keccak ends of
// a hash. The period's program, the DAG bindings and the launch constants are rendered in.
// Needs progpow-common.wgsl and keccak-f800.wgsl.

/*{{CONSTANTS}}*/

struct SearchParams {
  header: array<vec4<u32>, 2>,
  // First nonce of this dispatch as (low word, high word).
  start: vec2<u32>,
  // Nonces in this dispatch.
  count: u32,
  pad: u32,
  // Top 64 bits of the target as (high word, low word).
  target_top: vec2<u32>,
}

// A nonce whose final hash passes the 64-bit target test; the host re-checks all 256 bits.
struct Candidate {
  offset: u32,
  final_hi: u32,
  final_lo: u32,
}

struct SearchOutput {
  count: atomic<u32>,
  // Non-zero when the lane exchange found the invocation layout it relies on broken.
  fault: atomic<u32>,
  candidates: array<Candidate, MAX_CANDIDATES>,
}

@group(0) @binding(0) var<uniform> params: SearchParams;
@group(0) @binding(1) var<storage, read_write> output: SearchOutput;
/*{{DAG_BINDINGS}}*/

// The 16 KiB ProgPoW cache: the first 4096 words of the DAG.
var<workgroup> c_dag: array<u32, PROGPOW_CACHE_WORDS>;

// Words 4 * word_group .. +3 of a DAG entry: one vec4 of PROGPOW_DAG_LOADS words per lane.
fn dag_load(entry: u32, word_group: u32) -> vec4<u32> {
  /*{{DAG_LOAD}}*/
}

// The workgroup's copy of the cache; every invocation takes part, and a barrier follows.
fn load_cache(lid: u32) {
  for (var i = lid; i < PROGPOW_CACHE_WORDS / 4u; i += WORKGROUP_SIZE) {
    let v = dag_texel(i);
    c_dag[4u * i] = v.x;
    c_dag[4u * i + 1u] = v.y;
    c_dag[4u * i + 2u] = v.z;
    c_dag[4u * i + 3u] = v.w;
  }
  workgroupBarrier();
}

fn nonce_at(offset: u32) -> vec2<u32> {
  let lo = params.start.x + offset;
  return vec2<u32>(lo, params.start.y + select(0u, 1u, lo < offset));
}

// hash_seed as (low word, high word): the first two output words read big-endian.
fn hash_seed(nonce: vec2<u32>) -> vec2<u32> {
  var zero: array<u32, 8>;
  let out = keccak_progpow(params.header, nonce, zero);
  return vec2<u32>(bswap32(out.y), bswap32(out.x));
}

// The digest words from the 16 lane hashes (pow.md 5.3, reduce).
fn digest_word(lane_hash_i: u32, lane_hash_i8: u32) -> u32 {
  return fnv1a(fnv1a(FNV_OFFSET, lane_hash_i), lane_hash_i8);
}

// Finish a hash from its digest and report it when it may be a solution.
fn check_digest(offset: u32, seed: vec2<u32>, digest: array<u32, 8>) {
  let out = keccak_progpow(params.header, seed, digest);
  let hi = bswap32(out.x);
  let lo = bswap32(out.y);
  if (hi < params.target_top.x || (hi == params.target_top.x && lo <= params.target_top.y)) {
    let i = atomicAdd(&output.count, 1u);
    if (i < MAX_CANDIDATES) {
      output.candidates[i] = Candidate(offset, hi, lo);
    }
  }
}
