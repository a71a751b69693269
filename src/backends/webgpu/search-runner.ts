// The dispatch loop of a nonce search: two buffer sets alternate so one batch is computed
// while the previous one is read back, a stop request ends submission at once, and a batch
// whose candidates overflowed the output buffer is searched again in smaller pieces.
import type { SearchJob } from '../backend.js';
import { wordsLE } from '../../pow/hex.js';
import type { GpuDag } from './dag-builder.js';
import { DeviceLostError, WebgpuError } from './errors.js';
import type { GpuContext } from './gpu-context.js';
import { CANDIDATE_WORDS, hashesPerGroup, OUTPUT_HEADER_WORDS } from './search-shader.js';
import { createSearchBindLayouts, SearchPipelines, type CompiledSearch, type SearchBindLayouts } from './search-pipelines.js';
import type { SearchKernelConfig } from './search-shader.js';
import { readBack } from './wait.js';

const U64 = 1n << 64n;
const U64_MAX = U64 - 1n;
/** Batches queued on the GPU at once: one running, one waiting behind it. */
const IN_FLIGHT = 2;
const PARAMS_BYTES = 64;

/** A nonce the GPU found at or below the target's top 64 bits, with its final hash's top 64 bits. */
export interface Candidate {
  readonly nonce: bigint;
  readonly finalTop: bigint;
}

export interface LaunchShape {
  /** Workgroups per dispatch. */
  readonly groups: number;
  /** Nonces per dispatch. */
  readonly batch: number;
}

export interface RunProgress {
  /** Nonces hashed so far, from the start of the range without gaps. */
  readonly hashes: number;
  readonly candidates: readonly Candidate[];
}

interface Slot {
  readonly params: GPUBuffer;
  readonly output: GPUBuffer;
  readonly readback: GPUBuffer;
  readonly bindGroup: GPUBindGroup;
}

interface Batch {
  readonly slot: Slot;
  /** Offset of the batch's first nonce from the range start. */
  readonly offset: number;
  readonly count: number;
  readonly expectedDone: number;
}

/** The top 64 bits of a 256-bit target, clamped (a target of 2^256 accepts everything). */
export function targetTop64(target: bigint): bigint {
  const top = target >> 192n;
  return top > U64_MAX ? U64_MAX : top;
}

export function encodeSearchParams(job: SearchJob, start: bigint, count: number): Uint32Array<ArrayBuffer> {
  const words = new Uint32Array(PARAMS_BYTES / 4);
  words.set(wordsLE(job.headerHash), 0);
  const nonce = ((start % U64) + U64) % U64;
  words[8] = Number(nonce & 0xffffffffn);
  words[9] = Number(nonce >> 32n);
  words[10] = count;
  const top = targetTop64(job.target);
  words[12] = Number(top >> 32n);
  words[13] = Number(top & 0xffffffffn);
  return words;
}

export class SearchRunner {
  readonly pipelines: SearchPipelines;
  private readonly layouts: SearchBindLayouts;
  private readonly dagBindGroup: GPUBindGroup;
  private readonly slots: Slot[];
  /** Measured hashes per millisecond (0 until the first batch completes). */
  private rate = 0;
  private readonly outputBytes: number;
  /**
   * Sleep through the expected GPU time before reading back (the default). Tuning turns it
   * off: its measurements must not be bounded by a sleep sized from an older estimate.
   */
  sleepForReadback = true;

  constructor(
    private readonly ctx: GpuContext,
    dag: GpuDag,
    readonly config: SearchKernelConfig,
  ) {
    const { device } = ctx;
    this.layouts = createSearchBindLayouts(device, dag.buffers.length);
    this.pipelines = new SearchPipelines(ctx, this.layouts, dag.layout, config);
    this.dagBindGroup = device.createBindGroup({
      layout: this.layouts.dag,
      entries: dag.buffers.map((buffer, i) => ({ binding: i, resource: { buffer } })),
      label: 'dag',
    });
    this.outputBytes = 4 * (OUTPUT_HEADER_WORDS + CANDIDATE_WORDS * config.maxCandidates);
    this.slots = Array.from({ length: IN_FLIGHT + 1 }, (_, i) => this.createSlot(i));
  }

  private createSlot(i: number): Slot {
    const { device } = this.ctx;
    const params = device.createBuffer({ size: PARAMS_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: `search-params-${i}` });
    const output = device.createBuffer({ size: this.outputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label: `search-output-${i}` });
    const readback = device.createBuffer({ size: this.outputBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: `search-readback-${i}` });
    const bindGroup = device.createBindGroup({
      layout: this.layouts.params,
      entries: [
        { binding: 0, resource: { buffer: params } },
        { binding: 1, resource: { buffer: output } },
      ],
    });
    return { params, output, readback, bindGroup };
  }

  /** Hashes per millisecond as measured so far, 0 before the first batch. */
  get measuredRate(): number {
    return this.rate;
  }

  /**
   * The rate is hashes over wall time since a loop began: with batches queued back to back
   * the GPU never waits, so this is its throughput. A batch that was ready the moment the
   * sleep ended only shows the GPU is at least that fast, so the estimate then steps up
   * instead of staying bounded by a sleep sized from the old estimate.
   */
  private updateRate(measured: number, readyOnWake: boolean): void {
    this.rate = readyOnWake ? Math.max(this.rate, measured) * 2 : measured;
  }

