// Lane exchange through subgroup shuffles: a hash's invocations must be THREADS_PER_HASH
// consecutive subgroup invocations. That holds when subgroups are consecutive runs of
// local_invocation_index, which WebGPU does not promise, so it is checked at entry and a
// broken layout raises the output's fault flag instead of producing wrong hashes silently.

// Subgroup invocation id of this hash's first invocation.
var<private> hash_subgroup_base: u32;

fn exchange_setup(lid: u32, sg_id: u32, sg_size: u32) {
  hash_subgroup_base = sg_id & ~(THREADS_PER_HASH - 1u);
  let base_lid = subgroupShuffle(lid, hash_subgroup_base);
  if (sg_size < THREADS_PER_HASH || sg_id % THREADS_PER_HASH != lid % THREADS_PER_HASH || base_lid != lid - lid % THREADS_PER_HASH) {
    atomicOr(&output.fault, 1u);
  }
}

fn exchange_mix0(own: u32, slot: u32, thread_in_hash: u32, owner: u32, r: u32) -> u32 {
  return subgroupShuffle(own, hash_subgroup_base + owner);
}
