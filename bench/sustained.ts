// `npm run bench:sustained`: the hash rate a pool sees over many periods, against the rate of
// the same backend hashing one job. For each backend the rig mines the embedded devnet (in a
// process of its own) from a few periods before an epoch's end, with a fixed difficulty that
// brings a block every --block-time seconds at the backend's rate, so the run crosses
// --period-changes period changes and one epoch change. One JSON line per backend (progress on
// stderr): the steady rate (one job alone, in short windows every --window-every blocks, in
// which the rig pauses: a shared machine's load changes within a minute, and the run is
// compared with the steady rate interpolated between the windows), the effective rate (hashes of
// current work per second of wall time, from the first job to the end; a job's hashes after it
// was replaced do not count), the same two per CPU second of the miner's process (which other
// processes' load changes much less), the pool's side (accepted shares × share difficulty per second,
// ± the Poisson error), what each job switch, period change and epoch change cost in seconds,
// the same costs projected onto mainnet's pace, and the machine's load.
//   node dist/bench/sustained.js [--backend wasm|webgpu|both] [--dag small|full] [--block-time S]
//     [--period-changes N] [--start-height H] [--steady-seconds S] [--window-every BLOCKS]
//     [--shares-per-block K] [--dag-ahead BLOCKS] [--threads N]
//     [--dispatch-ms MS] (WebGPU's wanted dispatch length; the backend's default otherwise)
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SearchBackend } from '../src/backends/backend.js';
import type { DagSpec } from '../src/pow/epoch.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { createWebgpuBackend } from '../src/backends/webgpu/index.js';
import { machineInfo } from '../src/backends/measure.js';
import { cpuSecondsNow } from '../src/backends/machine.js';
import { SearchLoop } from '../src/miner/search-loop.js';
import { startMiningSession } from '../src/miner/session.js';
import { DAG_AHEAD_BLOCKS } from '../src/miner/dag-ahead.js';
import { createWorkPackage } from '../src/net/wire/work.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import { DEFAULT_PROFILE } from '../src/chain/profile.js';
import { dagSpecForBlock, EPOCH_LENGTH, epochOf, periodOf, periodStart, seedHash } from '../src/pow/epoch.js';
import { PROGPOW_PERIOD } from '../src/pow/progpow-program.js';
import { executionWindows, perCpuFigures, poolSideFigures, rateWithin, sustainedFigures, type JobRecord, type SteadyWindow } from './sustained-figures.js';
import type { RigDevice } from '../src/miner/device.js';
import { jobKey, SearchProbe } from './sustained-probe.js';
import type { DevnetMessage, SustainedDevnetSettings } from './sustained-devnet.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    dag: { type: 'string', default: 'small' },
    'block-time': { type: 'string', default: '1.5' },
    'period-changes': { type: 'string', default: '5' },
    'start-height': { type: 'string' },
    'steady-seconds': { type: 'string', default: '2' },
    'window-every': { type: 'string', default: '10' },
    // Few enough that a machine whose load eases mid-run stays below the miner's cap on shares a second.
    'shares-per-block': { type: 'string', default: '4' },
    'dag-ahead': { type: 'string' },
    threads: { type: 'string' },
    'dispatch-ms': { type: 'string' },
  },
});

// Every period's kernel is new to a miner: WebGPU compiles into a shader cache of this run's own
// (set before Dawn loads, which happens at the first device opened), unless one is given.
const ownShaderCache = process.env.MESA_SHADER_CACHE_DIR === undefined;
if (ownShaderCache) process.env.MESA_SHADER_CACHE_DIR = mkdtempSync(path.join(tmpdir(), 'sero-sustained-shaders-'));

const mode = values.dag === 'full' ? 'full' : 'small';
const blockSeconds = Number(values['block-time']);
const periodChanges = Number(values['period-changes']);
const steadySeconds = Number(values['steady-seconds']);
const windowEvery = Number(values['window-every']);
const sharesPerBlock = BigInt(values['shares-per-block']!);
const aheadBlocks = values['dag-ahead'] === undefined ? DAG_AHEAD_BLOCKS : Number(values['dag-ahead']);
const threads = values.threads === undefined ? undefined : Number(values.threads);
const dispatchMs = values['dispatch-ms'] === undefined ? undefined : Number(values['dispatch-ms']);
if (dispatchMs !== undefined && !(dispatchMs > 0)) {
  process.stderr.write(`bench:sustained: --dispatch-ms wants a length in milliseconds, not ${values['dispatch-ms']}\n`);
  process.exit(2);
}
/** The epoch boundary crossed: epoch 32 starts at block 960,000, past ProgPoW's activation at 940,410. */
const BOUNDARY = 32 * EPOCH_LENGTH;
/** Blocks mined before the first period change and after the last. */
const MARGIN_BLOCKS = 3;
// The epoch change comes at the middle period change.
const startHeight = values['start-height'] !== undefined
  ? Number(values['start-height'])
  : BOUNDARY - (Math.ceil(periodChanges / 2) - 1) * PROGPOW_PERIOD - MARGIN_BLOCKS;
