#!/usr/bin/env node
// Compiles the AssemblyScript proof-of-work module (assembly/) to build/progpow.wasm, after
// writing the constants it shares with TypeScript (assembly/generated/constants.ts) from their
// one definition in src/ as compiled to dist/ (so `npm run build:ts` comes first).
// Shared imported memory lets worker threads run on one copy of the cache and DAG;
// SIMD carries the 16 ProgPoW lanes. See docs in spec platform.md section 4.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');

const constantsModule = join(root, 'dist', 'src', 'backends', 'wasm', 'assembly-constants.js');
if (!existsSync(constantsModule)) {
  console.error(`${constantsModule} is missing: run "npm run build:ts" before "npm run build:wasm"`);
  process.exit(1);
}
const { ASSEMBLY_CONSTANTS_FILE, renderAssemblyConstants } = await import(pathToFileURL(constantsModule).href);
const constantsFile = join(root, ASSEMBLY_CONSTANTS_FILE);
mkdirSync(dirname(constantsFile), { recursive: true });
writeFileSync(constantsFile, renderAssemblyConstants());

const args = [
  asc, 'assembly/index.ts',
  '-O3', '--runtime', 'stub', '--noAssert',
  '--enable', 'simd', '--enable', 'threads',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
  '-o', 'build/progpow.wasm',
];
if (process.argv.includes('--text')) args.push('-t', 'build/progpow.wat');

mkdirSync(join(root, 'build'), { recursive: true });
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
