// The complete search kernel for one period, DAG layout and launch shape: the cooperative
// template (kernels/progpow-search.wgsl, several invocations per hash) or the one-invocation-
// per-hash template (progpow-search-single.wgsl), with the program, DAG bindings and lane
// handling rendered in.
import { PROGPOW_CACHE_BYTES, PROGPOW_LANES, type ProgpowProgram } from '../../pow/progpow-program.js';
import type { GpuDagLayout } from './dag-layout.js';
import { assembleKernel } from './kernel-source.js';
import { renderPowConstants } from './render-constants.js';
import { renderProgramRound } from './render-program.js';

/** How a hash's invocations share each round's mix[0]; 'none' when one invocation holds all 16 lanes. */
export type LaneExchange = 'workgroup' | 'subgroup' | 'none';

export interface SearchKernelConfig {
  /** Invocations per workgroup; a multiple of threadsPerHash. */
  readonly workgroupSize: number;
  /** Invocations cooperating on one hash: a divisor of PROGPOW_LANES (each then holds PROGPOW_LANES / n lanes); 1 exactly with exchange 'none'. */
  readonly threadsPerHash: number;
  readonly exchange: LaneExchange;
  /** Candidate slots in the output buffer. */
  readonly maxCandidates: number;
}

/** The bind group index of the DAG buffers (group 0 holds parameters and output). */
export const DAG_BIND_GROUP = 1;
/** Words before the candidate array in the output buffer: count and fault. */
export const OUTPUT_HEADER_WORDS = 2;
export const CANDIDATE_WORDS = 3;

export function hashesPerGroup(config: SearchKernelConfig): number {
  return config.workgroupSize / config.threadsPerHash;
}

/** Workgroup memory the kernel declares, in bytes. */
export function searchWorkgroupBytes(config: SearchKernelConfig): number {
  if (config.exchange === 'none') return PROGPOW_CACHE_BYTES;
  const hashes = hashesPerGroup(config);
  const exchange = config.exchange === 'workgroup' ? 2 * hashes * 4 : 0;
  return PROGPOW_CACHE_BYTES + hashes * 8 + hashes * PROGPOW_LANES * 4 + exchange;
}

/** A short name of the kernel variant, as logs and benchmarks print it: "subgroup T=8 x 256". */
export function describeSearchConfig(config: SearchKernelConfig): string {
  const kind = config.exchange === 'none' ? 'single' : config.exchange;
  return `${kind} T=${config.threadsPerHash} x ${config.workgroupSize}`;
}

export function checkSearchConfig(config: SearchKernelConfig): void {
  const { workgroupSize, threadsPerHash } = config;
  if (!Number.isInteger(threadsPerHash) || threadsPerHash < 1 || PROGPOW_LANES % threadsPerHash !== 0) {
    throw new RangeError(`threadsPerHash must divide ${PROGPOW_LANES}, got ${threadsPerHash}`);
  }
  if (workgroupSize % threadsPerHash !== 0) throw new RangeError(`workgroup size ${workgroupSize} is not a multiple of ${threadsPerHash}`);
  if ((config.exchange === 'none') !== (threadsPerHash === 1)) {
    throw new RangeError(`exchange 'none' goes with exactly one invocation per hash, got ${config.exchange} with ${threadsPerHash}`);
  }
}

function renderConstants(layout: GpuDagLayout, config: SearchKernelConfig): string {
  const lanesPerThread = PROGPOW_LANES / config.threadsPerHash;
  const storage =
    layout.kind === 'buffers'
      ? [`const ENTRIES_PER_CHUNK: u32 = ${layout.entriesPerChunk}u;`]
      : [`const DAG_TEXTURE_WIDTH_SHIFT: u32 = ${Math.log2(layout.width)}u;`, `const DAG_TEXTURE_HEIGHT: u32 = ${layout.height}u;`];
  return [
    `const WORKGROUP_SIZE: u32 = ${config.workgroupSize}u;`,
    `const THREADS_PER_HASH: u32 = ${config.threadsPerHash}u;`,
    `const LANES_PER_THREAD: u32 = ${lanesPerThread}u;`,
    `const HASHES_PER_GROUP: u32 = ${hashesPerGroup(config)}u;`,
    `const MAX_CANDIDATES: u32 = ${config.maxCandidates}u;`,
    `const DAG_ENTRIES: u32 = ${layout.entries}u;`,
    ...storage,
  ].join('\n');
}

