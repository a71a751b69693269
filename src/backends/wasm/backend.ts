// The CPU backend: ProgPoW in WebAssembly on all cores. Worker threads share one memory
// holding the light cache, the cdag and (when it fits in wasm32) the DAG; larger DAGs live
// in SharedArrayBuffer chunks outside it (dag-store.ts). Every solution is re-checked in
// light mode on the main thread before it is returned.
import { availableParallelism, cpus } from 'node:os';
import type { DagProgress, SearchBackend, SearchJob, SearchResult, Solution } from '../backend.js';
import { dagEntries, epochOf, HASH_BYTES, periodOf, type DagSpec } from '../../pow/epoch.js';
import { buildProgram, packProgram, PROGPOW_CACHE_BYTES } from '../../pow/progpow-program.js';
import { meetsTarget } from '../../pow/target.js';
import { formatNonce } from '../../util/hex.js';
import { bytesEqual } from '../../util/bytes.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { createSharedMemory, ensureMemory, powModule } from './module.js';
import { DEFAULT_BATCH, DEFAULT_RESULTS, MAX_BATCH, PowInstance, type RawSolution, type RoundsEngine } from './instance.js';
import { RoundsModules } from './rounds-modules.js';
import { CONTROL_COUNTER, CONTROL_STOP, epochLayout, fixedLayout, wasmDagCapacity, type EpochLayout, type FixedLayout } from './layout.js';
import { DEFAULT_CHUNK_SHIFT, createDagStore, wasmDagBytesFor, type DagPlacement, type DagStore } from './dag-store.js';
import type { DagPlacementMessage } from './protocol.js';
import { DagFileCache, spotCheckDag } from './dag-file.js';
import { buildDagItems, PowWorker } from './pool.js';
import { hostHasRoomFor } from '../host-memory.js';

export interface WasmBackendOptions {
  /** Worker threads (default: every core). */
  readonly threads?: number;
  /**
   * 'auto' keeps the DAG in wasm memory when it fits and splits it otherwise; 'split' and
   * 'external' force the beyond-4-GiB path (part or all of the DAG outside wasm memory).
   */
  readonly placement?: 'auto' | DagPlacement;
  /** With placement 'split': bytes of the DAG kept inside (default: as much as fits; whole MiB). */
  readonly wasmDagBytes?: number;
  /** Directory of the DAG file cache (none when omitted). */
  readonly dagDir?: string;
  /** Nonces each thread hashes in lockstep. */
  readonly batch?: number;
  /** Re-check every solution in light mode before returning it (default true). */
  readonly verify?: boolean;
  /** Diagnostics: file cache use, rejected files or solutions. */
  readonly log?: Logger;
  /** log2 of the size of the chunks outside wasm memory (default 30, 1 GiB; at least 20). */
  readonly outsideChunkShift?: number;
  /**
   * How the loop iterations run: 'auto' (default) in the period's generated module once it is
   * compiled (ahead of the period), interpreted until then; 'generated' waits for the module;
   * 'interpreter' never generates one.
   */
  readonly engine?: 'auto' | RoundsEngine;
}

export interface DagBuildStats {
  readonly epoch: number;
  readonly placement: DagPlacement;
  readonly source: 'built' | 'file';
  readonly dagBytes: number;
  /** The part of the DAG held in wasm memory (the rest is outside it). */
  readonly wasmDagBytes: number;
  readonly cacheSeconds: number;
  /** Seconds to build (or load and verify) the DAG itself. */
  readonly dagSeconds: number;
}

interface Resident {
  readonly spec: DagSpec;
  readonly layout: EpochLayout;
  readonly store: DagStore;
  readonly entries: number;
}

const CDAG_ITEMS = PROGPOW_CACHE_BYTES / HASH_BYTES;

function sameSpec(a: DagSpec, b: DagSpec): boolean {
  return a.epoch === b.epoch && a.mode === b.mode && a.cacheSize === b.cacheSize
    && a.datasetSize === b.datasetSize && bytesEqual(a.seedHash, b.seedHash);
}

