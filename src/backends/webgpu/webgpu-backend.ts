// The WebGPU search backend: the DAG built on and kept in the GPU, ProgPoW searched by the
// period's rendered kernel, every candidate re-checked on the CPU before it is returned.
// Searches take turns at submitting dispatches, and a search gives up its turn as soon as it
// submits nothing more: the next search (a new job's, say) queues its first dispatch right
// behind the ones still on the GPU while the previous search reads those back. The next
// period's kernel is compiled ahead (kernel-ahead.ts); a twin builds the next epoch's DAG.
import type { DagProgress, SearchBackend, SearchJob, SearchResult, Solution } from '../backend.js';
import { DAG_ENTRY_BYTES, dagEntries, EPOCH_LENGTH, epochOf, periodOf, periodStart, type DagSpec } from '../../pow/epoch.js';
import { lightCacheFor } from '../light-hasher.js';
import { hostHasRoomFor } from '../host-memory.js';
import { formatNonce } from '../../util/hex.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { autotune, type TuneTrial } from './autotune.js';
import { buildGpuDag, type GpuDag } from './dag-builder.js';
import { buildDagOnHost } from './host-dag.js';
import { planDagLayout, planTextureLayout, type DagStorage, type GpuDagLayout } from './dag-layout.js';
import { DagOutOfMemoryError, DeviceLostError, WebgpuError } from './errors.js';
import { describeAdapter, isSoftwareAdapter, openGpu, type GpuContext, type GpuOpenOptions } from './gpu-context.js';
import { KernelAhead, KernelHelper } from './kernel-ahead.js';
import { SolutionChecker, type RecheckVerdict } from './recheck.js';
import type { Candidate } from './search-io.js';
import { SearchRunner, type DispatchInfo, type LaunchShape } from './search-runner.js';
import { describeSearchConfig, type LaneExchange, type SearchKernelConfig } from './search-shader.js';
import { searchVariants, tuneOptions } from './search-variants.js';

export interface WebgpuBackendOptions extends GpuOpenOptions {
  /** Lane exchange of the search kernel ('none': one invocation per hash); 'auto' lets the tuning pick among those that suit the adapter (default). */
  readonly exchange?: 'auto' | LaneExchange;
  /** A fixed launch instead of tuning: workgroup size, workgroups and nonces per dispatch. */
  readonly launch?: { readonly workgroupSize: number; readonly groups: number; readonly batch: number };
  /**
   * Wanted duration of one dispatch when tuning: bounds how late a new job starts, since it
   * queues behind the running dispatch. Default 40 ms on a GPU (a new job on the device
   * within 50 ms), 30 ms on a software adapter (where a dispatch's overhead is a few percent).
   */
  readonly batchMs?: number;
  /**
   * Where the DAG lives: 'buffers' (storage buffers, split as the binding limit requires) or
   * 'texture' (one array texture, a single binding whatever its size). 'auto' (default):
   * the texture on software adapters, which run the buffer switch lane by lane, buffers on GPUs.
   */
  readonly dagStorage?: 'auto' | DagStorage;
  /**
   * Who computes the DAG: 'gpu' (the dataset-item kernel) or 'host' (the WASM builder on every
   * core, then uploaded). 'auto' (default): the host on software adapters, whose kernels run on
   * those same cores, slower than WASM there; the GPU otherwise.
   */
  readonly dagBuilder?: 'auto' | DagBuilder;
  /** Candidate slots per dispatch (default 1024); a batch finding more is searched again in smaller pieces. */
  readonly maxCandidates?: number;
  /**
   * Compile coming periods' kernels on a helper device, whose queue compiles them while this
   * one searches (kernel-ahead.ts). 'auto' (default): on software adapters, unless Mesa's
   * shader cache, which hands the result over, is turned off.
   */
  readonly helperDevice?: 'auto' | boolean;
  /** A tuning to use instead of tuning again: a twin's, which runs on the same adapter. */
  readonly tuned?: WebgpuTuning;
  /** Diagnostics: tuning results, dropped candidates. */
  readonly log?: Logger;
  /** Diagnostics: every search dispatch as it is queued. */
  readonly onDispatch?: (dispatch: DispatchInfo) => void;
}

export type DagBuilder = 'gpu' | 'host';