const endHeight = periodStart(periodOf(startHeight) + periodChanges) + MARGIN_BLOCKS;
const GOALS = { wasm: 0.97, webgpu: 0.95 } as const;
/** Hashing before a steady measurement begins: the loop's batches grow, dispatches queue up. */
const WARM_UP_MS = 1000;
/** The blocks at which the rig pauses for a steady window: halfway between period changes' jobs, never next to one. */
const windowAt = (height: number) => height % windowEvery === Math.floor(windowEvery / 2);

const round = (x: number, digits = 0) => Number(x.toFixed(digits));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const progress = (line: string) => process.stderr.write(`bench:sustained: ${line}\n`);

/** Hashes one job alone through a search loop like the rig's, for --steady-seconds after a warm-up: the steady rate. */
async function steadyRate(probe: SearchProbe, backend: SearchBackend, height: number): Promise<{ at: number; rate: number; perCpuSecond: number }> {
  const work = createWorkPackage({ headerHash: randomBytes(32), seedHash: seedHash(epochOf(height)), target: 0n, height });
  const loop = new SearchLoop({ backend, dagMode: mode });
  const firstHashes = new Promise<void>((resolve) => loop.once('hashes', () => resolve()));
  loop.setWork(work);
  loop.start();
  let from: number;
  let to: number;
  let cpuSeconds: number;
  try {
    await firstHashes;
    await sleep(WARM_UP_MS);
    from = performance.now();
    const cpuFrom = cpuSecondsNow();
    await sleep(steadySeconds * 1000);
    to = performance.now();
    cpuSeconds = cpuSecondsNow() - cpuFrom;
  } finally {
    await loop.stop();
  }
  // Only now is the search that was running at `to` recorded, with its hashes.
  const rate = rateWithin(executionWindows(probe.records), jobKey(work.headerHash), from, to);
  return { at: (from + to) / 2, rate, perCpuSecond: (rate * (to - from)) / 1000 / cpuSeconds };
}

/** Resolves once no kernel is being compiled ahead: WebGPU's, WASM's generated modules of the period of `height` and the next. */
async function kernelsSettled(probe: SearchProbe, backend: SearchBackend, height: number): Promise<void> {
  const raw = probe.rawOf(backend) as SearchBackend & { kernelsSettled?: () => Promise<void>; prepareRounds?: (block: number) => Promise<void> };
  await raw.kernelsSettled?.();
  await raw.prepareRounds?.(height);
  await raw.prepareRounds?.(height + PROGPOW_PERIOD);
}

/** Resolves once nothing is being prepared ahead (a kernel, the next epoch's DAG), whose cost must fall in the run, not in a steady window. */
async function settled(probe: SearchProbe, device: RigDevice, height: number): Promise<void> {
  for (;;) {
    if (device.dagAhead && !device.dagAhead.ready) await sleep(250);
    else {
      await kernelsSettled(probe, device.backend, height);
      if (!device.dagAhead || device.dagAhead.ready) return;
    }
  }
}

/** A steady window in the run: the rig paused, the backend hashes one job alone, the rig resumes. */
async function steadyWindow(probe: SearchProbe, device: RigDevice, currentHeight: () => number): Promise<SteadyWindow | undefined> {
  await settled(probe, device, currentHeight());
  // Right after an epoch change the device may still be moving to the twin with the new DAG.
  const resident = () => (probe.rawOf(device.backend) as SearchBackend & { spec?: DagSpec }).spec?.epoch;
  for (let waited = 0; resident() !== epochOf(currentHeight()); waited += 250) {
    if (waited > 60_000) return undefined;
    await sleep(250);
  }
  const height = currentHeight();
  const pausedAt = performance.now();
  const cpuFrom = cpuSecondsNow();
  device.setPaused(true);
  try {
    const steady = await steadyRate(probe, device.backend, height);
    return { ...steady, pausedAt, resumedAt: performance.now(), cpuSeconds: cpuSecondsNow() - cpuFrom };
  } finally {
    device.setPaused(false);
  }
}

