// The search and bench commands, run as a user runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { repoRoot } from './support/vectors.js';
import { dagSpecForBlock } from '../src/pow/epoch.js';
import { makeLightCache } from '../src/pow/ethash.js';
import { lightDag, progpowHash } from '../src/pow/progpow.js';
import { meetsTarget } from '../src/pow/target.js';
import { bytesTo0x, formatNonce } from '../src/util/hex.js';

const run = promisify(execFile);
const bin = path.join(repoRoot, 'bin/sero-miner.js');
const cli = (...args: string[]) => run(process.execPath, [bin, ...args], { maxBuffer: 1 << 24 });

const block = 940_455;
const header = '0x' + '5a'.repeat(32);
const targetHex = '0x1' + '0'.repeat(63); // 2^252: about one nonce in 16

function expected(start: bigint, count: number) {
  const spec = dagSpecForBlock(block, 'small');
  const dag = lightDag(makeLightCache(spec.cacheSize, spec.seedHash), spec.datasetSize);
  const solutions = [];
  for (let i = 0n; i < BigInt(count); i++) {
    const nonce = BigInt.asUintN(64, start + i);
    const r = progpowHash(Buffer.from(header.slice(2), 'hex'), nonce, block, dag);
    if (meetsTarget(r.finalHash, BigInt(targetHex))) solutions.push({ nonce: formatNonce(nonce), mixDigest: bytesTo0x(r.mixDigest), finalHash: bytesTo0x(r.finalHash) });
  }
  return solutions;
}

test('search --backend wasm --json prints every solution in nonce order', async () => {
  const start = 0xfffffffffffffff0n; // wraps past 2^64 - 1
  const args = ['search', '--block', String(block), '--header', header, '--target', targetHex, '--count', '64', '--dag', 'small', '--backend', 'wasm', '--threads', '2', '--json'];
  const { stdout } = await cli(...args, '--start', '0x' + start.toString(16));
  const out = JSON.parse(stdout) as { solutions: unknown[]; hashes: number; seconds: number };
  assert.deepEqual(Object.keys(out), ['solutions', 'hashes', 'seconds']);
  assert.equal(out.hashes, 64);
  assert.ok(typeof out.seconds === 'number' && out.seconds >= 0);
  const want = expected(start, 64);
  assert.ok(want.length > 0);
  assert.deepEqual(out.solutions, want);
  const decimal = JSON.parse((await cli(...args, '--start', start.toString())).stdout) as typeof out;
  assert.deepEqual(decimal.solutions, want, '--start in decimal');
});

test('bench --backend wasm --json reports hash rate, DAG build rate, light hash time and machine', async () => {
  const { stdout } = await cli('bench', '--backend', 'wasm', '--dag', 'small', '--threads', '2', '--seconds', '1', '--json');
  const out = JSON.parse(stdout);
  assert.equal(out.backend, 'wasm');
  assert.equal(out.threads, 2);
  assert.ok(out.hashrate > 0);
  assert.ok(out.dagBuild.itemsPerSecond > 0 && out.dagBuild.seconds > 0);
  assert.ok(out.lightHashMs > 0);
  assert.ok(out.machine.cores >= 1 && typeof out.machine.cpu === 'string');
  assert.equal(out.engine, 'generated');
  const bound = out.computeBound;
  assert.equal(bound.threads, 2);
  assert.ok(bound.hashesPerSecond > 0 && bound.nsPerHash > 0);
  assert.ok(Math.abs(bound.fraction - out.hashrate / bound.hashesPerSecond) < 0.01, JSON.stringify(bound));
  assert.equal(bound.counts.cacheReads, 12 * 64 * 16);
  assert.equal(bound.counts.math.reduce((a: number, b: number) => a + b, 0), 20 * 64 * 16);
});

test('bench --engine interpreter measures the interpreter', async () => {
  const { stdout } = await cli('bench', '--backend', 'wasm', '--dag', 'small', '--threads', '1', '--seconds', '0.5', '--engine', 'interpreter', '--json');
  const out = JSON.parse(stdout);
  assert.equal(out.engine, 'interpreter');
  assert.ok(out.hashrate > 0);
});

test('malformed search arguments exit non-zero with one line naming them', async () => {
  const base = ['search', '--block', '1', '--header', header, '--start', '0', '--count', '1', '--dag', 'small'];
  for (const [args, pattern] of [
    [[...base, '--target', '0x1234'], /target/],
    [[...base, '--target', targetHex, '--backend', 'gpu'], /backend/],
    [[...base.slice(0, 6), '--start', '0x1' + '0'.repeat(16), '--count', '1', '--target', targetHex], /64 bits|start|value/],
  ] as [string[], RegExp][]) {
    const err = await cli(...args).then(() => undefined, (e: { code: number; stderr: string }) => e);
    assert.ok(err, `${args.join(' ')} should fail`);
    assert.notEqual(err.code, 0);
    assert.equal(err.stderr.trim().split('\n').length, 1, err.stderr);
    assert.match(err.stderr, pattern);
  }
});
