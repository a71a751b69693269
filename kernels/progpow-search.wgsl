// ProgPoW nonce search, cooperative shape: THREADS_PER_HASH invocations share one hash, each
// holding LANES_PER_THREAD of its 16 lanes, and exchange each round's mix[0] through one
// lane-exchange-*.wgsl. The shape for GPUs, where a hash's DAG entry is one coalesced load.
// Needs progpow-search-io.wgsl (first), progpow-common.wgsl, keccak-f800.wgsl.

var<workgroup> seeds: array<vec2<u32>, HASHES_PER_GROUP>;
var<workgroup> lane_hashes: array<u32, HASHES_PER_GROUP * PROGPOW_LANES>;

// Reduce one hash's lane hashes to the digest and finish it.
fn check_hash(offset: u32, seed: vec2<u32>, slot: u32) {
  let base = slot * PROGPOW_LANES;
  var digest: array<u32, 8>;
  for (var i = 0u; i < 8u; i++) {
    digest[i] = digest_word(lane_hashes[base + i], lane_hashes[base + i + 8u]);
  }
  check_digest(offset, seed, digest);
}

/*{{PROGRAM}}*/

/*{{SEARCH_ENTRY}}*/
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
