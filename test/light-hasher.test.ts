// The light evaluation picks WASM when build/progpow.wasm is built and the TypeScript reference
// when it is not: a copy of the compiled sources without the module must give the same caches
// and hashes as the built tree, and asking for WASM there must say how to build it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './support/vectors.js';
import { dagSpec } from '../src/pow/epoch.js';
import { makeLightCache } from '../src/pow/ethash.js';
import * as built from '../src/backends/light-hasher.js';
import { powModuleAvailable } from '../src/backends/wasm/module.js';

const copy = mkdtempSync(path.join(tmpdir(), 'sero-unbuilt-'));
after(() => rmSync(copy, { recursive: true, force: true }));

/** dist/src and node_modules beside a package.json, with no build/ folder. */
async function unbuiltTree(): Promise<typeof built> {
  cpSync(path.join(repoRoot, 'dist/src'), path.join(copy, 'dist/src'), { recursive: true });
  writeFileSync(path.join(copy, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'));
  return (await import(pathToFileURL(path.join(copy, 'dist/src/backends/light-hasher.js')).href)) as typeof built;
}

const spec = dagSpec(3, 'small');
const header = Uint8Array.from({ length: 32 }, (_, i) => i * 7);

test('without the WASM module: the reference cache and hashes, equal to the built tree', async () => {
  assert.ok(powModuleAvailable(), 'this tree is built');
  const unbuilt = await unbuiltTree();
  const cache = unbuilt.lightCacheFor(spec);
  assert.deepEqual(cache, makeLightCache(spec.cacheSize, spec.seedHash));
  assert.deepEqual(cache, built.lightCacheFor(spec));
  const reference = unbuilt.createLightHash(spec, cache);
  const wasm = built.createLightHash(spec, cache, 'wasm');
  for (const [block, nonce] of [[90_000, 0n], [90_049, 77n], [90_050, (1n << 64n) - 1n]] as const) {
    assert.deepEqual(reference(header, nonce, block), wasm(header, nonce, block), `block ${block} nonce ${nonce}`);
  }
  assert.throws(() => unbuilt.createLightHash(spec, cache, 'wasm'), /npm run build:wasm/);
});
