// The dispatch loop of a nonce search. Two dispatches are in flight, so the GPU computes one
// while the other is read back, but never two full batches: a full batch is followed by a
// short bridge batch, which keeps the GPU busy while the CPU reads the full one back and
// queues the next. Both rules hold across runs (the search loop keeps two searches queued,
// and the second must not put a full batch behind the first's), so a new job waits behind
// at most one full dispatch and a bridge.
// A stop request ends submission at once, and a batch whose candidates overflowed the
// output buffer is searched again in smaller pieces.
import type { SearchJob } from '../backend.js';
import type { GpuDag } from './dag-builder.js';
import { DeviceLostError, WebgpuError } from './errors.js';
import { isSoftwareAdapter, type GpuContext } from './gpu-context.js';
import { hashesPerGroup, type SearchKernelConfig } from './search-shader.js';
import { createSearchBindLayouts, SearchPipelines, type CompiledSearch } from './search-pipelines.js';
import { decodeCandidates, outputBytes, SlotPool, writeDispatchInputs, type Candidate, type Slot } from './search-io.js';
import { readBack } from './wait.js';
import { ReadbackClock, type BatchDone } from './dispatch-pacer.js';

/** Batches queued on the GPU at once: one running, one waiting behind it. */
const IN_FLIGHT = 2;
/** A bridge batch is this fraction of a full one (at least one round of every workgroup). */
const BRIDGE_SHARE = 1 / 8;

export interface LaunchShape {
  /** Workgroups per dispatch. */
  readonly groups: number;
  /** Nonces per dispatch. */
  readonly batch: number;
}

/** What a run reports besides its candidates. */
export interface RunHooks {
  /** Stops submission; batches already queued are still read back. */
  readonly signal?: AbortSignal;
  /** Every completed batch's candidates, in nonce order of the batches. */
  readonly onBatch: (candidates: Candidate[], hashes: number) => void;
  /** Once the first dispatch is queued, while the GPU is busy with it. */
  readonly onStarted?: () => void;
  /** Once the run submits nothing more (range done or stopped): another run may queue behind it. */
  readonly onSubmitted?: () => void;
  /** Every dispatch as it is queued (diagnostics and tests). */
  readonly onDispatch?: (dispatch: DispatchInfo) => void;
}

export interface DispatchInfo {
  readonly job: SearchJob;
  readonly start: bigint;
  readonly count: number;
  readonly bridge: boolean;
  /** Batches of every run queued and not yet read back, this one included. */
  readonly inFlight: number;
}

interface Batch {
  readonly slot: Slot;
  /** Offset of the batch's first nonce from the range start. */
  readonly offset: number;
  readonly count: number;
  readonly done: BatchDone;
}

export class SearchRunner {
  readonly pipelines: SearchPipelines;
  private readonly dagBindGroup: GPUBindGroup;
  private readonly slots: SlotPool;
  /** Hashes per millisecond measured, and how long the host sleeps before each readback (ReadbackClock). */
  readonly clock: ReadbackClock;
  /** Batches of every run submitted and not yet read back (or abandoned by a failed run). */
  private inFlight = 0;
  /** Runs waiting for another run's batch to leave the device. */
  private waiting: (() => void)[] = [];
  /** Kind of the next batch, alternating across runs. */
  private nextIsBridge = false;

  constructor(
    private readonly ctx: GpuContext,
    dag: GpuDag,
    readonly config: SearchKernelConfig,
  ) {
    const { device } = ctx;
    this.clock = new ReadbackClock(isSoftwareAdapter(ctx.summary) ? 'earliest' : 'expected');
    const layouts = createSearchBindLayouts(device, dag.layout);
    this.pipelines = new SearchPipelines(ctx, layouts, dag.layout, config);
    this.dagBindGroup = device.createBindGroup({
      layout: layouts.dag,
      entries: dag.bindGroupEntries(),
      label: 'dag',
    });
    this.slots = new SlotPool(device, layouts.params, outputBytes(config.maxCandidates));
  }

