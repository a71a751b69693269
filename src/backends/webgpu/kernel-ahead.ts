// The next period's search kernel compiled ahead without holding up the searches. A software
// adapter compiles a kernel at its first dispatch, in the thread of the queue it is dispatched
// on (lavapipe: seconds of one core), so a warm-up dispatch on the search device stalls every
// search queued behind it. Here a helper device of the same adapter, whose DAG binding is of
// the same kind but a few bytes, dispatches the kernel once on its own queue; the driver's
// shader cache keeps the compiled code, and the search device's own warm-up then takes it from
// there in milliseconds. Should the cache not serve it (turned off), the helper is given up and
// the search device warms kernels itself, as GPUs always do (they compile at pipeline creation).
// Either way the pipelines are created off the main thread, so the dispatches in flight never
// run dry meanwhile. The helper's threads (those its device started) run at the lowest
// priority where the system lets them be found (Linux): a compile beside the search on the same
// cores cost 2-3.5 s of hashing a period at normal priority (the search's threads wait for
// each other at every dispatch's end), and a fraction of that in the cores' idle moments.
import type { SearchJob } from '../backend.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { lowerThreadPriority, processThreads } from '../machine.js';
import type { GpuDagLayout } from './dag-layout.js';
import { WebgpuError } from './errors.js';
import type { GpuContext } from './gpu-context.js';
import { createSearchBindLayouts, type SearchBindLayouts } from './search-pipelines.js';
import { outputBytes, SlotPool, writeDispatchInputs } from './search-io.js';
import type { SearchRunner } from './search-runner.js';

/** The helper's threads' nice value: the lowest priority, so its compiles wait for idle cores. */
export const HELPER_NICE = 19;

/** A warm-up from the cache slower than this (and than half the helper's compile) means the cache did not serve it. */
const CACHE_MISS_MS = 1000;

/** A device that only compiles: bind layouts of the DAG's kind and a DAG binding of a few bytes. */
export class HelperDevice {
  private readonly bindings = new Map<string, { layouts: SearchBindLayouts; dag: GPUBindGroup; slots: SlotPool }>();
  private readonly resources: { destroy(): void }[] = [];

  constructor(readonly ctx: GpuContext) {}

  /** Compiles the kernel and runs it over no nonce, so a driver that compiles at dispatch does it now. */
  async compile(code: string, layout: GpuDagLayout, maxCandidates: number, label: string): Promise<void> {
    const { device } = this.ctx;
    const binding = this.bindingFor(layout, maxCandidates);
    const module = device.createShaderModule({ code, label });
    const pipeline = await device.createComputePipelineAsync({ layout: binding.layouts.pipeline, compute: { module, entryPoint: 'search' }, label });
    const slot = binding.slots.acquire();
    try {
      writeDispatchInputs(device.queue, slot, { headerHash: new Uint8Array(32), height: 0, target: 0n }, 0n, 0);
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, slot.bindGroup);
      pass.setBindGroup(1, binding.dag);
      pass.dispatchWorkgroups(1);
      pass.end();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    } finally {
      binding.slots.release(slot);
    }
    const lost = this.ctx.lostReason();
    if (lost) throw new WebgpuError(`the kernel helper device was lost: ${lost}`);
  }

  private bindingFor(layout: GpuDagLayout, maxCandidates: number) {
    const key = `${layout.kind}:${layout.kind === 'texture' ? 1 : layout.chunkEntries.length}:${maxCandidates}`;
    let binding = this.bindings.get(key);
    if (binding) return binding;
    const { device } = this.ctx;
    const layouts = createSearchBindLayouts(device, layout);
    let entries: GPUBindGroupEntry[];
    if (layout.kind === 'texture') {
      const texture = device.createTexture({ size: [16, 1, 2], format: 'rgba32uint', dimension: '2d', usage: GPUTextureUsage.TEXTURE_BINDING, label: 'helper-dag' });
      this.resources.push(texture);
      entries = [{ binding: 0, resource: texture.createView({ dimension: '2d-array' }) }];
    } else {
      entries = layout.chunkEntries.map((_, i) => {
        const buffer = device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE, label: `helper-dag-${i}` });
        this.resources.push(buffer);
        return { binding: i, resource: { buffer } };
      });
    }
    const slots = new SlotPool(device, layouts.params, outputBytes(maxCandidates));
    this.resources.push(slots);
    binding = { layouts, dag: device.createBindGroup({ layout: layouts.dag, entries, label: 'helper-dag' }), slots };
    this.bindings.set(key, binding);
    return binding;
  }

  close(): void {
    for (const resource of this.resources) resource.destroy();
    this.ctx.close();
  }
}

