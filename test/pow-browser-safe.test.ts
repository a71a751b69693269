// The PoW core and everything it imports stay free of Node-only APIs, so it can run in a browser.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const powDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/pow');
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
const BROWSER_PACKAGES = /^@noble\/hashes\//;
const NODE_ONLY_GLOBALS = /\b(?:Buffer\s*[.(]|process\.|require\()/;

/** Every module reachable from the given ones through relative imports, with the bare ones it names. */
function closure(entries: string[]): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (spec!.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec!));
      else packages.set(spec!, file);
    }
  }
  return { files, packages };
}

test('src/pow and what it imports use no node: modules, Buffer or process', () => {
  const entries = readdirSync(powDir).filter((name) => name.endsWith('.js')).map((name) => path.join(powDir, name));
  assert.ok(entries.length >= 10, `expected the compiled PoW modules in ${powDir}`);
  const { files, packages } = closure(entries);
  assert.ok([...files].some((file) => file.endsWith(`${path.sep}util${path.sep}hex.js`)), 'the closure follows imports out of src/pow');
  for (const [spec, file] of packages) assert.match(spec, BROWSER_PACKAGES, `${path.relative(powDir, file)} imports ${spec}`);
  for (const file of files) assert.doesNotMatch(readFileSync(file, 'utf8'), NODE_ONLY_GLOBALS, path.relative(powDir, file));
});
