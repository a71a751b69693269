// Benchmark mode: on the visitor's click, each chosen backend builds the DAG of the chosen
// block (progress on its card) and hashes for the chosen time; the cards show the rates side
// by side and the JSON is what `sero-miner bench --json` prints. WebGPU that cannot run here
// or cannot hold the DAG says why, and the benchmark goes on with WASM.
import type { SearchBackend } from '../../backends/backend.js';
import { benchWasm, benchWebgpu, type BenchRun, type WasmBenchReport, type WebgpuBenchReport } from '../../backends/bench-run.js';
import { createWasmBackend, type WasmBackend } from '../../backends/wasm/index.js';
import { createWebgpuBackend, DagOutOfMemoryError, isGpuFailure, WebgpuBackend } from '../../backends/webgpu/index.js';
import { dagSpecForBlock, type DagMode, type DagSpec } from '../../pow/epoch.js';
import type { Logger } from '../../util/log.js';
import { untilAborted, type Activity } from './activity.js';
import { abandonBackend } from './backends.js';
import { BackendCard } from './backend-card.js';
import { defaultDag, formatGiB, type BackendSelection, type DagChoice } from './dag-choice.js';
import { byId, clearNotice, intValue, showNotice } from './dom.js';
import type { PageEnvironment } from './environment.js';
import type { Settings } from './settings.js';

type Kind = 'webgpu' | 'wasm';
type Outcome = 'done' | 'unavailable' | 'failed' | 'stopped';
type Report = WasmBenchReport | WebgpuBenchReport;

const DEFAULT_SECONDS = 10;
const MAX_SECONDS = 600;

function dagSize(spec: DagSpec): string {
  return spec.datasetSize >= 2 ** 30 ? formatGiB(spec.datasetSize) : `${Math.round(spec.datasetSize / 2 ** 20)} MiB`;
}

export class BenchMode {
  private readonly block = byId<HTMLInputElement>('bench-block');
  private readonly dag = byId<HTMLSelectElement>('bench-dag');
  private readonly seconds = byId<HTMLInputElement>('bench-seconds');
  private readonly useWebgpu = byId<HTMLInputElement>('bench-webgpu');
  private readonly useWasm = byId<HTMLInputElement>('bench-wasm');
  private readonly note = byId('bench-dag-note');
  private readonly status = byId('bench-status');
  private readonly startButton = byId<HTMLButtonElement>('bench-start');
  private readonly stopButton = byId<HTMLButtonElement>('bench-stop');
  private readonly json = byId('bench-json');
  private readonly copyButton = byId<HTMLButtonElement>('bench-copy');
  private readonly cards: Record<Kind, BackendCard> = { webgpu: new BackendCard('card-webgpu'), wasm: new BackendCard('card-wasm') };
  private run: { readonly abort: AbortController; backend?: SearchBackend } | undefined;
  private reports: Report[] = [];
  private defaultChoice: DagChoice | undefined;

  constructor(
    private readonly env: PageEnvironment,
    private readonly settings: Settings,
    private readonly activity: Activity,
    private readonly log: Logger,
  ) {
    this.seconds.value = String(DEFAULT_SECONDS);
    if ('problem' in env.webgpu) {
      this.useWebgpu.checked = false;
      this.useWebgpu.disabled = true;
      this.cards.webgpu.setState('unavailable', `unavailable: ${env.webgpu.problem}`);
    } else {
      this.cards.webgpu.setDevice(env.webgpu.name);
    }
    this.cards.wasm.setDevice(`${env.threads} thread${env.threads === 1 ? '' : 's'}, WASM SIMD`);
    this.applyDefault();
    for (const input of [this.useWebgpu, this.useWasm]) input.addEventListener('change', () => this.applyDefault());
    for (const input of [this.block, this.dag]) input.addEventListener('input', () => this.describeDag());
    this.startButton.addEventListener('click', () => void this.start());
    this.stopButton.addEventListener('click', () => this.stop('stopped'));
    this.copyButton.addEventListener('click', () => void this.copy());
    activity.onChange((holder) => {
      this.startButton.disabled = holder !== undefined;
      this.stopButton.disabled = holder !== 'benchmark';
    });
  }

  get running(): boolean {
    return this.run !== undefined;
  }