interface DevnetProcess {
  readonly stratum: string;
  stop(): Promise<Extract<DevnetMessage, { type: 'stopped' }>>;
}

async function startDevnetProcess(settings: SustainedDevnetSettings): Promise<DevnetProcess> {
  const script = fileURLToPath(new URL('./sustained-devnet.js', import.meta.url));
  const child = fork(script, [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise<DevnetMessage>((resolve, reject) => {
    child.once('message', (m) => resolve(m as DevnetMessage));
    child.once('exit', (code) => reject(new Error(`the devnet process exited with code ${code}`)));
  });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error('the devnet process did not start');
  return {
    stratum: ready.stratum,
    async stop() {
      const stopped = next();
      child.send({ type: 'stop' });
      const message = await stopped;
      if (message.type !== 'stopped') throw new Error('the devnet process did not stop');
      return message;
    },
  };
}

async function openBackend(kind: 'wasm' | 'webgpu'): Promise<SearchBackend> {
  return kind === 'wasm' ? createWasmBackend({ threads }) : await createWebgpuBackend({ batchMs: dispatchMs });
}

async function runBackend(kind: 'wasm' | 'webgpu'): Promise<Record<string, unknown>> {
  const probe = new SearchProbe();
  const backend = probe.wrap(await openBackend(kind));
  const load = { cores: availableParallelism(), loadavg1Start: round(loadavg()[0]!, 2) };
  try {
    progress(`${kind}: DAG of epoch ${epochOf(startHeight)} (${mode}), then ${steadySeconds} s of one job`);
    let started = performance.now();
    await backend.prepare(dagSpecForBlock(startHeight, mode));
    const dagSeconds = (performance.now() - started) / 1000;
    const windows: SteadyWindow[] = [];
    // The first job's kernel and the next period's are compiled before the first steady window, as they are when a run goes on.
    await backend.search({ headerHash: randomBytes(32), height: startHeight, target: 0n }, 0n, 64);
    await kernelsSettled(probe, backend, startHeight);
    const first = await steadyRate(probe, backend, startHeight);
    windows.push({ ...first, pausedAt: first.at, resumedAt: first.at });

    const difficulty = BigInt(Math.max(1000, Math.round(first.rate * blockSeconds)));
    const shareDifficulty = difficulty / sharesPerBlock;
    const devnet = await startDevnetProcess({ dag: mode, startHeight, difficulty: String(difficulty), shareDifficulty: String(shareDifficulty) });
    progress(`${kind}: mining blocks ${startHeight}..${endHeight} at difficulty ${difficulty} (a block every ${blockSeconds} s at ${round(first.rate)} H/s), a steady window every ${windowEvery} blocks`);
    const jobs: JobRecord[] = [];
    let accepted = 0;
    let rejected = 0;
    /** Shares the miner's cap on shares a second held back: the pool's side then falls short of what was found. */
    let capped = false;
    const cpuStart = cpuSecondsNow();
    const datadir = mkdtempSync(path.join(tmpdir(), 'sero-sustained-'));
    const session = startMiningSession({
      pools: [parsePoolUri(devnet.stratum.replace('://', '://devnet-miner.sustained@'))],
      backends: [backend], dagMode: mode, datadir, profile: DEFAULT_PROFILE,
      logger: (level, message) => {
        if (/shares come faster than/.test(message)) capped = true;
        if (level === 'warn' || level === 'error') progress(`${kind}: ${level} ${message}`);
      },
      devices: { dagAheadBlocks: aheadBlocks },
    });
    const device = session.rig.devices[0]!;
    let endAt = 0;
    let cpuAtFirstJob = 0;
    let cpuAtEnd = 0;
    let inWindow: Promise<void> | undefined;
    const ended = new Promise<void>((resolve) => session.rig.on('work', (work) => {
      if (endAt > 0) return;
      const at = performance.now();
      if (work.height >= endHeight) {
        endAt = at;
        cpuAtEnd = cpuSecondsNow();
        resolve();
        return;
      }
      const previous = jobs.at(-1);
      if (!previous) cpuAtFirstJob = cpuSecondsNow();
      jobs.push({ job: jobKey(work.headerHash), height: work.height, at });
      if (previous && periodOf(work.height) !== periodOf(previous.height)) progress(`${kind}: period ${periodOf(work.height)} (block ${work.height})`);
      if (windowAt(work.height) && previous?.height !== work.height && !inWindow) {
        inWindow = steadyWindow(probe, device, () => jobs.at(-1)!.height).then((w) => void (w && windows.push(w))).finally(() => (inWindow = undefined));
      }
    }));
    session.rig.on('share', (result) => {
      if (result.work.height >= endHeight) return;
      if (result.status === 'accepted') accepted++;
      else rejected++;
    });
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the run did not reach block ${endHeight} in time`)), (endHeight - startHeight) * blockSeconds * 4_000 + 300_000);
    });
    let last: SteadyWindow | undefined;
    try {
      await Promise.race([ended, limit]);
      await inWindow;
      // the last window while the rig still holds its backend (stopping the session closes a twin it moved to)
      progress(`${kind}: ${steadySeconds} s of one job on the DAG of epoch ${epochOf(endHeight)}`);
      last = await steadyWindow(probe, device, () => endHeight);
      if (!last) throw new Error(`the DAG of epoch ${epochOf(endHeight)} was not resident a minute after the run's end`);
    } finally {
      clearTimeout(timer);
      await inWindow?.catch(() => undefined);
      await session.stop();
      rmSync(datadir, { recursive: true, force: true });
    }
    const processCpuSeconds = cpuSecondsNow() - cpuStart - (last.cpuSeconds ?? 0);
    const devnetStats = await devnet.stop();
    // after the run's end: no pause within it, and none of the run's CPU time
    windows.push({ at: last.at, rate: last.rate, perCpuSecond: last.perCpuSecond, pausedAt: last.at, resumedAt: last.at });
    const figures = sustainedFigures(probe.records, jobs, endAt, windows);
    const perCpuSecond = perCpuFigures(figures.currentHashes, cpuAtEnd - cpuAtFirstJob, windows);
    // The raw record, for a closer look at where the time went.
    if (process.env.SUSTAINED_RECORD) writeFileSync(`${process.env.SUSTAINED_RECORD}.${kind}.json`, JSON.stringify({ records: probe.records, jobs, endAt, windows }));
    const rates = windows.map((w) => w.rate);
    const poolSide = poolSideFigures(accepted, Number(shareDifficulty), figures.seconds, figures.effectiveRate);
    const goal = GOALS[kind];
    return {
      name: 'sustained',
      backend: kind,
      device: backend.device,
      dag: mode,
      date: new Date().toISOString(),
      blocks: { start: startHeight, end: endHeight, mined: endHeight - startHeight, targetSeconds: blockSeconds, meanSeconds: round(figures.seconds / (endHeight - startHeight), 2) },
      steady: { rate: figures.steadyRate, windows: windows.length, minRate: round(Math.min(...rates)), maxRate: round(Math.max(...rates)), seconds: steadySeconds },
      effective: { rate: figures.effectiveRate, overSteady: figures.effectiveOverSteady, seconds: figures.seconds, jobs: figures.jobs },
      perCpuSecond,
      poolSide: { ...poolSide, rejected, capped, difficulty: Number(difficulty) },
      jobSwitch: figures.jobSwitch,
      periodChange: figures.periodChange,
      epochChange: { ...figures.epochChange, dagAheadBlocks: aheadBlocks, builtAhead: probe.instances.length > 1, dagSecondsAtStart: round(dagSeconds, 2) },
      deficitSeconds: figures.deficitSeconds,
      mainnetProjection: figures.mainnetProjection,
      goal: { effectiveOverSteady: goal, met: figures.effectiveOverSteady >= goal && figures.periodChange.count >= 5, poolWithinError: poolSide.withinErrorOfEffective },
      load: { ...load, loadavg1End: round(loadavg()[0]!, 2), processCpuSeconds: round(processCpuSeconds, 1), devnetCpuSeconds: round(devnetStats.cpuSeconds, 1), devnetCpuShare: round(devnetStats.cpuSeconds / ((endAt - jobs[0]!.at) / 1000) / load.cores, 4) },
      machine: machineInfo(),
    };
  } finally {
    await Promise.all(probe.instances.map((b) => b.close().catch(() => undefined)));
  }
}

const kinds: ('wasm' | 'webgpu')[] = values.backend === 'both' ? ['wasm', 'webgpu'] : [values.backend as 'wasm' | 'webgpu'];
try {
  for (const kind of kinds) {
    const line = await runBackend(kind).catch((error: Error) => {
      process.exitCode = 1;
      return { name: 'sustained', backend: kind, error: error.message };
    });
    console.log(JSON.stringify(line));
  }
} finally {
  if (ownShaderCache) rmSync(process.env.MESA_SHADER_CACHE_DIR!, { recursive: true, force: true });
}
