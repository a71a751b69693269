// Compiled search pipelines, one per ProgPoW period, all sharing explicit bind group layouts
// so the DAG and output bind groups work with every period's pipeline. The next period is
// compiled ahead off the main thread (kernel-ahead.ts) while the current one runs.
import { buildProgram } from '../../pow/progpow-program.js';
import type { GpuDagLayout } from './dag-layout.js';
import { WebgpuError } from './errors.js';
import type { GpuContext } from './gpu-context.js';
import { renderSearchKernel, type SearchKernelConfig } from './search-shader.js';

/** Periods kept compiled: the current one, the next one and one spare for jobs going back. */
const KEPT_PIPELINES = 3;

export interface SearchBindLayouts {
  readonly params: GPUBindGroupLayout;
  readonly dag: GPUBindGroupLayout;
  readonly pipeline: GPUPipelineLayout;
}

export function createSearchBindLayouts(device: GPUDevice, dagLayout: GpuDagLayout): SearchBindLayouts {
  const params = device.createBindGroupLayout({
    label: 'search-params',
    entries: [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
      { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
    ],
  });
  const entries: GPUBindGroupLayoutEntry[] =
    dagLayout.kind === 'texture'
      ? [{ binding: 0, visibility: GPUShaderStage.COMPUTE, texture: { sampleType: 'uint', viewDimension: '2d-array' } }]
      : dagLayout.chunkEntries.map((_, i) => ({ binding: i, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } }));
  const dag = device.createBindGroupLayout({ label: 'search-dag', entries });
  return { params, dag, pipeline: device.createPipelineLayout({ bindGroupLayouts: [params, dag] }) };
}

export interface CompiledSearch {
  readonly period: number;
  readonly pipeline: GPUComputePipeline;
  /** Rejects when the device reports that the kernel failed to compile. */
  readonly validated: Promise<void>;
  /** Whether an empty dispatch has already made a JIT driver compile it. */
  warm: boolean;
}

export class SearchPipelines {
  private readonly compiled = new Map<number, CompiledSearch>();

  constructor(
    private readonly ctx: GpuContext,
    private readonly layouts: SearchBindLayouts,
    private readonly dagLayout: GpuDagLayout,
    readonly config: SearchKernelConfig,
  ) {}

  has(period: number): boolean {
    return this.compiled.has(period);
  }

  /** The WGSL of a period's kernel. */
  kernelCode(period: number): string {
    return renderSearchKernel(buildProgram(period), this.dagLayout, this.config);
  }

  /**
   * Compile the period's pipeline with createComputePipelineAsync, which Dawn runs off the main
   * thread (the synchronous compile holds it for a fifth of a second on a software adapter, while
   * the dispatches in flight run dry); the map keeps it from then on.
   */
  async compileAhead(period: number, code = this.kernelCode(period)): Promise<CompiledSearch> {
    const { device } = this.ctx;
    const module = device.createShaderModule({ code, label: `progpow-${period}` });
    let pipeline: GPUComputePipeline;
    try {
      pipeline = await device.createComputePipelineAsync({ layout: this.layouts.pipeline, compute: { module, entryPoint: 'search' }, label: `progpow-${period}` });
    } catch (error) {
      throw new WebgpuError(`search kernel for period ${period} failed to compile: ${(error as Error).message}`);
    }
    let entry = this.compiled.get(period);
    if (!entry) {
      entry = { period, pipeline, validated: Promise.resolve(), warm: false };
      this.compiled.set(period, entry);
      this.evict(period);
    }
    return entry;
  }

  /** The pipeline of a period, compiling it now if it was not compiled ahead. */
  get(period: number): CompiledSearch {
    let entry = this.compiled.get(period);
    if (!entry) {
      entry = { period, ...this.compile(period), warm: false };
      this.compiled.set(period, entry);
      this.evict(period);
    }
    return entry;
  }

  /**
   * Synchronous compile: dawn.node's async variant busy-polls the event loop and is slower
   * on a software adapter (platform.md pitfall 3). Called between dispatches, so the GPU
   * keeps working meanwhile.
   */
  private compile(period: number): { pipeline: GPUComputePipeline; validated: Promise<void> } {
    const { device } = this.ctx;
    const code = this.kernelCode(period);
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code, label: `progpow-${period}` });
    const pipeline = device.createComputePipeline({
      layout: this.layouts.pipeline,
      compute: { module, entryPoint: 'search' },
      label: `progpow-${period}`,
    });
    const validated = device.popErrorScope().then((error) => {
      if (error) throw new WebgpuError(`search kernel for period ${period} failed to compile: ${error.message}`);
    });
    // Observed by whoever dispatches it; never an unhandled rejection in between.
    validated.catch(() => undefined);
    return { pipeline, validated };
  }

  /** Drop the periods furthest from the one in use. */
  private evict(current: number): void {
    if (this.compiled.size <= KEPT_PIPELINES) return;
    const byDistance = [...this.compiled.keys()].sort((a, b) => Math.abs(b - current) - Math.abs(a - current));
    for (const period of byDistance.slice(0, this.compiled.size - KEPT_PIPELINES)) this.compiled.delete(period);
  }
}