  private settle(batches: number): void {
    this.inFlight -= batches;
    for (const wake of this.waiting.splice(0)) wake();
  }

  private batchSettled(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hashes per millisecond as measured so far, 0 before the first batch. */
  get measuredRate(): number {
    return this.clock.measuredRate;
  }

  private submit(compiled: CompiledSearch, slot: Slot, job: SearchJob, start: bigint, count: number, groups: number): void {
    const { device } = this.ctx;
    writeDispatchInputs(device.queue, slot, job, start, count);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(compiled.pipeline);
    pass.setBindGroup(0, slot.bindGroup);
    pass.setBindGroup(1, this.dagBindGroup);
    pass.dispatchWorkgroups(groups);
    pass.end();
    encoder.copyBufferToBuffer(slot.output, 0, slot.readback, 0, this.slots.outputBytes);
    device.queue.submit([encoder.finish()]);
  }

  /**
   * Make the period's pipeline ready without searching: compile it and, because JIT drivers
   * compile on first use, run it once over zero nonces. Meant for the next period while the
   * current one is searching.
   */
  warm(period: number, job: SearchJob): void {
    const compiled = this.pipelines.get(period);
    if (compiled.warm) return;
    // The slot is free again at once: later writes to it are queued behind this dispatch.
    const slot = this.slots.acquire();
    this.submit(compiled, slot, job, 0n, 0, 1);
    this.slots.release(slot);
    compiled.warm = true;
  }

  /** Resolves once everything submitted to the device so far is done. */
  queueDone(): Promise<void> {
    return this.ctx.device.queue.onSubmittedWorkDone();
  }

  /** Groups that keep every workgroup busy for the batch without idle rounds. */
  private groupsFor(count: number, shape: LaunchShape): number {
    const hashes = hashesPerGroup(this.config);
    const limit = this.ctx.device.limits.maxComputeWorkgroupsPerDimension;
    return Math.max(1, Math.min(shape.groups, Math.ceil(count / hashes), limit));
  }

  /** Nonces of a bridge batch: a share of the full batch, in whole rounds of the workgroups. */
  bridgeSize(shape: LaunchShape): number {
    const round = Math.min(shape.groups, this.ctx.device.limits.maxComputeWorkgroupsPerDimension) * hashesPerGroup(this.config);
    const rounds = Math.max(1, Math.floor((shape.batch * BRIDGE_SHARE) / round));
    return Math.min(shape.batch, rounds * round);
  }

  /**
   * Search start .. start+count-1 for the job. Stops submitting when the signal fires and
   * returns once the batches already queued have been read back, so nothing found is lost.
   */
  async run(job: SearchJob, period: number, start: bigint, count: number, shape: LaunchShape, hooks: RunHooks): Promise<number> {
    const compiled = this.pipelines.get(period);
    await compiled.validated;
    const overflowed: { offset: number; count: number }[] = [];
    const hashes = await this.loop(compiled, job, start, 0, count, shape, hooks, overflowed);
    // Overflowed batches are searched again in pieces that cannot overflow; their nonces
    // were already counted, so these finish even after a stop request.
    const onBatch = (c: Candidate[]) => hooks.onBatch(c, 0);
    for (const range of overflowed) {
      await this.loop(compiled, job, start, range.offset, range.count, { groups: shape.groups, batch: this.config.maxCandidates }, { onBatch, onDispatch: hooks.onDispatch }, []);
    }
    return hashes;
  }

  private async loop(
    compiled: CompiledSearch,
    job: SearchJob,
    start: bigint,
    firstOffset: number,
    count: number,
    shape: LaunchShape,
    hooks: RunHooks,
    overflowed: { offset: number; count: number }[],
  ): Promise<number> {
    const { signal, onBatch } = hooks;
    const queue: Batch[] = [];
    let submitted = 0;
    let completed = 0;
    let submitting = true;
    // Throughput is measured from here; a cold pipeline's first dispatch includes the
    // driver's compile, so then it is measured from that dispatch's end instead.
    let rateStart = performance.now();
    let rateBase = 0;
    const coldStart = !compiled.warm;
    compiled.warm = true;
    const batchSize = Math.max(1, Math.min(shape.batch, 0x7fffffff));
    const bridgeSize = this.bridgeSize({ groups: shape.groups, batch: batchSize });
    const stopSubmitting = () => {
      if (!submitting) return;
      submitting = false;
      hooks.onSubmitted?.();
    };
    // A stop hands the turn over at once, not when the batch being awaited is read back.
    signal?.addEventListener('abort', stopSubmitting, { once: true });
    try {
      while (true) {
        // Completions come in order, so alternating kinds keeps a full batch and a bridge in flight.
        while (submitted < count && !signal?.aborted) {
          if (this.inFlight >= IN_FLIGHT) {
            // This run's own batch completes first; otherwise another run's is ahead.
            if (queue.length > 0) break;
            await this.batchSettled();
            continue;
          }
          this.throwIfLost(completed);
          const n = Math.min(this.nextIsBridge ? bridgeSize : batchSize, count - submitted);
          const slot = this.slots.acquire();
          const nonceStart = start + BigInt(firstOffset + submitted);
          this.submit(compiled, slot, job, nonceStart, n, this.groupsFor(n, shape));
          const done = this.clock.doneAt(queue.at(-1)?.done, performance.now(), n);
          queue.push({ slot, offset: firstOffset + submitted, count: n, done });
          this.inFlight++;
          hooks.onDispatch?.({ job, start: nonceStart, count: n, bridge: this.nextIsBridge, inFlight: this.slots.inUse });
          this.nextIsBridge = !this.nextIsBridge;
          submitted += n;
          if (submitted === n) hooks.onStarted?.();
        }
        if (submitted >= count || signal?.aborted) stopSubmitting();
        const batch = queue.shift();
        if (!batch) break;
        let words: Uint32Array;
        let readyOnWake: boolean;
        try {
          const result = await readBack(this.ctx, batch.slot.readback, this.clock.sleepMs(batch.done, performance.now()), this.slots.outputBytes);
          words = new Uint32Array(result.data);
          readyOnWake = result.readyOnWake;
          this.slots.release(batch.slot);
        } catch (error) {
          this.slots.release(batch.slot);
          throw this.lostError(completed, error as Error);
        } finally {
          this.settle(1);
        }
        const now = performance.now();
        if (coldStart && completed === 0) {
          rateStart = now;
          rateBase = batch.count;
        } else if (completed > rateBase || batch.count * 2 >= batchSize) {
          // Hashes over wall time since the loop began: with batches queued back to back the GPU
          // never waits, so this is its throughput. (A lone short batch would measure latency.)
          this.clock.measured((completed + batch.count - rateBase) / Math.max(1, now - rateStart), readyOnWake);
        }
        if (words[1] !== 0) {
          throw new WebgpuError('the subgroup lane exchange does not work on this adapter (subgroups smaller than a hash or out of invocation order); use the workgroup exchange');
        }
        const found = words[0]!;
        if (found > this.config.maxCandidates) {
          overflowed.push({ offset: batch.offset, count: batch.count });
          onBatch([], batch.count);
        } else {
          onBatch(decodeCandidates(words, found, start + BigInt(batch.offset)), batch.count);
        }
        completed += batch.count;
      }
    } finally {
      signal?.removeEventListener('abort', stopSubmitting);
      stopSubmitting();
      // A failed run leaves its queued batches to the device; their buffer sets are not
      // reused, and other runs no longer wait for them.
      if (queue.length > 0) this.settle(queue.length);
    }
    return completed;
  }
  private throwIfLost(completed: number): void {
    const lost = this.ctx.lostReason();
    if (lost) throw new DeviceLostError(lost, { solutions: [], hashes: completed });
  }

  private lostError(completed: number, cause: Error): Error {
    const lost = this.ctx.lostReason();
    return new DeviceLostError(lost ?? `WebGPU readback failed: ${cause.message}`, { solutions: [], hashes: completed });
  }

  destroy(): void {
    this.slots.destroy();
  }
}
