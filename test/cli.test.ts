// The command-line contracts, run as a user runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { powVectors, repoRoot } from './support/vectors.js';
import { dagSpecForBlock } from '../src/pow/epoch.js';
import { makeLightCache } from '../src/pow/ethash.js';
import { lightDag, progpowHash } from '../src/pow/progpow.js';
import { bytesTo0x } from '../src/util/hex.js';

const run = promisify(execFile);
const bin = path.join(repoRoot, 'bin/sero-miner.js');
const cli = (...args: string[]) => run(process.execPath, [bin, ...args]);

test('epoch --json prints the exact epoch row', async () => {
  for (const row of powVectors().epochs.filter((e) => [0, 385, 2048].includes(e.epoch))) {
    const { stdout } = await cli('epoch', '--block', String(row.first_block + 12345), '--json');
    assert.equal(stdout.trim(), JSON.stringify({ epoch: row.epoch, seedHash: '0x' + row.seed_hash, cacheSize: row.cache_size, datasetSize: row.dataset_size }));
  }
});

test('hash --json equals the reference vector (full epoch sizes), on WASM and the TypeScript reference', async () => {
  const p = powVectors().progpow.find((x) => x.id === 'pp-sero-00')!;
  for (const backend of ['wasm', 'reference']) {
    const { stdout } = await cli('hash', '--block', String(p.block_number), '--header', '0x' + p.header_hash, '--nonce', '0x' + p.nonce, '--backend', backend, '--json');
    assert.equal(stdout.trim(), JSON.stringify({ mixDigest: '0x' + p.mix_digest, finalHash: '0x' + p.final_hash }), backend);
  }
});

test('hash --dag small equals the library on a computed input', async () => {
  const block = 1_234_567, nonce = 0x0123456789abcdefn, header = '0x' + 'c3'.repeat(32);
  const spec = dagSpecForBlock(block, 'small');
  const r = progpowHash(Buffer.from(header.slice(2), 'hex'), nonce, block, lightDag(makeLightCache(spec.cacheSize, spec.seedHash), spec.datasetSize));
  for (const backend of ['wasm', 'reference']) {
    const { stdout } = await cli('hash', '--block', '0x' + block.toString(16), '--header', header, '--nonce', '0x0123456789abcdef', '--dag', 'small', '--backend', backend, '--json');
    assert.deepEqual(JSON.parse(stdout), { mixDigest: bytesTo0x(r.mixDigest), finalHash: bytesTo0x(r.finalHash) }, backend);
  }
});

test('a malformed argument exits non-zero with one line naming it', async () => {
  const good = ['--block', '940410', '--header', '0x' + '00'.repeat(32), '--nonce', '0x' + '00'.repeat(8)];
  const cases: [string[], RegExp][] = [
    [['hash', ...good.slice(0, 3), '0x1234', ...good.slice(4)], /header/],
    [['hash', ...good.slice(0, 5), '0x00'], /nonce/],
    [['hash', '--block', '-5', ...good.slice(2)], /block/],
    [['hash', ...good, '--dag', 'medium'], /dag/],
    [['hash', ...good, '--backend', 'cuda'], /backend/],
    [['epoch', '--block', 'twelve', '--json'], /block/],
  ];
  for (const [args, name] of cases) {
    await assert.rejects(cli(...args), (err: { code: number; stderr: string }) => {
      assert.notEqual(err.code, 0);
      assert.equal(err.stderr.trim().split('\n').length, 1, err.stderr);
      assert.match(err.stderr, name);
      return true;
    });
  }
});