/** The DAG's bindings (group DAG_BIND_GROUP) and `dag_texel(i)`, the i-th 16 bytes of the DAG (i within the first buffer). */
function renderDagBindings(layout: GpuDagLayout): string {
  if (layout.kind === 'buffers') {
    return [
      ...layout.chunkEntries.map((_, i) => `@group(${DAG_BIND_GROUP}) @binding(${i}) var<storage, read> dag_${i}: array<vec4<u32>>;`),
      'fn dag_texel(i: u32) -> vec4<u32> {',
      '  return dag_0[i];',
      '}',
    ].join('\n');
  }
  const layer = layout.layers === 1 ? '0u' : 'row / DAG_TEXTURE_HEIGHT';
  return [
    `@group(${DAG_BIND_GROUP}) @binding(0) var dag: texture_2d_array<u32>;`,
    'fn dag_texel(i: u32) -> vec4<u32> {',
    '  let row = i >> DAG_TEXTURE_WIDTH_SHIFT;',
    `  let layer = ${layer};`,
    '  let x = i & ((1u << DAG_TEXTURE_WIDTH_SHIFT) - 1u);',
    '  return textureLoad(dag, vec2<u32>(x, row - layer * DAG_TEXTURE_HEIGHT), layer, 0);',
    '}',
  ].join('\n');
}

/** The body of dag_load(entry, word_group): the texel, or a switch over the buffer that holds the entry. */
function renderDagLoad(layout: GpuDagLayout): string {
  if (layout.kind === 'texture') return 'return dag_texel(entry * PROGPOW_LANES + word_group);';
  const n = layout.chunkEntries.length;
  const index = 'let index = (entry - chunk * ENTRIES_PER_CHUNK) * PROGPOW_LANES + word_group;';
  if (n === 1) return 'return dag_0[entry * PROGPOW_LANES + word_group];';
  const cases = layout.chunkEntries.slice(0, -1).map((_, i) => `    case ${i}u: { return dag_${i}[index]; }`);
  return ['let chunk = entry / ENTRIES_PER_CHUNK;', `  ${index}`, '  switch chunk {', ...cases, `    default: { return dag_${n - 1}[index]; }`, '  }'].join('\n');
}

/**
 * A thread's lanes are separate variables (mix_0, mix_1) while it holds at most this many,
 * which GPU compilers keep in registers; beyond, they are one array walked by loops, whose
 * code stays small for CPU JITs (every lane unrolled compiles slowly there).
 */
const MAX_UNROLLED_LANES = 2;

/** Whether a cooperative kernel holds its lanes in an array walked by loops (more than MAX_UNROLLED_LANES per thread). */
export function loopsOverLanes(config: SearchKernelConfig): boolean {
  return config.exchange !== 'none' && PROGPOW_LANES / config.threadsPerHash > MAX_UNROLLED_LANES;
}

interface LaneParts {
  readonly LANE_INIT: string;
  readonly LANE_PICK: string;
  readonly LANE_ROUND: string;
  readonly LANE_REDUCE: string;
}

/** Statements repeated for each lane a thread holds; `k` is the lane's index within the thread. */
function perLane(lanesPerThread: number, render: (k: number) => string, indent: string): string {
  return Array.from({ length: lanesPerThread }, (_, k) => render(k)).join(`\n${indent}`);
}

/** Register 0 of the thread's lane number `source % lanesPerThread`. */
function renderLanePick(lanesPerThread: number): string {
  let pick = 'mix_0[0]';
  for (let k = 1; k < lanesPerThread; k++) pick = `select(${pick}, mix_${k}[0], source % LANES_PER_THREAD == ${k}u)`;
  return pick;
}