export class WasmBackend implements SearchBackend {
  readonly name = 'wasm' as const;
  readonly device: string;
  readonly threads: number;
  private readonly memory: WebAssembly.Memory;
  private readonly fixed: FixedLayout;
  private readonly workers: PowWorker[];
  /** Main-thread instance: light hashes, verification, cdag and spot checks. */
  private readonly main: PowInstance;
  private readonly placement: 'auto' | DagPlacement;
  private readonly log: Logger;
  private readonly dagFiles: DagFileCache | undefined;
  private resident: Resident | undefined;
  private mainPeriod = -1;
  private readonly roundsModules: RoundsModules;
  /** Hashes searched by each engine since the backend started. */
  readonly hashesByEngine: Record<RoundsEngine, number> = { generated: 0, interpreter: 0 };
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  lastBuild: DagBuildStats | undefined;

  /** shared: a twin's, the compiled modules of the backend it takes over from (the new epoch's first period is among them). */
  constructor(private readonly options: WasmBackendOptions = {}, shared?: RoundsModules) {
    this.threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    this.placement = options.placement ?? 'auto';
    this.log = options.log ?? silentLogger;
    this.dagFiles = options.dagDir ? new DagFileCache(options.dagDir, this.log) : undefined;
    this.roundsModules = shared ?? new RoundsModules((period, error) => this.log('warn', `the generated module of period ${period} failed to compile (interpreting it): ${error.message}`));
    const batch = options.batch ?? DEFAULT_BATCH;
    if (!Number.isInteger(batch) || batch < 1 || batch > MAX_BATCH) throw new RangeError(`batch must be 1..${MAX_BATCH}, got ${batch}`);
    this.fixed = fixedLayout(this.threads, batch, DEFAULT_RESULTS);
    this.memory = createSharedMemory(this.fixed.end);
    const module = powModule();
    const own = this.fixed.instances[0]!;
    this.main = new PowInstance(this.memory, own.scratch, batch, DEFAULT_RESULTS, undefined, module);
    this.workers = this.fixed.instances.slice(1).map((inst) => new PowWorker({
      module, memory: this.memory, scratch: inst.scratch, staging: inst.staging,
      control: this.fixed.control, batch, results: DEFAULT_RESULTS,
    }));
    const model = cpus()[0]?.model.trim() || 'CPU';
    this.device = `${model} (${this.threads} thread${this.threads === 1 ? '' : 's'}, WASM SIMD)`;
  }

  /** Nonces each thread hashes in lockstep. */
  get batch(): number {
    return this.fixed.batch;
  }

  /** The DAG now resident, if any. */
  get spec(): DagSpec | undefined {
    return this.resident?.spec;
  }

  /** Where the resident DAG lives. */
  get dagPlacement(): DagPlacement | undefined {
    return this.resident?.store.placement;
  }

  /**
   * Builds (or loads) the DAG of `spec`. lightCache: the epoch's light cache words when the
   * caller has them already, copied in instead of generated again.
   */
  prepare(spec: DagSpec, onProgress?: (p: DagProgress) => void, lightCache?: Uint32Array): Promise<void> {
    return this.exclusive(() => this.load(spec, onProgress, lightCache));
  }

  search(job: SearchJob, start: bigint, count: number, signal?: AbortSignal): Promise<SearchResult> {
    return this.exclusive(() => this.run(job, start, count, signal));
  }

  /** A second instance with these options, when the host has room for the next epoch's DAG and cache beside this one's. */
  async openTwin(next: DagSpec): Promise<WasmBackend | undefined> {
    return hostHasRoomFor(next.datasetSize + next.cacheSize) ? new WasmBackend(this.options, this.roundsModules) : undefined;
  }

  /** ProgPoW of one nonce in light mode (from the cache, not the DAG) for the resident epoch. */
  lightHash(headerHash: Uint8Array, nonce: bigint, block: number): { mixDigest: Uint8Array; finalHash: Uint8Array } {
    this.requireResident(block);
    this.loadMainProgram(block);
    this.main.writeHeader(headerHash);
    this.main.pow.hashBatch(BigInt.asUintN(64, nonce), 1);
    return this.main.batchResult(0);
  }

  /** Compiles the generated module of the block's period now (searches start it themselves, and the next period's). */
  async prepareRounds(block: number): Promise<void> {
    if (this.options.engine !== 'interpreter') await this.roundsModules.request(periodOf(block));
  }