  private submit(compiled: CompiledSearch, slot: Slot, job: SearchJob, start: bigint, count: number, groups: number): void {
    const { device } = this.ctx;
    device.queue.writeBuffer(slot.params, 0, encodeSearchParams(job, start, count));
    device.queue.writeBuffer(slot.output, 0, new Uint32Array(OUTPUT_HEADER_WORDS));
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(compiled.pipeline);
    pass.setBindGroup(0, slot.bindGroup);
    pass.setBindGroup(1, this.dagBindGroup);
    pass.dispatchWorkgroups(groups);
    pass.end();
    encoder.copyBufferToBuffer(slot.output, 0, slot.readback, 0, this.outputBytes);
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
    this.submit(compiled, this.slots[IN_FLIGHT]!, job, 0n, 0, 1);
    compiled.warm = true;
  }

  /** Groups that keep every workgroup busy for the batch without idle rounds. */
  private groupsFor(count: number, shape: LaunchShape): number {
    const hashes = hashesPerGroup(this.config);
    const limit = this.ctx.device.limits.maxComputeWorkgroupsPerDimension;
    return Math.max(1, Math.min(shape.groups, Math.ceil(count / hashes), limit));
  }

  /**
   * Search start .. start+count-1 for the job. Stops submitting when the signal fires and
   * returns once the batches already queued have been read back, so nothing found is lost.
   * onBatch sees every completed batch's candidates in order; onStarted runs once the first
   * dispatch is queued, while the GPU is busy with it.
   */
  async run(
    job: SearchJob,
    period: number,
    start: bigint,
    count: number,
    shape: LaunchShape,
    signal: AbortSignal | undefined,
    onBatch: (candidates: Candidate[], hashes: number) => void,
    onStarted?: () => void,
  ): Promise<number> {
    const compiled = this.pipelines.get(period);
    await compiled.validated;
    const overflowed: { offset: number; count: number }[] = [];
    const hashes = await this.loop(compiled, job, start, 0, count, shape, signal, onBatch, overflowed, onStarted);
    // Overflowed batches are searched again in pieces that cannot overflow; their nonces
    // were already counted, so these finish even after a stop request.
    for (const range of overflowed) {
      await this.loop(compiled, job, start, range.offset, range.count, { groups: shape.groups, batch: this.config.maxCandidates }, undefined, (c) => onBatch(c, 0), []);
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
    signal: AbortSignal | undefined,
    onBatch: (candidates: Candidate[], hashes: number) => void,
    overflowed: { offset: number; count: number }[],
    onStarted?: () => void,
  ): Promise<number> {
    const queue: Batch[] = [];
    let submitted = 0;
    let completed = 0;
    let slotIndex = 0;
    // Throughput is measured from here; a cold pipeline's first dispatch includes the
    // driver's compile, so then it is measured from that dispatch's end instead.
    let rateStart = performance.now();
    let rateBase = 0;
    const coldStart = !compiled.warm;
    compiled.warm = true;
    const batchSize = Math.max(1, Math.min(shape.batch, 0x7fffffff));
    while (true) {
      while (queue.length < IN_FLIGHT && submitted < count && !signal?.aborted) {
        this.throwIfLost(completed);
        const n = Math.min(batchSize, count - submitted);
        const slot = this.slots[slotIndex]!;
        slotIndex = (slotIndex + 1) % IN_FLIGHT;
        this.submit(compiled, slot, job, start + BigInt(firstOffset + submitted), n, this.groupsFor(n, shape));
        const now = performance.now();
        const previous = queue.at(-1)?.expectedDone ?? now;
        const expectedDone = Math.max(previous, now) + (this.rate > 0 ? n / this.rate : 0);
        queue.push({ slot, offset: firstOffset + submitted, count: n, expectedDone });
        submitted += n;
        if (submitted === n) onStarted?.();
      }
      const batch = queue.shift();
      if (!batch) break;
      let words: Uint32Array;
      let readyOnWake: boolean;
      try {
        const result = await readBack(batch.slot.readback, this.sleepForReadback ? batch.expectedDone - performance.now() : 0, this.outputBytes);
        words = new Uint32Array(result.data);
        readyOnWake = result.readyOnWake;
      } catch (error) {
        throw this.lostError(completed, error as Error);
      }
      const now = performance.now();
      if (coldStart && completed === 0) {
        rateStart = now;
        rateBase = batch.count;
      } else if (completed > rateBase || batch.count * 2 >= batchSize) {
        // (A lone short batch would measure latency rather than throughput.)
        this.updateRate((completed + batch.count - rateBase) / Math.max(1, now - rateStart), readyOnWake);
      }
      if (words[1] !== 0) {
        throw new WebgpuError('the subgroup lane exchange does not work on this adapter (subgroups smaller than a hash or out of invocation order); use the workgroup exchange');
      }
      const found = words[0]!;
      if (found > this.config.maxCandidates) {
        overflowed.push({ offset: batch.offset, count: batch.count });
        onBatch([], batch.count);
      } else {
        onBatch(this.decode(words, found, start + BigInt(batch.offset)), batch.count);
      }
      completed += batch.count;
    }
    return completed;
  }

  /** Candidates of a batch whose first nonce is batchStart. */
  private decode(words: Uint32Array, found: number, batchStart: bigint): Candidate[] {
    const candidates: Candidate[] = [];
    for (let i = 0; i < found; i++) {
      const at = OUTPUT_HEADER_WORDS + CANDIDATE_WORDS * i;
      candidates.push({
        nonce: (batchStart + BigInt(words[at]!)) % U64,
        finalTop: (BigInt(words[at + 1]!) << 32n) | BigInt(words[at + 2]!),
      });
    }
    return candidates;
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
    for (const slot of this.slots) {
      slot.params.destroy();
      slot.output.destroy();
      slot.readback.destroy();
    }
  }
}
