// The DAG file cache: a saved DAG is reused, and a corrupt, truncated or foreign file is
// detected and rebuilt rather than trusted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, readFileSync, writeFileSync, truncateSync, statSync } from 'node:fs';
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

test('an unwritable cache: the DAG is built in memory with one warning, and no temporary file is left', async () => {
  const blocked = mkdtempSync(join(tmpdir(), 'sero-dag-blocked-'));
  try {
    // The DAG file's own path is taken by a directory, so the final rename fails (root can write anywhere else).
    mkdirSync(dagFilePath(blocked, spec));
    const log: string[] = [];
    const backend = createWasmBackend({ threads: 2, dagDir: blocked, log: (level, line) => log.push(`${level} ${line}`) });
    try {
      await backend.prepare(spec);
      assert.equal(backend.lastBuild!.source, 'built');
      assert.ok(Buffer.from(backend.readDag(0, dagBytes)).equals(original));
      await backend.prepare(dagSpec(3, 'small'));
      await backend.prepare(spec);
    } finally {
      await backend.close();
    }
    const warnings = log.filter((line) => /cannot write the DAG cache/.test(line));
    assert.equal(warnings.length, 1, log.join('\n'));
    assert.match(warnings[0]!, /^warn .*mining from memory/);
    assert.deepEqual(readdirSync(blocked).filter((name) => name.endsWith('.tmp')), []);

    // A cache directory below a plain file cannot even be created: same outcome.
    const file = join(blocked, 'plain-file');
    writeFileSync(file, 'x');
    const under = await prepare({ dagDir: join(file, 'dag') }).catch((err: Error) => ({ source: `failed: ${err.message}`, log: [], dag: Buffer.alloc(0) }));
    assert.equal(under.source, 'built');
    assert.ok(under.dag.equals(original));
  } finally {
    rmSync(blocked, { recursive: true, force: true });
  }
});

test('a temporary file left by a killed writer is removed; one of a live process is kept', async () => {
  const stale = `${path}.999999999.tmp`;
  const live = `${path}.${process.pid}.tmp`;
  writeFileSync(stale, 'partial');
  writeFileSync(live, 'in progress');
  try {
    const { log } = await prepare();
    assert.match(log.join('\n'), /removed .*999999999\.tmp, left by an interrupted DAG write/);
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [`${dagFilePath(dir, spec).split('/').at(-1)}.${process.pid}.tmp`]);
  } finally {
    rmSync(live, { force: true });
  }
});
