// The host's side of the search kernel's buffers (progpow-search.wgsl): a pool of buffer sets
// (parameters, output, readback), the parameters written before a dispatch and the candidates
// decoded from the output after it.
import type { SearchJob } from '../backend.js';
import { wordsLE } from '../../util/bytes.js';
import { CANDIDATE_WORDS, OUTPUT_HEADER_WORDS } from './search-shader.js';

const U64 = 1n << 64n;
const U64_MAX = U64 - 1n;
const PARAMS_BYTES = 64;

/** A nonce the GPU found at or below the target's top 64 bits, with its final hash's top 64 bits. */
export interface Candidate {
  readonly nonce: bigint;
  readonly finalTop: bigint;
}

/** The buffers of one dispatch in flight. */
export interface Slot {
  readonly params: GPUBuffer;
  readonly output: GPUBuffer;
  readonly readback: GPUBuffer;
  readonly bindGroup: GPUBindGroup;
}

/** The top 64 bits of a 256-bit target, clamped (a target of 2^256 accepts everything). */
export function targetTop64(target: bigint): bigint {
  const top = target >> 192n;
  return top > U64_MAX ? U64_MAX : top;
}

/** SearchParams: the header words, the first nonce as (lo, hi), the count and the target's top 64 bits as (hi, lo). */
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

/** Queues a dispatch's inputs: its parameters, and a zero candidate count and fault. */
export function writeDispatchInputs(queue: GPUQueue, slot: Slot, job: SearchJob, start: bigint, count: number): void {
  queue.writeBuffer(slot.params, 0, encodeSearchParams(job, start, count));
  queue.writeBuffer(slot.output, 0, new Uint32Array(OUTPUT_HEADER_WORDS));
}

/** Bytes of the output buffer (count, fault, candidates). */
export function outputBytes(maxCandidates: number): number {
  return 4 * (OUTPUT_HEADER_WORDS + CANDIDATE_WORDS * maxCandidates);
}

/** The `found` candidates of an output whose dispatch began at batchStart. */
export function decodeCandidates(words: Uint32Array, found: number, batchStart: bigint): Candidate[] {
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

/** Buffer sets not in use by a queued dispatch; runs that overlap each take their own. */
export class SlotPool {
  private readonly free: Slot[] = [];
  private readonly all: Slot[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly paramsLayout: GPUBindGroupLayout,
    readonly outputBytes: number,
  ) {}

  acquire(): Slot {
    const free = this.free.pop();
    if (free) return free;
    const slot = this.create(this.all.length);
    this.all.push(slot);
    return slot;
  }

  release(slot: Slot): void {
    this.free.push(slot);
  }

  get inUse(): number {
    return this.all.length - this.free.length;
  }

  private create(i: number): Slot {
    const { device } = this;
    const params = device.createBuffer({ size: PARAMS_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: `search-params-${i}` });
    const output = device.createBuffer({ size: this.outputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label: `search-output-${i}` });
    const readback = device.createBuffer({ size: this.outputBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: `search-readback-${i}` });
    const bindGroup = device.createBindGroup({
      layout: this.paramsLayout,
      entries: [
        { binding: 0, resource: { buffer: params } },
        { binding: 1, resource: { buffer: output } },
      ],
    });
    return { params, output, readback, bindGroup };
  }

  destroy(): void {
    for (const slot of this.all) {
      slot.params.destroy();
      slot.output.destroy();
      slot.readback.destroy();
    }
  }
}
