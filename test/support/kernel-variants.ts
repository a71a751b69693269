// Every kernel variant the miner renders, as WGSL with its entry point, and a compile check that
// runs the same in a browser page (navigator.gpu) and in Node (Dawn): each pipeline is created
// and its module's getCompilationInfo read, so errors and warnings of any engine show.
import assert from 'node:assert/strict';
import { renderDagBuildKernel } from '../../src/backends/webgpu/dag-builder.js';
import { planDagLayout, planTextureLayout, type GpuDagLayout } from '../../src/backends/webgpu/dag-layout.js';
import { renderSearchKernel, type SearchKernelConfig } from '../../src/backends/webgpu/search-shader.js';
import { dagSpecForBlock } from '../../src/pow/epoch.js';
import { PROGPOW_PERIOD, buildProgram } from '../../src/pow/progpow-program.js';

export interface KernelVariant {
  readonly name: string;
  readonly code: string;
  readonly entryPoint: string;
  readonly constants?: Record<string, number>;
  /** Rendered only where the adapter has the 'subgroups' feature. */
  readonly subgroups: boolean;
}

const small = dagSpecForBlock(0, 'small');
/** The small DAG as a texture, in one storage buffer and split over four (the buffer switch). */
const LAYOUTS: Record<string, GpuDagLayout> = {
  texture: planTextureLayout(small.datasetSize, 16384, 256),
  '1 buffer': planDagLayout(small.datasetSize, 2 ** 27),
  '4 buffers': planDagLayout(small.datasetSize, 2 ** 22),
};
/** Periods of blocks 0, 940,410 (SERO's first ProgPoW block) and 30,000,000. */
const PERIODS = [0, 940_410, 30_000_000].map((block) => Math.floor(block / PROGPOW_PERIOD));

function search(config: Omit<SearchKernelConfig, 'maxCandidates'>, layout: keyof typeof LAYOUTS, period = PERIODS[1]!): KernelVariant {
  const full = { ...config, maxCandidates: 1024 };
  const kind = config.exchange === 'none' ? 'single' : config.exchange;
  return {
    name: `search ${kind} T=${config.threadsPerHash} x ${config.workgroupSize}, ${layout}, period ${period}`,
    code: renderSearchKernel(buildProgram(period), LAYOUTS[layout]!, full),
    entryPoint: 'search',
    subgroups: config.exchange === 'subgroup',
  };
}

/**
 * The variants: one invocation per hash (software adapters) for several periods and every DAG
 * form; the workgroup exchange (GPUs without subgroups); the subgroup exchange at each width a
 * hash may take (16, 8 lanes unrolled; 4 with its lanes looped); the DAG build.
 */
export function kernelVariants(): KernelVariant[] {
  const single = { exchange: 'none', threadsPerHash: 1, workgroupSize: 64 } as const;
  const build = renderDagBuildKernel(small.cacheSize / 4);
  return [
    ...PERIODS.map((period) => search(single, 'texture', period)),
    search(single, '1 buffer'),
    search(single, '4 buffers'),
    search({ exchange: 'workgroup', threadsPerHash: 16, workgroupSize: 256 }, 'texture'),
    search({ exchange: 'workgroup', threadsPerHash: 16, workgroupSize: 256 }, '4 buffers'),
    ...[16, 8, 4].map((threadsPerHash) => search({ exchange: 'subgroup', threadsPerHash, workgroupSize: 256 }, '4 buffers')),
    { name: 'DAG build', ...build, subgroups: false },
  ];
}

export interface CompileResult {
  readonly name: string;
  /** "error 12:3 message" for each message of getCompilationInfo, and a failed pipeline's error. */
  readonly problems: string[];
  /** Why the variant was not compiled here (no subgroups), or undefined. */
  readonly skipped?: string;
}

/**
 * Creates each variant's pipeline on `gpu` (navigator.gpu when omitted, in a page) with the
 * limits the miner asks for. Self-contained: a browser driver sends its source to the page.
 */
export async function compileKernels(variants: readonly KernelVariant[], gpu?: GPU): Promise<CompileResult[]> {
  const adapter = await (gpu ?? navigator.gpu).requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  const raised = ['maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxStorageBuffersPerShaderStage'] as const;
  const requiredLimits = Object.fromEntries(raised.map((name) => [name, adapter.limits[name]]));
  const subgroups = adapter.features.has('subgroups');
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures: subgroups ? ['subgroups' as GPUFeatureName] : [] });
  try {
    // every pipeline at once: a browser compiles them side by side (seconds each on a software adapter)
    return await Promise.all(variants.map(async (variant): Promise<CompileResult> => {
      if (variant.subgroups && !subgroups) return { name: variant.name, problems: [], skipped: "the adapter has no 'subgroups' feature" };
      device.pushErrorScope('validation');
      const module = device.createShaderModule({ code: variant.code, label: variant.name });
      const invalid = device.popErrorScope();
      const info = await module.getCompilationInfo();
      const problems = info.messages.map((m) => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`);
      const error = await invalid;
      if (error) problems.push(`validation: ${error.message}`);
      try {
        await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: variant.entryPoint, constants: variant.constants }, label: variant.name });
      } catch (failure) {
        problems.push(`pipeline: ${(failure as Error).message}`);
      }
      return { name: variant.name, problems };
    }));
  } finally {
    device.destroy();
  }
}

/** Every variant compiled without a message, except those needing subgroups where `subgroups` is false. */
export function assertCompiledClean(results: readonly CompileResult[], variants: readonly KernelVariant[], subgroups: boolean): void {
  assert.deepEqual(results.map((r) => r.name), variants.map((v) => v.name));
  assert.deepEqual(results.filter((r) => r.problems.length > 0).map((r) => `${r.name}: ${r.problems.join('; ')}`), [], 'errors or warnings');
  const skipped = results.filter((r) => r.skipped).map((r) => r.name);
  assert.deepEqual(skipped, subgroups ? [] : variants.filter((v) => v.subgroups).map((v) => v.name));
}
