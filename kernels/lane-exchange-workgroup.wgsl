// Lane exchange through workgroup memory: the owning invocation publishes the value and a
// barrier makes it visible to the hash's other invocations. Alternate halves of the buffer
// per iteration, so one barrier per iteration is enough: a half is only rewritten after the
// next barrier, which every reader of the previous value has passed.

var<workgroup> published_mix0: array<u32, HASHES_PER_GROUP * 2u>;

fn exchange_mix0(own: u32, slot: u32, thread_in_hash: u32, owner: u32, r: u32) -> u32 {
  let i = (r & 1u) * HASHES_PER_GROUP + slot;
  if (thread_in_hash == owner) {
    published_mix0[i] = own;
  }
  workgroupBarrier();
  return published_mix0[i];
}