/** A backend's helper device: opened on first use, given up when it cannot serve. */
export class KernelHelper {
  private device: Promise<HelperDevice | undefined> | undefined;
  private off: boolean;

  constructor(
    private readonly open: () => Promise<GpuContext>,
    wanted: boolean,
    private readonly log: Logger = silentLogger,
  ) {
    this.off = !wanted;
  }

  /** The helper, or undefined when it is not used (any more). */
  async get(): Promise<HelperDevice | undefined> {
    if (this.off) return undefined;
    this.device ??= this.openAtLowPriority().then(
      (ctx) => new HelperDevice(ctx),
      (error: Error) => {
        this.turnOff(`it did not open (${error.message})`);
        return undefined;
      },
    );
    return this.device;
  }

  /**
   * Opens the device and lowers the priority of the threads started meanwhile (where threads can
   * be listed): its own, as long as nothing else in the process starts threads meanwhile, which
   * the backend sees to by opening it while its own device is idle.
   */
  private async openAtLowPriority(): Promise<GpuContext> {
    const before = processThreads();
    const ctx = await this.open();
    if (!before) return ctx;
    const started = [...(processThreads() ?? [])].filter((thread) => !before.has(thread));
    const lowered = lowerThreadPriority(started, HELPER_NICE);
    if (lowered > 0) this.log('debug', `webgpu: the kernel helper device's ${lowered} threads run at nice ${HELPER_NICE}, compiling in the cores' idle moments`);
    return ctx;
  }

  turnOff(why: string): void {
    if (this.off) return;
    this.off = true;
    this.log('info', `webgpu: kernels are no longer compiled ahead on a helper device: ${why}`);
  }

  async close(): Promise<void> {
    this.off = true;
    (await this.device)?.close();
  }
}

export interface KernelAheadOptions {
  readonly runner: SearchRunner;
  readonly layout: GpuDagLayout;
  /** Where kernels are compiled ahead; undefined: the search device warms them itself. */
  readonly helper: KernelHelper | undefined;
  readonly log?: Logger;
}

/** Kernels of coming periods compiled ahead for one search runner. */
export class KernelAhead {
  private readonly pending = new Map<number, Promise<void>>();

  constructor(private readonly options: KernelAheadOptions) {}

  /** Starts compiling the period's kernel, unless it is compiled or under way. */
  prepare(period: number, job: SearchJob): void {
    const { runner } = this.options;
    if (runner.pipelines.has(period) || this.pending.has(period)) return;
    const done = this.compile(period, job)
      .catch((error: Error) => (this.options.log ?? silentLogger)('warn', `compiling the kernel of period ${period} ahead failed (${error.message}); it is compiled when its first job comes`))
      .finally(() => this.pending.delete(period));
    this.pending.set(period, done);
  }

  /** Resolves once the period's kernel compiled ahead is ready; at once when none is under way. */
  ready(period: number): Promise<void> {
    return this.pending.get(period) ?? Promise.resolve();
  }

  /** Resolves once no kernel is being compiled ahead. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()]);
  }

  private async compile(period: number, job: SearchJob): Promise<void> {
    const { runner, layout } = this.options;
    const code = runner.pipelines.kernelCode(period);
    const helper = await this.options.helper?.get();
    let helperMs = 0;
    if (helper) {
      const started = performance.now();
      await helper.compile(code, layout, runner.config.maxCandidates, `progpow-${period}-ahead`);
      helperMs = performance.now() - started;
    }
    await runner.pipelines.compileAhead(period, code);
    const started = performance.now();
    runner.warm(period, job);
    if (!helper) return;
    // The warm-up waits behind the dispatches in flight; a compile of its own takes seconds.
    await runner.queueDone();
    const warmMs = performance.now() - started;
    if (warmMs > CACHE_MISS_MS && warmMs > helperMs / 2) {
      this.options.helper!.turnOff(`the shader cache did not hand its compile over (${Math.round(warmMs)} ms to warm a kernel it had compiled in ${Math.round(helperMs)} ms)`);
    }
  }
}
