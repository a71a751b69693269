// `npm run bench:sustained` in small: WASM mines the embedded devnet across an epoch change
// (which is a period change too) with the next DAG built ahead, and its JSON line must hold
// real, consistent figures: steady, effective and pool-side rates that agree with their own
// counts, per-event costs, the load. Speed is not checked here (bench/RESULTS.md has it); the
// figures' rules are checked on a made-up record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jobFigures, poolSideFigures, executionWindows, type SearchRecord } from '../bench/sustained-figures.js';

const benchSustained = fileURLToPath(new URL('../bench/sustained.js', import.meta.url));

function runBench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [benchSustained, ...args], { maxBuffer: 16 * 2 ** 20, timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const close = (actual: number, expected: number, relative: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= Math.max(1, Math.abs(expected) * relative), `${what}: ${actual} against ${expected}`);

test('bench:sustained on WASM across an epoch change: one JSON line whose figures agree with each other', { timeout: 240_000 }, async () => {
  const run = await runBench(['--backend', 'wasm', '--threads', '1', '--period-changes', '1', '--block-time', '2', '--steady-seconds', '1', '--window-every', '4', '--shares-per-block', '4']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, run.stdout);
  const r = JSON.parse(lines[0]!);
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.name, 'sustained');
  assert.equal(r.backend, 'wasm');
  assert.match(r.device, /WASM/);

  // Started 3 blocks before epoch 32 (block 960,000), ended 3 blocks into it.
  assert.deepEqual([r.blocks.start, r.blocks.end, r.blocks.mined], [959_997, 960_003, 6]);
  assert.ok(r.effective.jobs >= r.blocks.mined, `${r.effective.jobs} jobs for ${r.blocks.mined} blocks`);
  assert.ok(r.effective.seconds > 0 && r.steady.rate > 0 && r.effective.rate > 0);
  assert.ok(r.steady.windows >= 2 && r.steady.minRate <= r.steady.maxRate, JSON.stringify(r.steady));
  close(r.effective.rate / r.steady.rate, r.effective.overSteady, 0.02, 'effective over steady');
  const cpu = r.perCpuSecond;
  assert.ok(cpu.effective > 0 && cpu.steady > 0, JSON.stringify(cpu));
  close(cpu.effective / cpu.steady, cpu.overSteady, 0.01, 'per CPU second: effective over steady');
  close(r.blocks.meanSeconds * r.blocks.mined, r.effective.seconds, 0.02, 'blocks times their mean time');

  // The pool's side: accepted shares × share difficulty per second, ± the Poisson error.
  const pool = r.poolSide;
  assert.ok(pool.acceptedShares > 0, 'the pool accepted shares');
  assert.equal(pool.shareDifficulty, Math.floor(pool.difficulty / 4));
  close(pool.rate, (pool.acceptedShares * pool.shareDifficulty) / r.effective.seconds, 0.01, 'pool-side rate');
  close(pool.error, (Math.sqrt(pool.acceptedShares) * pool.shareDifficulty) / r.effective.seconds, 0.01, 'pool-side error');
  close(pool.overEffective, pool.rate / r.effective.rate, 0.01, 'pool side over effective');
  assert.equal(pool.withinErrorOfEffective, Math.abs(pool.rate - r.effective.rate) <= pool.error);
  assert.equal(r.goal.poolWithinError, pool.withinErrorOfEffective);

  // The events: jobs switched, the one period change that is the epoch change, its DAG built ahead.
  assert.ok(r.jobSwitch.count >= 1 && r.jobSwitch.medianMs >= 0 && r.jobSwitch.maxMs >= r.jobSwitch.medianMs, JSON.stringify(r.jobSwitch));
  assert.equal(r.periodChange.count, 1);
  assert.equal(r.epochChange.count, 1);
  assert.equal(r.epochChange.builtAhead, true, 'the DAG of epoch 32 was built ahead on a twin');
  assert.ok(r.epochChange.firstHashMs >= 0, JSON.stringify(r.epochChange));
  const d = r.deficitSeconds;
  close(d.jobSwitches + d.periodChanges + d.epochChange + d.rest, d.total, 0.01, 'the deficit\'s parts');

  // One period change is not the five the goal asks for, whatever the rate.
  assert.equal(r.goal.effectiveOverSteady, 0.97);
  assert.equal(r.goal.met, false);
  assert.equal(r.load.cores >= 1 && r.load.loadavg1Start >= 0 && r.load.loadavg1End >= 0, true);
  assert.ok(r.load.processCpuSeconds > 0 && r.load.devnetCpuSeconds > 0, JSON.stringify(r.load));
  assert.ok(!Number.isNaN(Date.parse(r.date)));
});

test('the figures: hashes after a job was replaced and the wait for the next job\'s first search are the job switch\'s cost', () => {
  // One instance: job a from 0 ms; job b arrives at 1000 ms; a's search ends at 1100 ms, b's runs 1100-2000 ms.
  const records: SearchRecord[] = [
    { instance: 0, job: 'a', issuedAt: 0, endedAt: 1100, hashes: 1100 },
    { instance: 0, job: 'b', issuedAt: 1000, endedAt: 2000, hashes: 900 },
  ];
  const jobs = [{ job: 'a', height: 10, at: 0 }, { job: 'b', height: 11, at: 1000 }];
  const steady = [{ pausedAt: -1, resumedAt: -1, at: -1, rate: 1000 }];
  const [a, b] = jobFigures(executionWindows(records), jobs, 2000, steady);
  assert.equal(a!.currentHashes, 1000, 'a\'s 100 hashes after b arrived do not count');
  assert.equal(b!.currentHashes, 900);
  assert.equal(b!.firstHashMs, 100, 'b\'s search started when a\'s ended');
  assert.ok(Math.abs(b!.deficitSeconds - 0.1) < 1e-9);
  assert.equal(a!.deficitSeconds, 0);
  const pool = poolSideFigures(100, 20, 2, 1000);
  assert.deepEqual([pool.rate, pool.error, pool.withinErrorOfEffective], [1000, 100, true]);
  assert.equal(poolSideFigures(64, 20, 2, 1000).withinErrorOfEffective, false, '640 ± 80 H/s is not 1000');
});
