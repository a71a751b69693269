/*{{ENABLES}}*/
// ProgPoW 0.9.2 nonce search (pow.md 5.3). THREADS_PER_HASH invocations share one hash, each
// holding LANES_PER_THREAD of its 16 lanes; the period's random program (progpow_round), the
// DAG bindings and the lane exchange are rendered in. Needs progpow-common.wgsl,
// keccak-f800.wgsl and one lane-exchange-*.wgsl.

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
var<workgroup> seeds: array<vec2<u32>, HASHES_PER_GROUP>;
var<workgroup> lane_hashes: array<u32, HASHES_PER_GROUP * PROGPOW_LANES>;

// Words 4 * word_group .. +3 of a DAG entry: one vec4 of PROGPOW_DAG_LOADS words per lane.
fn dag_load(entry: u32, word_group: u32) -> vec4<u32> {
  let chunk = entry / ENTRIES_PER_CHUNK;
  let index = (entry - chunk * ENTRIES_PER_CHUNK) * PROGPOW_LANES + word_group;
  /*{{DAG_LOAD}}*/
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

// Reduce one hash's lane hashes to the digest, finish it and report it when it may be a solution.
fn check_hash(offset: u32, seed: vec2<u32>, slot: u32) {
  let base = slot * PROGPOW_LANES;
  var digest: array<u32, 8>;
  for (var i = 0u; i < 8u; i++) {
    digest[i] = fnv1a(fnv1a(FNV_OFFSET, lane_hashes[base + i]), lane_hashes[base + i + 8u]);
  }
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

/*{{PROGRAM}}*/

@compute @workgroup_size(WORKGROUP_SIZE)
fn search(
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  /*{{EXCHANGE_PARAMS}}*/
) {
  for (var i = lid; i < PROGPOW_CACHE_WORDS / 4u; i += WORKGROUP_SIZE) {
    let v = dag_0[i];
    c_dag[4u * i] = v.x;
    c_dag[4u * i + 1u] = v.y;
    c_dag[4u * i + 2u] = v.z;
    c_dag[4u * i + 3u] = v.w;
  }
  /*{{EXCHANGE_SETUP}}*/
  let slot = lid / THREADS_PER_HASH;
  let thread_in_hash = lid % THREADS_PER_HASH;
  let first_lane = thread_in_hash * LANES_PER_THREAD;
  // Each workgroup walks the dispatch's nonces in strides of all workgroups' hashes.
  let per_round = groups.x * HASHES_PER_GROUP;
  let rounds = (params.count + per_round - 1u) / per_round;
  for (var round = 0u; round < rounds; round++) {
    let group_first = (round * groups.x + wid.x) * HASHES_PER_GROUP;
    workgroupBarrier();
    if (lid < HASHES_PER_GROUP) {
      seeds[lid] = hash_seed(nonce_at(group_first + lid));
    }
    workgroupBarrier();
    let seed = seeds[slot];
    /*{{LANE_INIT}}*/
    for (var r = 0u; r < PROGPOW_CNT_DAG; r++) {
      // Lane r % 16 picks this iteration's entry with its register 0.
      let source = r % PROGPOW_LANES;
      let own = /*{{LANE_PICK}}*/;
      let entry = exchange_mix0(own, slot, thread_in_hash, source / LANES_PER_THREAD, r) % DAG_ENTRIES;
      /*{{LANE_ROUND}}*/
    }
    /*{{LANE_REDUCE}}*/
    workgroupBarrier();
    if (lid < HASHES_PER_GROUP) {
      let offset = group_first + lid;
      if (offset < params.count) {
        check_hash(offset, seeds[lid], lid);
      }
    }
  }
}
