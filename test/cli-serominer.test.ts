// serominer's and ethminer's command line, run as a rig owner types it: `sero-miner -P …` with
// no command mines, --list-devices, -U/-G, -M/--benchmark, the pool options, --HWMON and
// --tstop/--tstart checks, an unknown option answered with the nearest known one, and `bench`
// without --block on a block miners mine today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { withDefaultCommand } from '../src/cli/default-command.js';
import { benchmarkBlock, deviceTypeBackends, poolSettings } from '../src/cli/serominer-options.js';
import { defaultBenchBlock } from '../src/backends/bench-block.js';
import { LOGIN } from './fixtures/net-helpers.js';
import { todaysBlock } from '../src/chain/height-estimate.js';
import { defaultDag } from '../src/web/page/dag-choice.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../src/chain/forks.js';
import { startDevnet } from '../src/devnet/index.js';
import { silentLogger } from '../src/util/log.js';
import { bin } from './support/cli-process.js';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, [bin, ...args], { maxBuffer: 16 << 20 });
const failure = (...args: string[]) => cli(...args).then(() => assert.fail(`${args.join(' ')} should fail`), (e: { code: number; stderr: string }) => e);

test('no command, options first: serominer\'s command line is `mine`; commands and --version stay as they are', () => {
  const node = ['node', 'sero-miner'];
  assert.deepEqual(withDefaultCommand([...node, '-P', 'stratum1+tcp://a@h:1']), [...node, 'mine', '-P', 'stratum1+tcp://a@h:1']);
  assert.deepEqual(withDefaultCommand([...node, '--list-devices']), [...node, 'mine', '--list-devices']);
  for (const args of [['bench', '--json'], ['--version'], ['-h'], []]) assert.deepEqual(withDefaultCommand([...node, ...args]), [...node, ...args]);
});

test('-U/-G are WebGPU with one line saying so; -M/-Z name a block; the pool options become the pool manager\'s settings', () => {
  const lines: string[] = [];
  assert.deepEqual(deviceTypeBackends({ backend: ['auto'], cuda: true }, (l) => lines.push(l)), ['webgpu']);
  assert.deepEqual(deviceTypeBackends({ backend: ['webgpu', 'wasm'], opencl: true }, (l) => lines.push(l)), ['webgpu', 'wasm']);
  assert.deepEqual(lines, [
    '-U/--cuda: sero-miner has no CUDA or OpenCL; GPUs mine through WebGPU (Vulkan), so this is --backend webgpu',
    '-G/--opencl: sero-miner has no CUDA or OpenCL; GPUs mine through WebGPU (Vulkan), so this is --backend webgpu',
  ]);
  assert.deepEqual(deviceTypeBackends({ backend: ['wasm'] }, () => assert.fail('no flag, no line')), ['wasm']);
  assert.throws(() => deviceTypeBackends({ backend: ['wasm'], cuda: true, opencl: true }, () => {}), /-U\/--cuda and -G\/--opencl ask for GPUs, which --backend wasm leaves out/);
  assert.equal(benchmarkBlock({ backend: ['auto'], simulation: 940410 }), 940410);
  assert.throws(() => benchmarkBlock({ backend: ['auto'], benchmark: 1, simulation: 2 }), /different blocks/);
  assert.deepEqual(poolSettings({ backend: ['auto'], farmRetries: 5, workTimeout: 300, responseTimeout: 4, failoverTimeout: 15 }),
    { retriesPerPool: 5, workTimeoutMs: 300_000, primaryRetryMs: 900_000, responseTimeoutMs: 4000 });
  assert.equal(poolSettings({ backend: ['auto'], failoverTimeout: 0 }).primaryRetryMs, 0, '0 stays on the failover pool');
});

test('bench\'s default block is one miners mine today, never one before ProgPoW', () => {
  const now = Date.UTC(2026, 11, 7);
  const today = todaysBlock(now);
  assert.ok(today > 18_000_000, `today's estimate ${today}`);
  assert.equal(defaultBenchBlock({ backend: 'webgpu', dag: 'full', nowMs: now }).block, today);
  assert.equal(defaultBenchBlock({ backend: 'wasm', dag: 'small', nowMs: now }).block, today);
  assert.equal(defaultBenchBlock({ backend: 'wasm', dag: 'full', nowMs: now }).block, PROGPOW_ACTIVATION_HEIGHT, 'today\'s DAG is beyond wasm32 memory');
  assert.equal(defaultBenchBlock({ backend: 'webgpu', dag: 'full', softwareAdapter: true, nowMs: now }).block, PROGPOW_ACTIVATION_HEIGHT);
  // before the chain's anchor date the estimate would be below ProgPoW: never
  assert.equal(todaysBlock(Date.UTC(2019, 0, 1)), Math.max(PROGPOW_ACTIVATION_HEIGHT, 5_703_394));
  // the browser page's choice keeps the same rule: a tab that holds epoch 31 (1.24 GiB) but not 32
  // benchmarks 940410, not epoch 31's first block 930000; one that holds only epoch 30 takes the small DAG
  const tab = (memoryGiB: number) => defaultDag({ isolated: true, threads: 2, memoryGiB, webgpu: { problem: 'none' } }, { webgpu: false, wasm: true }, now);
  assert.deepEqual([tab(2.49).block, tab(2.49).mode], [PROGPOW_ACTIVATION_HEIGHT, 'full']);
  assert.deepEqual([tab(2.47).block, tab(2.47).mode], [today, 'small']);
  assert.deepEqual([tab(4).block, tab(4).mode], [128 * 30_000, 'full']);
});

