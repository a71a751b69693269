// Share and block verification in light mode, in the order the node checks (mix digest, then target).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { powVectors, hex } from './support/vectors.js';
import { dagSpec } from '../src/pow/epoch.js';
import { WasmLightHasher } from '../src/backends/wasm/index.js';

const p = powVectors().progpow.find((x) => x.id === 'pp-pub-01')!;
const hasher = new WasmLightHasher(dagSpec(p.epoch));
const header = hex(p.header_hash);
const nonce = BigInt('0x' + p.nonce);
const mix = hex(p.mix_digest);
const final = BigInt('0x' + p.final_hash);

test('a solution at or below the target is valid', () => {
  const v = hasher.verify(header, nonce, p.block_number, mix, final);
  assert.equal(v.valid, true);
  assert.equal(Buffer.from(v.finalHash).toString('hex'), p.final_hash);
});

test('a final hash one above the target is rejected for the target', () => {
  const v = hasher.verify(header, nonce, p.block_number, mix, final - 1n);
  assert.deepEqual([v.valid, !v.valid && v.reason], [false, 'target']);
});

test('a wrong mix digest is rejected even when the target is met', () => {
  const wrong = mix.slice();
  wrong[31] = wrong[31]! ^ 1;
  const v = hasher.verify(header, nonce, p.block_number, wrong, (1n << 256n) - 1n);
  assert.deepEqual([v.valid, !v.valid && v.reason], [false, 'mix digest']);
});

test('a block of another epoch is refused', () => {
  assert.throws(() => hasher.hash(header, nonce, 30_000 * (p.epoch + 1)), /epoch/);
});
