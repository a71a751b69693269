// The DAG file cache: a saved DAG is reused, and a corrupt, truncated or foreign file is
// detected and rebuilt rather than trusted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dagSpec } from '../src/pow/epoch.js';
import { createWasmBackend, type WasmBackendOptions } from '../src/backends/wasm/index.js';
import { dagFilePath, loadDagFile, saveDagFile } from '../src/backends/wasm/dag-file.js';
import { createDagStore } from '../src/backends/wasm/dag-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sero-dag-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const spec = dagSpec(2, 'small');
const path = dagFilePath(dir, spec);
const dagBytes = spec.datasetSize - (spec.datasetSize % 64);

/** Prepares a fresh backend and returns how its DAG was obtained, what it logged and the DAG. */
async function prepare(options: WasmBackendOptions = {}): Promise<{ source: string; log: string[]; dag: Buffer }> {
  const log: string[] = [];
  const backend = createWasmBackend({ threads: 2, dagDir: dir, log: (_level, l) => log.push(l), ...options });
  try {
    await backend.prepare(spec);
    return { source: backend.lastBuild!.source, log, dag: Buffer.from(backend.readDag(0, dagBytes)) };
  } finally {
    await backend.close();
  }
}

let original: Buffer;

test('the first start builds and saves the DAG; the next one loads it', async () => {
  const first = await prepare();
  assert.equal(first.source, 'built');
  original = first.dag;
  assert.ok(statSync(path).size > dagBytes);
  const second = await prepare();
  assert.equal(second.source, 'file');
  assert.ok(second.dag.equals(original));
  const split = await prepare({ placement: 'split', wasmDagBytes: 5 << 20, outsideChunkShift: 20 });
  assert.equal(split.source, 'file');
  assert.ok(split.dag.equals(original));
});

test('a flipped bit in the DAG data is detected and the file rebuilt', async () => {
  const file = readFileSync(path);
  const at = file.length - 12345;
  file[at] = file[at]! ^ 0x10;
  writeFileSync(path, file);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(dagBytes / 65536), maximum: 65536, shared: true });
  assert.equal(await loadDagFile(path, spec, createDagStore(memory, 0, dagBytes, dagBytes)), 'corrupt');
  const rebuilt = await prepare();
  assert.equal(rebuilt.source, 'built');
  assert.match(rebuilt.log.join('\n'), /corrupt/);
  assert.ok(rebuilt.dag.equals(original));
  assert.equal((await prepare()).source, 'file', 'the rebuilt file is good again');
});

test('a truncated file is rebuilt', async () => {
  truncateSync(path, statSync(path).size - 4096);
  const rebuilt = await prepare();
  assert.equal(rebuilt.source, 'built');
  assert.ok(rebuilt.dag.equals(original));
});

test('a file whose header names another DAG is rebuilt', async () => {
  const file = readFileSync(path);
  file.writeUInt32LE(spec.epoch + 1, 16); // epoch field
  writeFileSync(path, file);
  assert.equal((await prepare()).source, 'built');
});

test('a file with consistent digests but wrong items fails the spot check', async () => {
  // A DAG of another epoch saved under this one's name, header and digests rewritten to match:
  // only comparing items with the light cache can notice.
  const other = dagSpec(3, 'small');
  const otherDir = mkdtempSync(join(tmpdir(), 'sero-dag-other-'));
  try {
    const backend = createWasmBackend({ threads: 2, dagDir: otherDir });
    await backend.prepare(other);
    const foreign = Buffer.from(backend.readDag(0, dagBytes));
    await backend.close();
    const memory = new WebAssembly.Memory({ initial: Math.ceil(dagBytes / 65536), maximum: 65536, shared: true });
    new Uint8Array(memory.buffer, 0, dagBytes).set(foreign);
    await saveDagFile(path, spec, createDagStore(memory, 0, dagBytes, dagBytes));
    const rebuilt = await prepare();
    assert.equal(rebuilt.source, 'built');
    assert.ok(rebuilt.dag.equals(original));
  } finally {
    rmSync(otherDir, { recursive: true, force: true });
  }
});
