// The subgroup-width matrix: webgpu-subgroup-widths.test.ts run again in a process of its own
// for each lavapipe vector width other than the default (LP_NATIVE_VECTOR_WIDTH is read when
// Mesa loads, so one process sees one width): subgroups of 4, 16 and, as lavapipe reports
// them, 32 and 64. The default width (8 lanes) is the suite's own run of that file. Each width
// compiles into a shader cache of its own, so nothing it leaves there reaches another process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasWebgpuAdapter, openGpu } from '../src/backends/webgpu/index.js';
import { LAVAPIPE_MAX_TEXTURE_VECTOR_BITS, TEXTURE_TESTS_PER_WIDTH } from './support/lavapipe.js';

const available = await hasWebgpuAdapter();
const skip = available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)';
const WIDTHS = [128, 512, 1024, 2048];
const widthsTest = fileURLToPath(new URL('./webgpu-subgroup-widths.test.js', import.meta.url));
/** Tests in that file: the adapter, the subgroup probe, three kernels from a texture and from buffers. */
const TESTS_PER_WIDTH = 8;

async function isLavapipe(): Promise<boolean> {
  const ctx = await openGpu();
  try {
    return /llvmpipe/.test(`${ctx.summary.device} ${ctx.summary.description}`);
  } finally {
    ctx.close();
  }
}

const lavapipe = skip ? false : available && (await isLavapipe());
const notLavapipe = skip || (available && !lavapipe ? 'LP_NATIVE_VECTOR_WIDTH only changes lavapipe' : false);

interface ChildRun {
  readonly code: number;
  readonly output: string;
}

function runAtWidth(width: number): Promise<ChildRun> {
  // Without the runner's own context variable, the child reports as a test run of its own (TAP).
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const shaderCache = mkdtempSync(path.join(tmpdir(), `sero-shader-cache-${width}-`));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--test', '--test-concurrency=1', '--test-reporter=tap', widthsTest],
      { env: { ...env, LP_NATIVE_VECTOR_WIDTH: String(width), MESA_SHADER_CACHE_DIR: shaderCache }, maxBuffer: 16 * 2 ** 20, timeout: 300_000 },
      (error, stdout, stderr) => {
        rmSync(shaderCache, { recursive: true, force: true });
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

const count = (output: string, what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(output)?.[1] ?? NaN);

test('a WebGPU adapter is present', { skip }, () => {
  assert.ok(available, 'no WebGPU adapter found while CI=true');
});

for (const width of WIDTHS) {
  test(`every kernel equals WASM at LP_NATIVE_VECTOR_WIDTH=${width} (subgroups of ${width / 32} as reported)`, { skip: notLavapipe, timeout: 300_000 }, async (t) => {
    const run = await runAtWidth(width);
    const failures = run.output.split('\n').filter((line) => /^not ok|^# width|error:/.test(line.trim()));
    for (const line of run.output.split('\n').filter((l) => l.startsWith(`# width ${width}:`))) t.diagnostic(line.slice(2));
    assert.equal(run.code, 0, `width ${width} failed:\n${failures.join('\n')}`);
    assert.equal(count(run.output, 'fail'), 0);
    const skipped = width > LAVAPIPE_MAX_TEXTURE_VECTOR_BITS ? TEXTURE_TESTS_PER_WIDTH : 0;
    assert.equal(count(run.output, 'pass'), TESTS_PER_WIDTH - skipped, 'every test of the file ran and passed at this width');
    assert.equal(count(run.output, 'skipped'), skipped, 'only the texture kernels lavapipe cannot compile at this width are left out');
    assert.match(run.output, new RegExp(`^# width ${width}: reported ${width / 32}\\.\\.${width / 32}, builtin ${width / 32}, real ${Math.min(16, width / 32)}`, 'm'));
  });
}
