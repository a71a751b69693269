// ProgPoW nonce search, one invocation per hash: each invocation holds all 16 lanes of its own
// nonce, so there is no lane exchange and no barrier after the cache is loaded, and all 16
// lanes' DAG words of a round are loaded before any is used. The shape for CPUs (software
// adapters): a SIMD vector of invocations is that many independent hashes, whose DAG misses
// overlap. Its 512 live registers per invocation suit no GPU.
// Needs progpow-search-io.wgsl (first), progpow-common.wgsl, keccak-f800.wgsl.

/*{{PROGRAM}}*/

/*{{SEARCH_ENTRY}}*/
  // Each workgroup walks the dispatch's nonces in strides of all workgroups' invocations.
  let per_round = groups.x * WORKGROUP_SIZE;
  let rounds = (params.count + per_round - 1u) / per_round;
  for (var round = 0u; round < rounds; round++) {
    let offset = (round * groups.x + wid.x) * WORKGROUP_SIZE + lid;
    if (offset >= params.count) {
      break;
    }
    let seed = hash_seed(nonce_at(offset));
    // LANES_PER_THREAD is PROGPOW_LANES here: the type progpow_round takes.
    var mix: array<array<u32, PROGPOW_REGS>, LANES_PER_THREAD>;
    for (var l = 0u; l < PROGPOW_LANES; l++) {
      mix[l] = fill_mix(seed, l);
    }
    for (var r = 0u; r < PROGPOW_CNT_DAG; r++) {
      // Lane r % 16 picks this iteration's entry with its register 0.
      let entry = mix[r % PROGPOW_LANES][0] % DAG_ENTRIES;
      var data: array<vec4<u32>, PROGPOW_LANES>;
      for (var l = 0u; l < PROGPOW_LANES; l++) {
        data[l] = dag_load(entry, (l ^ r) % PROGPOW_LANES);
      }
      for (var l = 0u; l < PROGPOW_LANES; l++) {
        progpow_round(&mix, l, data[l]);
      }
    }
    var hashes: array<u32, PROGPOW_LANES>;
    for (var l = 0u; l < PROGPOW_LANES; l++) {
      hashes[l] = lane_hash(mix[l]);
    }
    var digest: array<u32, 8>;
    for (var i = 0u; i < 8u; i++) {
      digest[i] = digest_word(hashes[i], hashes[i + 8u]);
    }
    check_digest(offset, seed, digest);
  }
}
