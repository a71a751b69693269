// The complete search kernel for one period, DAG layout and launch shape: the template in
// kernels/progpow-search.wgsl with the program, DAG bindings and lane handling rendered in.
import { PROGPOW_CACHE_BYTES, PROGPOW_LANES, type ProgpowProgram } from '../../pow/progpow-program.js';
import type { DagLayout } from './dag-layout.js';
import { assembleKernel } from './kernel-source.js';
import { renderPowConstants } from './render-constants.js';
import { renderProgramRound } from './render-program.js';

export type LaneExchange = 'workgroup' | 'subgroup';

export interface SearchKernelConfig {
  /** Invocations per workgroup; a multiple of threadsPerHash. */
  readonly workgroupSize: number;
  /** Invocations cooperating on one hash: a divisor of PROGPOW_LANES (each then holds PROGPOW_LANES / n lanes). */
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
  const hashes = hashesPerGroup(config);
  const exchange = config.exchange === 'workgroup' ? 2 * hashes * 4 : 0;
  return PROGPOW_CACHE_BYTES + hashes * 8 + hashes * PROGPOW_LANES * 4 + exchange;
}

export function checkSearchConfig(config: SearchKernelConfig): void {
  const { workgroupSize, threadsPerHash } = config;
  if (!Number.isInteger(threadsPerHash) || threadsPerHash < 1 || PROGPOW_LANES % threadsPerHash !== 0) {
    throw new RangeError(`threadsPerHash must divide ${PROGPOW_LANES}, got ${threadsPerHash}`);
  }
  if (workgroupSize % threadsPerHash !== 0) throw new RangeError(`workgroup size ${workgroupSize} is not a multiple of ${threadsPerHash}`);
}

function renderConstants(layout: DagLayout, config: SearchKernelConfig): string {
  const lanesPerThread = PROGPOW_LANES / config.threadsPerHash;
  return [
    `const WORKGROUP_SIZE: u32 = ${config.workgroupSize}u;`,
    `const THREADS_PER_HASH: u32 = ${config.threadsPerHash}u;`,
    `const LANES_PER_THREAD: u32 = ${lanesPerThread}u;`,
    `const HASHES_PER_GROUP: u32 = ${hashesPerGroup(config)}u;`,
    `const MAX_CANDIDATES: u32 = ${config.maxCandidates}u;`,
    `const DAG_ENTRIES: u32 = ${layout.entries}u;`,
    `const ENTRIES_PER_CHUNK: u32 = ${layout.entriesPerChunk}u;`,
  ].join('\n');
}

function renderDagBindings(layout: DagLayout): string {
  return layout.chunkEntries
    .map((_, i) => `@group(${DAG_BIND_GROUP}) @binding(${i}) var<storage, read> dag_${i}: array<vec4<u32>>;`)
    .join('\n');
}

/** The body of dag_load: a switch over the buffer that holds the entry. */
function renderDagLoad(layout: DagLayout): string {
  const n = layout.chunkEntries.length;
  if (n === 1) return 'return dag_0[index];';
  const cases = layout.chunkEntries.slice(0, -1).map((_, i) => `    case ${i}u: { return dag_${i}[index]; }`);
  return ['switch chunk {', ...cases, `    default: { return dag_${n - 1}[index]; }`, '  }'].join('\n');
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

export function renderSearchKernel(program: ProgpowProgram, layout: DagLayout, config: SearchKernelConfig): string {
  checkSearchConfig(config);
  const lanes = PROGPOW_LANES / config.threadsPerHash;
  const subgroup = config.exchange === 'subgroup';
  return assembleKernel(['progpow-search.wgsl', 'progpow-common.wgsl', 'keccak-f800.wgsl', `lane-exchange-${config.exchange}.wgsl`], {
    ENABLES: subgroup ? 'enable subgroups;' : '',
    POW_CONSTANTS: renderPowConstants(),
    CONSTANTS: renderConstants(layout, config),
    DAG_BINDINGS: renderDagBindings(layout),
    DAG_LOAD: renderDagLoad(layout),
    PROGRAM: renderProgramRound(program),
    EXCHANGE_PARAMS: subgroup ? '@builtin(subgroup_invocation_id) sg_id: u32,\n  @builtin(subgroup_size) sg_size: u32,' : '',
    EXCHANGE_SETUP: subgroup ? 'exchange_setup(lid, sg_id, sg_size);' : '',
    LANE_INIT: perLane(lanes, (k) => `var mix_${k} = fill_mix(seed, first_lane + ${k}u);`, '    '),
    LANE_PICK: renderLanePick(lanes),
    LANE_ROUND: perLane(lanes, (k) => `progpow_round(&mix_${k}, dag_load(entry, ((first_lane + ${k}u) ^ r) % PROGPOW_LANES));`, '      '),
    LANE_REDUCE: perLane(lanes, (k) => `lane_hashes[slot * PROGPOW_LANES + first_lane + ${k}u] = lane_hash(mix_${k});`, '    '),
  });
}