export interface WebgpuBuildStats {
  readonly epoch: number;
  readonly dagBytes: number;
  readonly storage: DagStorage;
  readonly builder: DagBuilder;
  /** Storage bindings the DAG takes (1 for a texture). */
  readonly buffers: number;
  readonly cacheSeconds: number;
  readonly dagSeconds: number;
}

export interface WebgpuTuning {
  readonly config: SearchKernelConfig;
  readonly shape: LaunchShape;
  /** Hashes per second measured for the chosen launch (0 for a fixed launch). */
  readonly rate: number;
  readonly trials: readonly TuneTrial[];
  /** Why the tuning chose this launch (empty for a fixed launch). */
  readonly reason: string;
  /** Seconds the tuning took (0 for a fixed launch). */
  readonly seconds: number;
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${(bytes / 2 ** 10).toFixed(0)} KiB`;
}

export class WebgpuBackend implements SearchBackend {
  readonly name = 'webgpu' as const;
  readonly device: string;
  lastBuild: WebgpuBuildStats | undefined;
  tuning: WebgpuTuning | undefined;
  /** Candidates whose GPU hash disagreed with the CPU re-check (dropped, never returned). */
  gpuMismatches = 0;
  private dag: GpuDag | undefined;
  private runner: SearchRunner | undefined;
  private checker: SolutionChecker | undefined;
  private ahead: KernelAhead | undefined;
  private readonly helper: KernelHelper;
  private closing: Promise<void> | undefined;
  /** Resolves when the holder of the turn (a loading DAG or a submitting search) gives it up. */
  private turn: Promise<void> = Promise.resolve();
  /** Searches until their last batch is read back. */
  private readonly searches = new Set<Promise<unknown>>();
  private readonly log: Logger;

  constructor(
    readonly ctx: GpuContext,
    private readonly options: WebgpuBackendOptions = {},
  ) {
    this.device = `${describeAdapter(ctx.summary)} (WebGPU)`;
    this.log = options.log ?? silentLogger;
    this.tuning = options.tuned;
    const helper = options.helperDevice ?? 'auto';
    const wanted = helper === 'auto' ? isSoftwareAdapter(ctx.summary) && !shaderCacheOff() : helper;
    this.helper = new KernelHelper(() => openGpu(options), wanted, this.log);
  }

  get spec(): DagSpec | undefined {
    return this.dag?.spec;
  }

  /** Where the resident DAG lives on the GPU. */
  get dagLayout(): GpuDagLayout | undefined {
    return this.dag?.layout;
  }

  /** Whether the search kernel of a period is compiled (the next period's is, ahead of time). */
  isPeriodCompiled(period: number): boolean {
    return this.runner?.pipelines.has(period) ?? false;
  }

  /** Resolves once no kernel is being compiled ahead (benchmarks wait for it before timing). */
  kernelsSettled(): Promise<void> {
    return this.ahead?.settled() ?? Promise.resolve();
  }

  /** A second device on this adapter with this tuning; on a software adapter only when the host has room for the DAG twice over (built, then uploaded). */
  async openTwin(next: DagSpec): Promise<WebgpuBackend | undefined> {
    if (isSoftwareAdapter(this.ctx.summary) && !hostHasRoomFor(2 * next.datasetSize)) return undefined;
    return createWebgpuBackend({ ...this.options, tuned: this.tuning });
  }

  prepare(spec: DagSpec, onProgress?: (p: DagProgress) => void): Promise<void> {
    if (this.closing) return refuseClosed();
    return this.withTurn(async () => {
      await this.searchesSettled();
      await this.load(spec, onProgress);
    });
  }

  search(job: SearchJob, start: bigint, count: number, signal?: AbortSignal): Promise<SearchResult> {
    if (this.closing) return refuseClosed();
    const search = this.withTurn((yieldTurn) => this.run(job, start, count, signal, yieldTurn));
    this.searches.add(search);
    const forget = () => this.searches.delete(search);
    search.then(forget, forget);
    return search;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.withTurn(() => this.searchesSettled());
      await this.kernelsSettled();
      this.release();
      await this.helper.close();
      this.ctx.close();
    })();
    return this.closing;
  }

  /**
   * Runs the task once the previous holder gives up the turn. The task holds it until it calls
   * yieldTurn or settles, whichever comes first.
   */
  private withTurn<T>(task: (yieldTurn: () => void) => Promise<T>): Promise<T> {
    const previous = this.turn;
    let yieldTurn!: () => void;
    this.turn = new Promise<void>((resolve) => (yieldTurn = resolve));
    return previous.then(() => task(yieldTurn)).finally(yieldTurn);
  }

  private async searchesSettled(): Promise<void> {
    await Promise.allSettled([...this.searches]);
  }

  private release(): void {
    this.ahead = undefined;
    this.runner?.destroy();
    this.dag?.destroy();
    this.runner = undefined;
    this.dag = undefined;
    this.checker = undefined;
  }

  private throwIfLost(): void {
    const lost = this.ctx.lostReason();
    if (lost) throw new DeviceLostError(lost);
  }

  private async load(spec: DagSpec, onProgress?: (p: DagProgress) => void): Promise<void> {
    const current = this.dag?.spec;
    if (current && current.epoch === spec.epoch && current.mode === spec.mode && current.datasetSize === spec.datasetSize) return;
    this.throwIfLost();
    await this.kernelsSettled();
    this.release();
    const layout = this.planLayout(spec);
    // The helper opens while this device is idle, so the threads it starts are told apart from
    // those this device starts at its first dispatches (kernel-ahead.ts lowers their priority).
    await this.helper.get();
    const cacheStart = performance.now();
    const cache = lightCacheFor(spec);
    const cacheSeconds = (performance.now() - cacheStart) / 1000;
    const dagStart = performance.now();
    const wantedBuilder = this.options.dagBuilder ?? 'auto';
    const builder: DagBuilder = wantedBuilder === 'auto' ? (isSoftwareAdapter(this.ctx.summary) ? 'host' : 'gpu') : wantedBuilder;
    const dag = builder === 'host' ? await buildDagOnHost(this.ctx, spec, layout, onProgress, cache) : await buildGpuDag(this.ctx, spec, cache, layout, onProgress);
    const dagSeconds = (performance.now() - dagStart) / 1000;
    try {
      this.checker = new SolutionChecker(spec, cache);
      this.runner = await this.searchRunner(dag, spec);
    } catch (error) {
      dag.destroy();
      throw error;
    }
    this.dag = dag;
    this.ahead = new KernelAhead({ runner: this.runner, layout, helper: this.helper, log: this.log });
    const bindings = layout.kind === 'texture' ? 1 : layout.chunkEntries.length;
    this.lastBuild = { epoch: spec.epoch, dagBytes: layout.totalBytes, storage: layout.kind, builder, buffers: bindings, cacheSeconds, dagSeconds };
  }

  private planLayout(spec: DagSpec): GpuDagLayout {
    const wanted = this.options.dagStorage ?? 'auto';
    const storage: DagStorage = wanted === 'auto' ? (isSoftwareAdapter(this.ctx.summary) ? 'texture' : 'buffers') : wanted;
    const { limits } = this.ctx.device;
    if (storage === 'texture') {
      try {
        return planTextureLayout(spec.datasetSize, this.ctx.maxTextureDimension, limits.maxTextureArrayLayers);
      } catch (error) {
        throw new DagOutOfMemoryError(`the DAG (${formatBytes(dagEntries(spec.datasetSize) * DAG_ENTRY_BYTES)}) does not fit a texture: ${(error as Error).message}`);
      }
    }
    const layout = planDagLayout(spec.datasetSize, this.ctx.maxBindingBytes, this.ctx.maxBufferBytes);
    this.checkBindings(layout.chunkEntries.length, layout.totalBytes);
    return layout;
  }

  /** Every DAG buffer needs its own binding next to the output buffer. */
  private checkBindings(buffers: number, bytes: number): void {
    const perStage = this.ctx.device.limits.maxStorageBuffersPerShaderStage;
    if (buffers + 1 > perStage) {
      throw new DagOutOfMemoryError(
        `the DAG (${formatBytes(bytes)}) needs ${buffers} storage bindings of at most ${formatBytes(this.ctx.maxBindingBytes)}, ` +
          `but the adapter allows ${perStage - 1} next to the output buffer`,
      );
    }
  }

  private async searchRunner(dag: GpuDag, spec: DagSpec): Promise<SearchRunner> {
    // Any period tunes alike; the epoch's first one is compiled ahead for its first jobs.
    const period = periodOf(spec.epoch * EPOCH_LENGTH);
    if (this.tuning) {
      const runner = new SearchRunner(this.ctx, dag, this.tuning.config);
      runner.warm(period, { headerHash: new Uint8Array(32), height: periodStart(period), target: 0n });
      return runner;
    }
    const configs = searchVariants(this.ctx, dag.layout, this.options);
    const launch = this.options.launch;
    if (launch) {
      const runner = new SearchRunner(this.ctx, dag, configs[0]!);
      this.tuning = { config: configs[0]!, shape: { groups: launch.groups, batch: launch.batch }, rate: 0, trials: [], reason: '', seconds: 0 };
      return runner;
    }
    const result = await autotune(configs.map((c) => new SearchRunner(this.ctx, dag, c)), tuneOptions(this.ctx, period, this.options.batchMs));
    const { config } = result.runner;
    this.tuning = { config, shape: result.shape, rate: result.rate, trials: result.trials, reason: result.reason, seconds: result.seconds };
    this.log(
      'info',
      `webgpu tuned: ${describeSearchConfig(config)} invocations x ${result.shape.groups} workgroups, ` +
        `${result.shape.batch} nonces per dispatch, ${Math.round(result.rate)} H/s, tuned in ${result.seconds.toFixed(1)} s (${result.reason})`,
    );
    return result.runner;
  }

  private async run(job: SearchJob, start: bigint, count: number, signal: AbortSignal | undefined, yieldTurn: () => void): Promise<SearchResult> {
    const dag = this.dag;
    const runner = this.runner;
    const checker = this.checker;
    // A device lost in the build says so, rather than that no DAG was prepared.
    this.throwIfLost();
    if (!dag || !runner || !checker || !this.tuning) throw new Error('prepare() a DAG before searching');
    if (epochOf(job.height) !== dag.spec.epoch) {
      throw new Error(`block ${job.height} is in epoch ${epochOf(job.height)}, but the DAG of epoch ${dag.spec.epoch} is resident`);
    }
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`invalid nonce count ${count}`);
    if (count === 0 || signal?.aborted) return { solutions: [], hashes: 0 };
    const period = periodOf(job.height);
    // A kernel being compiled ahead for this period is waited for, not compiled a second time.
    await this.ahead?.ready(period);
    const first = BigInt.asUintN(64, start);
    const solutions: Solution[] = [];
    let hashes = 0;
    const accept = (candidates: Candidate[], batchHashes: number) => {
      hashes += batchHashes;
      for (const candidate of candidates) {
        const verdict: RecheckVerdict = checker.check(job, candidate);
        if (verdict.solution) solutions.push(verdict.solution);
        else if (verdict.gpuMismatch) {
          this.gpuMismatches++;
          this.log('warn', `dropped nonce ${formatNonce(candidate.nonce)}: the GPU hash disagrees with the CPU re-check`);
        }
      }
    };
    const offset = (nonce: bigint) => BigInt.asUintN(64, nonce - first);
    const sorted = () => solutions.sort((a, b) => (offset(a.nonce) < offset(b.nonce) ? -1 : 1));
    try {
      // The next period compiles while this search's first dispatches run.
      await runner.run(job, period, first, count, this.tuning.shape, {
        signal,
        onBatch: accept,
        onStarted: () => this.ahead?.prepare(period + 1, job),
        onSubmitted: yieldTurn,
        onDispatch: this.options.onDispatch,
      });
    } catch (error) {
      if (error instanceof DeviceLostError) throw new DeviceLostError(error.message, { solutions: sorted(), hashes });
      throw error;
    }
    return { solutions: sorted(), hashes };
  }
}

/** A closed device would never answer: a caller hears at once instead. */
function refuseClosed(): Promise<never> {
  return Promise.reject(new WebgpuError('the webgpu backend is closed'));
}

/** Whether the environment turns Mesa's shader cache off (then a helper's compile is not handed over). */
function shaderCacheOff(): boolean {
  return /^(1|true|yes)$/i.test(globalThis.process?.env?.MESA_SHADER_CACHE_DISABLE ?? '');
}

/** Open the adapter and device; throws WebgpuUnavailableError when there is none. */
export async function createWebgpuBackend(options: WebgpuBackendOptions = {}): Promise<WebgpuBackend> {
  return new WebgpuBackend(await openGpu(options), options);
}