  /** Where the generated module of a period stands: compiled, compiling, or not started. */
  roundsState(period: number): 'ready' | 'compiling' | 'none' {
    return this.roundsModules.state(period);
  }

  /** A copy of DAG bytes [offset, offset + length), into the start of `into` when given (a reused piece buffer). */
  readDag(offset: number, length: number, into?: Uint8Array): Uint8Array {
    const store = this.resident?.store;
    if (!store) throw new Error('no DAG is resident');
    if (into && into.length < length) throw new RangeError(`readDag: ${length} bytes do not fit a buffer of ${into.length}`);
    const out = into ? into.subarray(0, length) : new Uint8Array(length);
    for (let done = 0; done < length; ) {
      const n = Math.min(length - done, store.contiguous(offset + done));
      out.set(store.view(offset + done, n), done);
      done += n;
    }
    return out;
  }

  /** Stops a running search, ends the workers and rejects whatever was still queued. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(new Int32Array(this.memory.buffer, this.fixed.control + CONTROL_STOP, 1), 0, 1);
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.resident = undefined;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const guarded = () => (this.closed ? Promise.reject(new Error('the wasm backend is closed')) : task());
    const next = this.queue.then(guarded, guarded);
    this.queue = next.catch(() => {});
    return next;
  }

  private requireResident(block: number): Resident {
    const resident = this.resident;
    if (!resident) throw new Error('prepare() a DAG before searching');
    if (epochOf(block) !== resident.spec.epoch) {
      throw new Error(`block ${block} is in epoch ${epochOf(block)}, but the DAG of epoch ${resident.spec.epoch} is resident`);
    }
    return resident;
  }

  private loadMainProgram(block: number): void {
    const period = periodOf(block);
    if (period === this.mainPeriod) return;
    const program = buildProgram(period);
    this.main.loadProgram(packProgram(program), program.ops.length);
    this.mainPeriod = period;
  }

  private async broadcast(request: Parameters<PowWorker['call']>[0]): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call(request)));
  }

  private async load(spec: DagSpec, onProgress?: (p: DagProgress) => void, lightCache?: Uint32Array): Promise<void> {
    if (this.resident && sameSpec(this.resident.spec, spec)) return;
    this.resident = undefined;
    const rows = spec.cacheSize / HASH_BYTES;
    if (!Number.isInteger(rows)) throw new RangeError(`cache size ${spec.cacheSize} is not a multiple of ${HASH_BYTES}`);
    const dagBytes = spec.datasetSize - (spec.datasetSize % HASH_BYTES);
    const capacity = wasmDagCapacity(this.fixed, spec.cacheSize);
    const wasmDagBytes = wasmDagBytesFor(this.placement, dagBytes, capacity, spec.epoch, this.options.wasmDagBytes);
    const layout = epochLayout(this.fixed, spec.cacheSize, wasmDagBytes);
    ensureMemory(this.memory, layout.end);

    const cacheStart = performance.now();
    if (lightCache) {
      if (lightCache.length * 4 !== spec.cacheSize) throw new RangeError(`the light cache given has ${lightCache.length * 4} bytes, the epoch's has ${spec.cacheSize}`);
      this.main.words(layout.cache, lightCache.length).set(lightCache);
    } else {
      this.main.bytes(this.fixed.seed, 32).set(spec.seedHash);
      await this.workers[0]!.call({ type: 'cache', cache: layout.cache, rows, seed: this.fixed.seed });
    }
    const cacheSeconds = (performance.now() - cacheStart) / 1000;

    const entries = dagEntries(spec.datasetSize);
    const store = createDagStore(this.memory, layout.dag, layout.wasmDagBytes, dagBytes, this.options.outsideChunkShift ?? DEFAULT_CHUNK_SHIFT);
    const dag: DagPlacementMessage = { wasmBase: store.wasmBase, wasmBytes: store.wasmBytes, outside: store.outside };
    const epoch = { type: 'epoch' as const, cache: layout.cache, rows, cdag: this.fixed.cdag, dag, entries };
    await this.broadcast({ ...epoch, light: true });
    this.main.pow.setCache(layout.cache, rows);
    this.main.pow.buildItems(this.fixed.cdag, 0, CDAG_ITEMS);
    this.main.pow.setDag(this.fixed.cdag, 0, entries, 0, true);
    this.mainPeriod = -1;

    const dagStart = performance.now();
    let source: DagBuildStats['source'] = 'built';
    const files = this.dagFiles;
    if (files) {
      const status = await files.load(spec, store);
      if (status === 'loaded' && spotCheckDag(this.main, this.fixed.instances[0]!.staging, store)) {
        source = 'file';
        this.log('info', `DAG of epoch ${spec.epoch} loaded from ${files.pathOf(spec)}`);
      } else if (status !== 'missing') {
        this.log('warn', `DAG file ${files.pathOf(spec)} is corrupt or truncated: rebuilding it`);
      }
    }
    if (source === 'built') {
      await buildDagItems(this.workers, dagBytes / HASH_BYTES, onProgress);
      await files?.save(spec, store);
    }
    await this.broadcast({ ...epoch, light: false });
    this.resident = { spec, layout, store, entries };
    this.lastBuild = {
      epoch: spec.epoch, placement: store.placement, source, dagBytes, wasmDagBytes: store.wasmBytes, cacheSeconds,
      dagSeconds: (performance.now() - dagStart) / 1000,
    };
  }

  private async run(job: SearchJob, start: bigint, count: number, signal?: AbortSignal): Promise<SearchResult> {
    this.requireResident(job.height);
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`invalid nonce count ${count}`);
    if (count === 0 || signal?.aborted) return { solutions: [], hashes: 0 };
    const period = periodOf(job.height);
    const program = buildProgram(period);
    const packed = packProgram(program);
    const rounds = await this.roundsFor(period);
    if (signal?.aborted) return { solutions: [], hashes: 0 };
    const stop = new Int32Array(this.memory.buffer, this.fixed.control + CONTROL_STOP, 1);
    const counter = new BigInt64Array(this.memory.buffer, this.fixed.control + CONTROL_COUNTER, 1);
    Atomics.store(stop, 0, 0);
    Atomics.store(counter, 0, 0n);
    const onAbort = () => Atomics.store(stop, 0, 1);
    signal?.addEventListener('abort', onAbort, { once: true });
    const first = BigInt.asUintN(64, start);
    const perWorker = Math.ceil(count / (this.threads * 8));
    const batch = this.fixed.batch;
    const chunk = Math.min(4096, Math.max(batch, Math.ceil(perWorker / batch) * batch));
    let replies;
    try {
      replies = await Promise.all(this.workers.map((w) => w.call({
        type: 'search', header: job.headerHash, program: packed, ops: program.ops.length, period, rounds,
        target: job.target, start: first, count, chunk,
      })));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    let hashes = 0;
    const found: RawSolution[] = [];
    for (const reply of replies) {
      if (reply.type !== 'found') continue;
      hashes += reply.hashes;
      this.hashesByEngine[reply.engine] += reply.hashes;
      found.push(...reply.solutions);
    }
    const offset = (nonce: bigint) => BigInt.asUintN(64, nonce - first);
    found.sort((a, b) => (offset(a.nonce) < offset(b.nonce) ? -1 : 1));
    const verify = this.options.verify ?? true;
    const solutions: Solution[] = verify ? found.filter((s) => this.confirm(job, s)) : found;
    return { solutions, hashes };
  }

  /**
   * The period's generated module if it is ready (or, with engine 'generated', once it is);
   * the next period's compile starts here, long before its first job.
   */
  private async roundsFor(period: number): Promise<WebAssembly.Module | undefined> {
    const engine = this.options.engine ?? 'auto';
    if (engine === 'interpreter') return undefined;
    const module = engine === 'generated' ? await this.roundsModules.request(period) : this.roundsModules.ready(period);
    this.roundsModules.ready(period + 1);
    return module;
  }

  /** Recomputes a solution from the light cache: a DAG or memory fault must never reach a pool. */
  private confirm(job: SearchJob, s: RawSolution): boolean {
    const light = this.lightHash(job.headerHash, s.nonce, job.height);
    const ok = bytesEqual(light.mixDigest, s.mixDigest) && bytesEqual(light.finalHash, s.finalHash)
      && meetsTarget(light.finalHash, job.target);
    if (!ok) this.log('warn', `dropped solution ${formatNonce(s.nonce)}: light re-check disagrees`);
    return ok;
  }
}

export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  return new WasmBackend(options);
}
