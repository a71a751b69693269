#!/usr/bin/env node
// Bundles the browser page into build/web/ with esbuild (src/web/serve/bundle.ts, as compiled to
// dist/ by "npm run build:ts"; build/progpow.wasm from "npm run build:wasm" is copied beside it).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundler = join(root, 'dist', 'src', 'web', 'serve', 'bundle.js');
if (!existsSync(bundler)) {
  console.error(`${bundler} is missing: run "npm run build:ts" before "npm run build:web"`);
  process.exit(1);
}
const { bundlePage } = await import(pathToFileURL(bundler).href);
const started = performance.now();
const { files } = await bundlePage({ root });
console.log(`page bundled in ${Math.round(performance.now() - started)} ms: build/web/{${files.join(',')}}`);
