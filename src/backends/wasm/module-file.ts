// Compiling the proof-of-work module in Node: build/progpow.wasm, found by walking up from
// here to the package root. The browser bundle puts a twin in this module's place that hands
// out the module the page fetched and compiled before starting (src/web/page/platform/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WASM_FILE = join('build', 'progpow.wasm');

function findWasmFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, WASM_FILE);
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${WASM_FILE} not found: run "npm run build:wasm"`);
    dir = parent;
  }
}

/** Compiles build/progpow.wasm (synchronously: it is about 10 KB); throws when it is not built. */
export function compilePowModule(): WebAssembly.Module {
  return new WebAssembly.Module(readFileSync(findWasmFile()));
}