test('`bench` with no --block says which block and why; -M/--benchmark runs it at the block given', async () => {
  const { stdout, stderr } = await cli('bench', '--backend', 'wasm', '--dag', 'small', '--threads', '1', '--seconds', '1', '--json');
  const report = JSON.parse(stdout) as { block: number; hashrate: number };
  assert.ok(report.block >= todaysBlock() - 10 && report.block <= todaysBlock(), `block ${report.block}`);
  assert.match(stderr, new RegExp(`bench: block ${report.block}, today's estimated height`));
  const bench = await cli('-M', '940410', '--backend', 'wasm', '--dag', 'small', '--threads', '1');
  assert.match(bench.stdout, /H\/s .*block 940410, epoch 31 small DAG/);
});

test('--list-devices lists what `devices` lists; unknown options name the nearest known one; bad --HWMON and --tstop/--tstart are refused', async () => {
  assert.equal((await cli('--list-devices')).stdout, (await cli('devices')).stdout);
  for (const [typo, meant] of [['--tsop', '--tstop'], ['--farm-retrie', '--farm-retries'], ['--HWMNO', '--HWMON'], ['--failover-timout', '--failover-timeout'], ['--api-prot', '--api-port']]) {
    const e = await failure('-P', `stratum1+tcp://${LOGIN}@127.0.0.1:1`, typo!, '1');
    assert.equal(e.code, 1);
    assert.equal(e.stderr, `error: unknown option '${typo}'\n(Did you mean ${meant}?)\n`);
  }
  for (const [args, message] of [
    [['--HWMON', '3'], /'--HWMON <level>' argument '3' is invalid/],
    [['--tstart', '50'], /--tstart needs --tstop/],
    [['--tstop', '50', '--tstart', '60'], /--tstop \(50\) must be greater than --tstart \(60\)/],
    [['--tstop', '35'], /--tstop \(35\) must be greater than --tstart \(40\)/],
    [['--work-timeout', '10'], /expected seconds from 180 to 99999/],
    [['-U', '--backend', 'wasm'], /-U\/--cuda asks for GPUs/],
  ] as [string[], RegExp][]) {
    const e = await failure('-P', `stratum1+tcp://${LOGIN}@127.0.0.1:1`, ...args);
    assert.equal(e.code, 1);
    assert.match(e.stderr, message);
  }
  const config = JSON.parse((await cli('--tstop', '80', '--HWMON', '0', '--failover-timeout', '5', '--print-config')).stdout) as Record<string, unknown>;
  assert.deepEqual([config.HWMON, config.tstop, config.tstart, config['failover-timeout']], [1, 80, 40, 5], '--tstop reads temperatures whatever --HWMON said');
});

test('`sero-miner -P <pool> …` with no command mines on the pool', async () => {
  const devnet = await startDevnet({ dag: 'small', initialDifficulty: 80_000n, shareDifficulty: 2_000n, stratumTlsPort: null, stratumWsPort: null, logger: silentLogger });
  try {
    const pool = devnet.endpoints.stratum.replace('://', `://${LOGIN}.serominer@`);
    const datadir = mkdtempSync(path.join(tmpdir(), 'sero-serominer-'));
    const { stdout, stderr } = await cli('-P', pool, '--backend', 'wasm', '--threads', '1', '--dag', 'small', '--datadir', datadir, '--farm-retries', '2', '--failover-timeout', '0', '--duration', '15');
    const accepted = Number(/shares (\d+) accepted/.exec(stdout)?.[1]);
    assert.ok(accepted > 0, `${stdout}\n${stderr}`);
    assert.ok(stderr.includes(`connected to stratum1+tcp://${LOGIN}.serominer@`), stderr);
  } finally {
    await devnet.close();
  }
});