  /** The default block and DAG for the backends ticked now. */
  private applyDefault(): void {
    const selection: BackendSelection = { webgpu: this.useWebgpu.checked, wasm: this.useWasm.checked };
    const choice = defaultDag(this.env, selection);
    this.block.value = String(choice.block);
    this.dag.value = choice.mode;
    this.defaultChoice = choice;
    this.describeDag();
  }

  private chosenSpec(): { block: number; spec: DagSpec } | string {
    const block = intValue(this.block);
    if (block === undefined) return 'enter a block number (0 or more)';
    try {
      return { block, spec: dagSpecForBlock(block, this.dag.value as DagMode) };
    } catch (error) {
      return (error as Error).message;
    }
  }

  private describeDag(): void {
    const chosen = this.chosenSpec();
    if (typeof chosen === 'string') {
      this.note.textContent = chosen;
      return;
    }
    const { spec } = chosen;
    const what = spec.mode === 'small'
      ? `the small DAG (${dagSize(spec)}): a first figure in seconds`
      : `epoch ${spec.epoch}: a ${dagSize(spec)} DAG, built before hashing starts (minutes on a GPU, far longer on a CPU)`;
    const fallback = this.defaultChoice;
    const isDefault = fallback !== undefined && chosen.block === fallback.block && spec.mode === fallback.mode;
    const about = !fallback ? '' : isDefault ? ` This is the default: ${fallback.reason}.` : ` The default is block ${fallback.block.toLocaleString('en-US')} with the ${fallback.mode} DAG: ${fallback.reason}.`;
    this.note.textContent = `Block ${chosen.block.toLocaleString('en-US')} hashes with ${what}.${about}`;
  }

  async start(): Promise<void> {
    const chosen = this.chosenSpec();
    if (typeof chosen === 'string') {
      this.status.textContent = chosen;
      return;
    }
    const wanted: Kind[] = [...(this.useWebgpu.checked ? (['webgpu'] as const) : []), ...(this.useWasm.checked ? (['wasm'] as const) : [])];
    if (wanted.length === 0) {
      this.status.textContent = 'tick WebGPU, WASM or both';
      return;
    }
    if (!this.activity.claim('benchmark')) return;
    const seconds = Math.min(MAX_SECONDS, intValue(this.seconds) || DEFAULT_SECONDS);
    const run = { abort: new AbortController() } as { readonly abort: AbortController; backend?: SearchBackend };
    this.run = run;
    this.reports = [];
    this.renderJson();
    clearNotice('bench');
    for (const kind of wanted) this.cards[kind].reset();
    this.status.textContent = 'running…';
    this.log('info', `benchmark: block ${chosen.block}, ${chosen.spec.mode} DAG of epoch ${chosen.spec.epoch}, ${seconds} s each on ${wanted.join(' and ')}`);
    try {
      for (const kind of wanted) {
        const outcome = await this.runOne(kind, chosen.block, chosen.spec, seconds, run);
        if (outcome === 'stopped') break;
        if (kind === 'webgpu' && outcome === 'unavailable' && !wanted.includes('wasm')) {
          showNotice('bench', 'warn', `WebGPU could not run this benchmark (${this.cards.webgpu.stateText}): measuring WASM instead.`);
          await this.runOne('wasm', chosen.block, chosen.spec, seconds, run);
        }
      }
      if (!run.abort.signal.aborted) this.status.textContent = this.reports.length > 0 ? 'done: copy the JSON below' : 'no backend could run';
    } finally {
      this.run = undefined;
      this.activity.release('benchmark');
    }
  }

  /** Stops at once: the running backend is abandoned (threads terminated, GPU device destroyed). */
  stop(why: string): void {
    const run = this.run;
    if (!run) return;
    run.abort.abort(new Error(why));
    if (run.backend) void abandonBackend(run.backend);
    for (const card of Object.values(this.cards)) {
      if (card.state === 'running') {
        card.setState('stopped', why);
        card.setProgress(undefined);
      }
    }
    this.status.textContent = why;
    this.log('info', `benchmark ${why}`);
  }

