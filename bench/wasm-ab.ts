// The WASM hash rate of this checkout (A) against another build (B: a worktree of an earlier
// commit, built), in alternating runs of `sero-miner bench --backend wasm --json` on the same
// machine in one call (A B, then B A, ...), so that drift and other processes' load fall on
// both alike. One JSON line per run, then a summary: medians, the ratio of the medians, the
// median of the per-round ratios, and the load average seen.
//   node dist/bench/wasm-ab.js --base ../wasm-base [--rounds 8] [--seconds 20] [--block 940410]
//        [--dag full] [--threads 2] [--dag-dir DIR] [--a="--batch 16"] [--b="..."]
// The DAG file cache (--dag-dir, default under the temporary directory) is shared by both, so
// only the first run ever builds the DAG.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo } from '../src/backends/measure.js';

const { values: opts } = parseArgs({
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '20' },
    block: { type: 'string', default: '940410' },
    dag: { type: 'string', default: 'full' },
    threads: { type: 'string', default: '2' },
    'dag-dir': { type: 'string', default: path.join(tmpdir(), 'sero-miner-bench-dags') },
    a: { type: 'string', default: '' },
    b: { type: 'string', default: '' },
  },
});

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!opts.base) throw new Error('--base <checkout> is required: the other build, e.g. a worktree of the commit to compare with');
const sides = {
  A: { bin: path.join(here, 'bin', 'sero-miner.js'), extra: opts.a.split(' ').filter(Boolean) },
  B: { bin: path.join(path.resolve(opts.base), 'bin', 'sero-miner.js'), extra: opts.b.split(' ').filter(Boolean) },
};
for (const side of Object.values(sides)) if (!existsSync(side.bin)) throw new Error(`${side.bin} is missing`);

interface Run {
  readonly hashrate: number;
  readonly hashesPerCpuSecond: number;
  readonly loadavg1: number;
}

function benchOnce(name: 'A' | 'B', round: number): Run {
  const side = sides[name];
  const args = [
    side.bin, 'bench', '--backend', 'wasm', '--block', opts.block, '--dag', opts.dag, '--threads', opts.threads,
    '--seconds', opts.seconds, '--dag-dir', opts['dag-dir'], '--json', ...side.extra,
  ];
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`${name}: ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  const out = JSON.parse(child.stdout) as {
    hashrate: number; hashesPerCpuSecond: number; engine?: string; dagBuild: { source: string };
    computeBound?: { hashesPerSecond: number; fraction: number; fractionPerCpuSecond: number };
  };
  const run = { hashrate: out.hashrate, hashesPerCpuSecond: out.hashesPerCpuSecond, loadavg1: Number(((loadBefore + loadavg()[0]!) / 2).toFixed(2)) };
  console.log(JSON.stringify({
    name: 'run', side: name, round, ...run, engine: out.engine ?? null, dag: out.dagBuild.source,
    bound: out.computeBound ? { hashesPerSecond: out.computeBound.hashesPerSecond, fraction: out.computeBound.fraction, fractionPerCpuSecond: out.computeBound.fractionPerCpuSecond } : null,
    wallSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  }));
  return run;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round2 = (x: number) => Number(x.toFixed(3));

console.log(JSON.stringify({ name: 'machine', ...machineInfo(), date: new Date().toISOString(), ...opts, a: sides.A, b: sides.B }));
const runs: Record<'A' | 'B', Run[]> = { A: [], B: [] };
const pairRatios: number[] = [];
for (let round = 0; round < Number(opts.rounds); round++) {
  const order: ('A' | 'B')[] = round % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
  const got: Partial<Record<'A' | 'B', Run>> = {};
  for (const name of order) runs[name].push((got[name] = benchOnce(name, round)));
  pairRatios.push(got.A!.hashrate / got.B!.hashrate);
}
const summary = (xs: Run[]) => ({ hashrate: Math.round(median(xs.map((r) => r.hashrate))), hashesPerCpuSecond: Math.round(median(xs.map((r) => r.hashesPerCpuSecond))), runs: xs.length });
const A = summary(runs.A);
const B = summary(runs.B);
const loads = [...runs.A, ...runs.B].map((r) => r.loadavg1);
console.log(JSON.stringify({
  name: 'summary', A, B,
  ratioOfMedians: round2(A.hashrate / B.hashrate),
  medianPairRatio: round2(median(pairRatios)),
  perCpuSecondRatio: round2(A.hashesPerCpuSecond / B.hashesPerCpuSecond),
  loadavg1: { min: Math.min(...loads), median: round2(median(loads)), max: Math.max(...loads) },
}));
