// The PoW constants have one definition, in src/: the AssemblyScript build's generated copy
// matches it, and no kernel or AssemblyScript source writes one of them down by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './support/vectors.js';
import { ASSEMBLY_CONSTANTS_FILE, renderAssemblyConstants } from '../src/backends/wasm/assembly-constants.js';
import { renderPowConstants } from '../src/backends/webgpu/render-constants.js';

test('assembly/generated/constants.ts is what the TypeScript definitions render (else run npm run build:wasm)', () => {
  assert.equal(readFileSync(path.join(repoRoot, ASSEMBLY_CONSTANTS_FILE), 'utf8'), renderAssemblyConstants());
});

test('no WGSL kernel or AssemblyScript source defines a shared constant itself', () => {
  const names = new Set(
    [...renderAssemblyConstants().matchAll(/export const (\w+)/g), ...renderPowConstants().matchAll(/const (\w+)/g)].map((m) => m[1]!),
  );
  assert.ok(names.has('PROGPOW_LANES') && names.has('FNV_PRIME'));
  for (const dir of ['kernels', 'assembly']) {
    for (const file of readdirSync(path.join(repoRoot, dir)).filter((f) => /\.(wgsl|ts)$/.test(f))) {
      const text = readFileSync(path.join(repoRoot, dir, file), 'utf8');
      for (const m of text.matchAll(/\b(?:const|let|var|override)\s+(\w+)\s*[:=]/g)) {
        assert.ok(!names.has(m[1]!), `${dir}/${file} defines ${m[1]} (it is rendered from src/)`);
      }
    }
  }
});