  private async runOne(kind: Kind, block: number, spec: DagSpec, seconds: number, run: { readonly abort: AbortController; backend?: SearchBackend }): Promise<Outcome> {
    const card = this.cards[kind];
    const signal = run.abort.signal;
    card.setState('running', kind === 'webgpu' ? 'opening the GPU…' : 'starting the threads…');
    let backend: WasmBackend | WebgpuBackend | undefined;
    let countdown: ReturnType<typeof setInterval> | undefined;
    try {
      const opened: Promise<WasmBackend | WebgpuBackend> = kind === 'webgpu'
        ? createWebgpuBackend(this.settings.webgpuOptions(this.log))
        : Promise.resolve(createWasmBackend(this.settings.wasmOptions(this.log)));
      backend = await untilAborted(opened, signal).catch(async (error: unknown) => {
        void opened.then((late) => abandonBackend(late), () => undefined);
        throw error;
      });
      run.backend = backend;
      card.setDevice(backend.device);
      card.setState('running', `building the ${dagSize(spec)} DAG of epoch ${spec.epoch}…`);
      card.setProgress(0);
      const benchRun: BenchRun = {
        block, spec, seconds,
        onProgress: (p) => {
          if (signal.aborted) return;
          card.setProgress(p.total > 0 ? p.done / p.total : 0);
          card.setState('running', `building the ${dagSize(spec)} DAG of epoch ${spec.epoch}: ${Math.floor((100 * p.done) / Math.max(1, p.total))}%`);
        },
        onPrepared: () => {
          card.setProgress(undefined);
          const from = performance.now();
          const warmUp = kind === 'webgpu' ? 'compiling the kernel and warming up' : 'warming up';
          const tick = () => card.setState('running', `hashing for ${seconds} s after ${warmUp}: ${Math.floor((performance.now() - from) / 1000)} s so far`);
          tick();
          countdown = setInterval(tick, 500);
        },
      };
      const report = await untilAborted<Report>(backend instanceof WebgpuBackend ? benchWebgpu(backend, benchRun) : benchWasm(backend, benchRun), signal);
      this.show(kind, report);
      return 'done';
    } catch (error) {
      if (signal.aborted) return 'stopped';
      const message = (error as Error).message;
      card.setProgress(undefined);
      if (isGpuFailure(error)) {
        const prefix = error instanceof DagOutOfMemoryError ? "the adapter's limits cannot hold this DAG" : 'WebGPU cannot run here';
        card.setState('unavailable', `${prefix}: ${message}`);
        this.log('warn', `benchmark on WebGPU: ${prefix}: ${message}`);
        return 'unavailable';
      }
      card.setState('failed', `failed: ${message}`);
      this.log('error', `benchmark on ${kind}: ${message}`);
      return 'failed';
    } finally {
      clearInterval(countdown);
      if (backend) await abandonBackend(backend);
      run.backend = undefined;
    }
  }

  private show(kind: Kind, report: Report): void {
    const card = this.cards[kind];
    card.setState('done', `${report.hashes.toLocaleString('en-US')} hashes in ${report.measuredSeconds} s`);
    card.setRate(report.hashrate);
    const build = report.dagBuild;
    const details: [string, string][] = [
      ['DAG', `epoch ${report.epoch}, ${report.dag}, ${dagSize({ datasetSize: report.dagBytes } as DagSpec)}`],
      ['DAG build', `${build.seconds} s (${build.itemsPerSecond.toLocaleString('en-US')} items/s)`],
    ];
    if (report.backend === 'webgpu') {
      const l = report.launch;
      details.push(['launch', `${l.exchange} exchange, ${l.workgroupSize} × ${l.workgroups}, ${l.batch} nonces`]);
    } else {
      details.push(['threads', `${report.threads} (${report.hashratePerThread.toLocaleString('en-US')} H/s each)`], ['light hash', `${report.lightHashMs} ms`]);
    }
    card.setDetails(details);
    this.reports.push(report);
    this.renderJson();
    this.log('info', `benchmark on ${kind}: ${report.hashrate} H/s`);
  }

  private renderJson(): void {
    this.json.textContent = this.reports.length === 0 ? 'No results yet.' : this.reports.map((r) => JSON.stringify(r)).join('\n');
    this.copyButton.disabled = this.reports.length === 0;
  }

  private async copy(): Promise<void> {
    const text = this.reports.map((r) => JSON.stringify(r)).join('\n');
    try {
      await navigator.clipboard.writeText(text);
      this.status.textContent = 'JSON copied';
    } catch {
      // no clipboard permission: select the text so Ctrl-C copies it
      getSelection()?.selectAllChildren(this.json);
      this.status.textContent = 'JSON selected: press Ctrl-C (or ⌘C) to copy';
    }
  }
}