/** The lanes as separate variables; each round loads every lane's DAG words before using any. */
function unrolledLanes(lanes: number): LaneParts {
  return {
    LANE_INIT: perLane(lanes, (k) => `var mix_${k} = fill_mix(seed, first_lane + ${k}u);`, '    '),
    LANE_PICK: renderLanePick(lanes),
    LANE_ROUND: [
      perLane(lanes, (k) => `let data_${k} = dag_load(entry, ((first_lane + ${k}u) ^ r) % PROGPOW_LANES);`, '      '),
      perLane(lanes, (k) => `progpow_round(&mix_${k}, data_${k});`, '      '),
    ].join('\n      '),
    LANE_REDUCE: perLane(lanes, (k) => `lane_hashes[slot * PROGPOW_LANES + first_lane + ${k}u] = lane_hash(mix_${k});`, '    '),
  };
}

/** The lanes as one array walked by loops. */
function loopedLanes(): LaneParts {
  return {
    LANE_INIT: [
      'var mix: array<array<u32, PROGPOW_REGS>, LANES_PER_THREAD>;',
      'for (var k = 0u; k < LANES_PER_THREAD; k++) { mix[k] = fill_mix(seed, first_lane + k); }',
    ].join('\n    '),
    LANE_PICK: 'mix[source % LANES_PER_THREAD][0]',
    LANE_ROUND: [
      'var data: array<vec4<u32>, LANES_PER_THREAD>;',
      'for (var k = 0u; k < LANES_PER_THREAD; k++) { data[k] = dag_load(entry, ((first_lane + k) ^ r) % PROGPOW_LANES); }',
      'for (var k = 0u; k < LANES_PER_THREAD; k++) { progpow_round(&mix, k, data[k]); }',
    ].join('\n      '),
    LANE_REDUCE: 'for (var k = 0u; k < LANES_PER_THREAD; k++) { lane_hashes[slot * PROGPOW_LANES + first_lane + k] = lane_hash(mix[k]); }',
  };
}

/**
 * The head of the `search` entry point both templates share: the builtins every shape reads
 * (plus `extra`, the subgroup builtins of the subgroup exchange), then the cache load.
 */
function renderSearchEntry(extra: readonly string[] = []): string {
  const builtins = ['@builtin(local_invocation_index) lid: u32', '@builtin(workgroup_id) wid: vec3<u32>', '@builtin(num_workgroups) groups: vec3<u32>', ...extra];
  return ['@compute @workgroup_size(WORKGROUP_SIZE)', 'fn search(', ...builtins.map((b) => `  ${b},`), ') {', '  load_cache(lid);'].join('\n');
}

export function renderSearchKernel(program: ProgpowProgram, layout: GpuDagLayout, config: SearchKernelConfig): string {
  checkSearchConfig(config);
  const common = {
    POW_CONSTANTS: renderPowConstants(),
    CONSTANTS: renderConstants(layout, config),
    DAG_BINDINGS: renderDagBindings(layout),
    DAG_LOAD: renderDagLoad(layout),
    // one invocation per hash and looped lanes keep their lanes in one array
    PROGRAM: renderProgramRound(program, config.exchange === 'none' || loopsOverLanes(config) ? 'lanes' : 'lane'),
  };
  const shared = ['progpow-common.wgsl', 'keccak-f800.wgsl'];
  if (config.exchange === 'none') {
    return assembleKernel(['progpow-search-io.wgsl', 'progpow-search-single.wgsl', ...shared], { ...common, ENABLES: '', SEARCH_ENTRY: renderSearchEntry() });
  }
  const lanes = PROGPOW_LANES / config.threadsPerHash;
  const subgroup = config.exchange === 'subgroup';
  return assembleKernel(['progpow-search-io.wgsl', 'progpow-search.wgsl', ...shared, `lane-exchange-${config.exchange}.wgsl`], {
    ...common,
    ENABLES: subgroup ? 'enable subgroups;' : '',
    SEARCH_ENTRY: renderSearchEntry(subgroup ? ['@builtin(subgroup_invocation_id) sg_id: u32', '@builtin(subgroup_size) sg_size: u32'] : []),
    EXCHANGE_SETUP: subgroup ? 'exchange_setup(lid, sg_id, sg_size);' : '',
    ...(loopsOverLanes(config) ? loopedLanes() : unrolledLanes(lanes)),
  });
}
