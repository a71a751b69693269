// Ethash dataset items (pow.md section 4), one item per invocation, written straight into
// one DAG chunk buffer. Needs keccak-f1600.wgsl in front of it.

override WORKGROUP_SIZE: u32 = 64u;
// Rows of 64 bytes in the light cache: a pipeline constant, so `% CACHE_ROWS` compiles to a
// multiply instead of a division (most of the parent loop's cost on CPUs).
override CACHE_ROWS: u32;

// The FNV constants and the Ethash and ProgPoW parameters, rendered from src/pow/.
/*{{POW_CONSTANTS}}*/

struct DagBuildParams {
  // Global index of the first item this dispatch computes.
  first_item: u32,
  // Items to compute; invocations beyond it do nothing.
  item_count: u32,
  // Where that first item goes in the chunk buffer, in items.
  out_item: u32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> params: DagBuildParams;
@group(0) @binding(1) var<storage, read> cache: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> chunk: array<vec4<u32>>;

fn fnv4(a: vec4<u32>, b: vec4<u32>) -> vec4<u32> {
  return (a * FNV_PRIME) ^ b;
}

// Fold one cache parent, chosen by word j of the mix, into the whole mix.
fn mix_parent(mix: ptr<function, array<vec4<u32>, 4>>, item: u32, p: u32, j: u32) {
  let parent = (((item ^ p) * FNV_PRIME) ^ (*mix)[j >> 2u][j & 3u]) % CACHE_ROWS;
  let row = parent * 4u;
  (*mix)[0] = fnv4((*mix)[0], cache[row]);
  (*mix)[1] = fnv4((*mix)[1], cache[row + 1u]);
  (*mix)[2] = fnv4((*mix)[2], cache[row + 2u]);
  (*mix)[3] = fnv4((*mix)[3], cache[row + 3u]);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn build_items(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  // 2-D dispatches lift the 65535-workgroup limit per dimension.
  let n = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (n >= params.item_count) {
    return;
  }
  let item = params.first_item + n;
  let row = (item % CACHE_ROWS) * 4u;
  var mix = array<vec4<u32>, 4>(cache[row], cache[row + 1u], cache[row + 2u], cache[row + 3u]);
  mix[0].x ^= item;
  mix = keccak512_64(mix);
  // p % 16 selects the mix word: step p by 16 so every word index is a constant.
  for (var p = 0u; p < DATASET_PARENTS; p += 16u) {
    mix_parent(&mix, item, p, 0u);
    mix_parent(&mix, item, p + 1u, 1u);
    mix_parent(&mix, item, p + 2u, 2u);
    mix_parent(&mix, item, p + 3u, 3u);
    mix_parent(&mix, item, p + 4u, 4u);
    mix_parent(&mix, item, p + 5u, 5u);
    mix_parent(&mix, item, p + 6u, 6u);
    mix_parent(&mix, item, p + 7u, 7u);
    mix_parent(&mix, item, p + 8u, 8u);
    mix_parent(&mix, item, p + 9u, 9u);
    mix_parent(&mix, item, p + 10u, 10u);
    mix_parent(&mix, item, p + 11u, 11u);
    mix_parent(&mix, item, p + 12u, 12u);
    mix_parent(&mix, item, p + 13u, 13u);
    mix_parent(&mix, item, p + 14u, 14u);
    mix_parent(&mix, item, p + 15u, 15u);
  }
  mix = keccak512_64(mix);
  let out = (params.out_item + n) * 4u;
  chunk[out] = mix[0];
  chunk[out + 1u] = mix[1];
  chunk[out + 2u] = mix[2];
  chunk[out + 3u] = mix[3];
}
