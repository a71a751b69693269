// A second run looks like the first: the README's quick start (`mine` on the embedded devnet)
// run twice on a fresh HOME, the second 3 minutes after the first ended (its clock shifted by
// test/support/clock-shift.ts, so the devnet reopens a datadir whose last block is 3 minutes
// old, through the real restart path). The devnet must not read the gap as slow blocks and drop
// its difficulty to the floor: the second run finds blocks at the first run's pace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DevnetStore } from '../src/devnet/store.js';
import { height } from '../src/devnet/chain/block.js';
import { bin } from './support/cli-process.js';

const RUN_SECONDS = 60;
const GAP_MS = 3 * 60_000;
const clockShift = pathToFileURL(path.join(path.dirname(new URL(import.meta.url).pathname), 'support/clock-shift.js')).href;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Hashes per accepted share: the share difficulty the devnet set, at whatever hashrate this run had. */
  hashesPerShare: number;
}

function quickStart(home: string, clockShiftMs: number): Promise<Run> {
  const preload = clockShiftMs === 0 ? [] : ['--import', clockShift];
  const child = spawn(process.execPath, [...preload, bin, 'mine', '--duration', String(RUN_SECONDS)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: home, SERO_TEST_CLOCK_SHIFT_MS: String(clockShiftMs) },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  return new Promise((resolve) => child.once('exit', (code) => {
    const rate = /^mined ([0-9.]+) (H|kH|MH)\/s average/m.exec(stdout);
    const shares = /shares (\d+) accepted/.exec(stdout);
    const hashrate = rate ? Number(rate[1]) * ({ H: 1, kH: 1e3, MH: 1e6 } as Record<string, number>)[rate[2]!]! : NaN;
    resolve({ code, stdout, stderr, hashesPerShare: (hashrate * RUN_SECONDS) / Math.max(1, Number(shares?.[1] ?? 0)) });
  }));
}

/** The devnet's chain as the quick start left it: each mined block's height, timestamp (s) and difficulty. */
async function chainOf(home: string): Promise<{ height: number; timestamp: number; difficulty: bigint }[]> {
  const store = await DevnetStore.open(path.join(home, '.sero-miner', 'devnet'));
  try {
    return (await store.loadBlocks()).slice(1).map((b) => ({ height: height(b), timestamp: Number(b.header.timestamp), difficulty: b.header.difficulty }));
  } finally {
    await store.close();
  }
}

test('the quick start twice, 3 minutes apart: the second run finds blocks at the first run\'s pace', { timeout: 10 * 60_000 }, async (t) => {
  const home = mkdtempSync(path.join(tmpdir(), 'sero-home-'));
  const first = await quickStart(home, 0);
  assert.equal(first.code, 0, first.stderr);
  const afterFirst = await chainOf(home);
  const second = await quickStart(home, GAP_MS);
  assert.equal(second.code, 0, second.stderr);
  const chain = await chainOf(home);
  const secondBlocks = chain.slice(afterFirst.length);
  const last = afterFirst.at(-1);
  const report = `first run: ${afterFirst.length} blocks, ${first.hashesPerShare.toFixed(0)} hashes/share, difficulties ${afterFirst.map((b) => b.difficulty).join(' ')}; `
    + `second run: ${secondBlocks.length} blocks, ${second.hashesPerShare.toFixed(0)} hashes/share, difficulties ${secondBlocks.map((b) => b.difficulty).join(' ')}`;
  t.diagnostic(report);
  if (last !== undefined && secondBlocks[0] !== undefined) assert.ok(secondBlocks[0].timestamp - last.timestamp >= GAP_MS / 1000, `the gap is in the chain: ${report}`);
  // blocks per minute within 2x, beyond the chance of a few blocks either way (the collapse found hundreds)
  assert.ok(secondBlocks.length <= 2 * afterFirst.length + 4, report);
  // the work per share (an eighth of the block difficulty) is the pace without the chance of block finding
  assert.ok(second.hashesPerShare >= first.hashesPerShare / 2 && second.hashesPerShare <= first.hashesPerShare * 2, report);
  const floor = secondBlocks.reduce((min, b) => (b.difficulty < min ? b.difficulty : min), 1n << 64n);
  assert.ok(secondBlocks.length === 0 || floor >= (last?.difficulty ?? 0n) / 4n, `no block of the second run far below the first run's difficulty: ${report}`);
});
