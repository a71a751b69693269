// What subgroups really are on an adapter, as a kernel sees them: the size the adapter
// reports, the size the subgroup_size builtin says, and the size the subgroup operations act
// on (how many invocations a subgroupAdd(1) counts). They can differ: lavapipe reports 32 or
// 64 lanes when told to vectorise that wide, but its subgroups stay 16 invocations.
import { WebgpuError } from './errors.js';
import type { GpuContext } from './gpu-context.js';
import { readBack } from './wait.js';
import { dispatchOneWorkgroup } from './one-workgroup.js';

export interface SubgroupProbe {
  readonly reportedMin: number | undefined;
  readonly reportedMax: number | undefined;
  /** The subgroup_size builtin (the largest any invocation saw). */
  readonly builtin: number;
  /** Invocations one subgroupAdd(1u) counted (the largest any subgroup gave). */
  readonly real: number;
  /** One more than the largest subgroup_invocation_id seen. */
  readonly idRange: number;
}

const INVOCATIONS = 256;

const PROBE = `enable subgroups;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(${INVOCATIONS})
fn main(@builtin(local_invocation_index) lid: u32, @builtin(subgroup_size) size: u32, @builtin(subgroup_invocation_id) id: u32) {
  out[3u * lid] = size;
  out[3u * lid + 1u] = subgroupAdd(1u);
  out[3u * lid + 2u] = id;
}`;

/** Run the probe kernel; the context must have the subgroups feature. */
export async function probeSubgroups(ctx: GpuContext): Promise<SubgroupProbe> {
  if (!ctx.subgroups) throw new WebgpuError('the adapter has no subgroups to probe');
  const { device } = ctx;
  const bytes = 3 * 4 * INVOCATIONS;
  const out = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readback = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    dispatchOneWorkgroup(device, PROBE, out, readback, bytes);
    const words = new Uint32Array((await readBack(ctx, readback, 0)).data);
    let builtin = 0;
    let real = 0;
    let idRange = 0;
    for (let i = 0; i < INVOCATIONS; i++) {
      builtin = Math.max(builtin, words[3 * i]!);
      real = Math.max(real, words[3 * i + 1]!);
      idRange = Math.max(idRange, words[3 * i + 2]! + 1);
    }
    return { reportedMin: ctx.summary.subgroupMinSize, reportedMax: ctx.summary.subgroupMaxSize, builtin, real, idRange };
  } finally {
    out.destroy();
    readback.destroy();
  }
}
