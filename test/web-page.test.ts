// The browser miner in Debian's chromium (headless, SwiftShader WebGPU): its WebGPU search
// equals the CLI's WASM search over a nonce range; the Benchmark mode measures both backends
// and prints the CLI's bench JSON; the Mine mode mines on the devnet (served by its --web)
// until a block is confirmed by its votes and credited, keeps that ledger across a reload,
// stops at once and pauses in a background tab; a browser without WebGPU, and a DAG the
// adapter cannot hold, are said so and run on WASM. Screenshots of both modes land in
// testOutputDir(). Kernels compile slowly on SwiftShader: fixed launches and the small DAG.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Devnet } from '../src/devnet/index.js';
import { startDevnetWithPage } from '../src/cli/devnet-page.js';
import { silentLogger } from '../src/util/log.js';
import { startWebServer, type WebServer } from '../src/web/serve/server.js';
import { CHROMIUM_PATH, launchBrowser, testOutputDir, type Browser } from './support/browser.js';
import { bin } from './support/cli-process.js';
import { rpc } from './support/devnet.js';

const inCi = process.env.CI === 'true';
const skip = existsSync(CHROMIUM_PATH) || inCi ? false : `no chromium at ${CHROMIUM_PATH}`;

/** One fixed launch (no tuning: every SwiftShader compile takes seconds). */
const LAUNCH = { workgroupSize: 64, groups: 4, batch: 1024 };

let browser: Browser;
let server: WebServer;
let devnet: Devnet;

before(async () => {
  if (skip) return;
  browser = await launchBrowser();
  server = await startWebServer({ config: () => ({ pools: [], servedBy: 'web' }) });
  devnet = await startDevnetWithPage({
    dag: 'small', initialDifficulty: 20_000n, shareDifficulty: 1000n, blockTimeSeconds: 3, voterOnlineProbability: 1, voteLatencyMs: [20, 200],
    stratumTlsPort: null, webPort: 0, logger: silentLogger,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await devnet?.close();
});

/** A fresh tab on the page, failing the test on any uncaught page error. */
async function openPage(url: string, init?: () => void): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1200, height: 900 });
  if (init) await page.addInitScript(init);
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

test("the page's WebGPU search returns exactly what the CLI's WASM search returns", { skip, timeout: 300_000 }, async () => {
  const range = {
    block: 940_420, header: '0x7b0c1b3f7e0f4c2a9d8e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c', target: `0x04${'0'.repeat(62)}`, start: '0x3c5e9a1d27', count: 2048,
  };
  const cli = spawnSync(process.execPath, [
    bin, 'search', '--block', String(range.block), '--header', range.header, '--target', range.target, '--start', range.start,
    '--count', String(range.count), '--dag', 'small', '--backend', 'wasm', '--json',
  ], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout) as { solutions: unknown[]; hashes: number };
  assert.ok(expected.solutions.length >= 10, `the range should hold solutions at 1/64 odds, got ${expected.solutions.length}`);

  const { page, errors } = await openPage(server.url);
  try {
    const adapter = await page.evaluate(() => (globalThis as any).seroMiner.environment.webgpu.name as string | undefined);
    assert.ok(adapter, 'no WebGPU adapter in chromium');
    const got = await page.evaluate((request) => (globalThis as any).seroMiner.search(request), { ...range, backend: 'webgpu', dag: 'small', launch: LAUNCH });
    assert.match(got.device, /\(WebGPU\)$/);
    assert.equal(got.hashes, expected.hashes);
    assert.deepEqual(got.solutions, expected.solutions);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('Benchmark: WebGPU and WASM side by side, with the JSON the CLI prints', { skip, timeout: 300_000 }, async () => {
  const cli = spawnSync(process.execPath, [bin, 'bench', '--backend', 'wasm', '--dag', 'small', '--block', '12345', '--seconds', '1', '--threads', '1', '--json'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const cliReport = JSON.parse(cli.stdout) as Record<string, unknown>;

  const { page, errors } = await openPage(server.url);
  try {
    await page.click('.settings summary');
    await page.selectOption('#set-launch', 'fixed');
    await page.selectOption('#set-wg', String(LAUNCH.workgroupSize));
    await page.fill('#set-groups', String(LAUNCH.groups));
    await page.fill('#set-batch', String(LAUNCH.batch));
    await page.click('.settings summary');
    await page.fill('#bench-block', '12345');
    await page.selectOption('#bench-dag', 'small');
    await page.fill('#bench-seconds', '2');
    await page.click('#bench-start');
    await page.waitForFunction(() => document.querySelector('#card-webgpu')!.getAttribute('data-state') === 'running');
    await page.waitForFunction(() => /^done/.test(document.querySelector('#bench-status')!.textContent ?? ''), null, { timeout: 240_000 });
    for (const card of ['#card-webgpu', '#card-wasm']) {
      assert.equal(await page.getAttribute(card, 'data-state'), 'done', await text(page, `${card} .state`));
      assert.match(await text(page, `${card} .rate`), /^\d[\d.]* k?H\/s$/);
    }
    const lines = (await text(page, '#bench-json')).split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    assert.deepEqual(lines.map((r) => r.backend), ['webgpu', 'wasm']);
    const [gpu, wasm] = lines as [Record<string, any>, Record<string, any>];
    assert.deepEqual(Object.keys(wasm), Object.keys(cliReport), 'the WASM report has the CLI bench --json fields, in order');
    for (const report of lines) {
      assert.ok(report.hashrate > 0 && report.hashes > 0, JSON.stringify(report));
      assert.deepEqual([report.block, report.epoch, report.dag, report.dagBytes], [12345, 0, 'small', 16_773_376]);
      assert.match(report.machine.node, /^Chrome \d+$/);
    }
    // A fixed launch on a software adapter runs the one-invocation-per-hash kernel, untuned.
    assert.deepEqual(gpu.launch, { exchange: 'none', workgroupSize: 64, threadsPerHash: 1, workgroups: 4, batch: 1024, tunedRate: 0, tuningSeconds: 0, reason: '', trials: [] });
    assert.equal(gpu.adapter.isFallbackAdapter, true);
    assert.equal(wasm.hashesPerCpuSecond, null, 'a page cannot measure CPU time');
    await page.screenshot({ path: path.join(testOutputDir(), 'web-benchmark.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('Mine: the page mines on the devnet until a block is confirmed by its votes and credited; the ledger survives a reload; stop is at once', { skip, timeout: 180_000 }, async () => {
  const { page, errors } = await openPage(devnet.endpoints.web!);
  try {
    assert.equal(await page.getAttribute('#tab-mine', 'aria-selected'), 'true', 'a page served by the devnet opens on Mine');
    assert.equal(await page.inputValue('#mine-pools'), devnet.endpoints.stratumWs!.replace('://', '://devnet-miner.browser@'));
    assert.equal(await page.inputValue('#mine-dag'), 'small');
    await page.click('#mine-start');
    const confirmed = page.locator('#ledger-rows tr[data-status="confirmed"]').first();
    await confirmed.waitFor({ timeout: 120_000 });
    assert.equal(await confirmed.getAttribute('data-votes'), '3');
    assert.equal(await confirmed.getAttribute('data-credit'), (45n * 10n ** 18n).toString(), '5/8 of R = 72 SERO');
    assert.match(await text(page, '#mine-device'), /WASM/, 'auto leaves a software WebGPU adapter alone, as the CLI does');
    const height = Number(await confirmed.getAttribute('data-height'));
    const block = await rpc(devnet.endpoints.rpc, 'sero_getBlockByNumber', [`0x${height.toString(16)}`, true]);
    assert.equal(block.nonce, await confirmed.getAttribute('data-nonce'), 'the confirmed block is the one on the devnet chain');
    assert.equal(block.currentVotes.length, 3);
    await page.waitForFunction(() => document.querySelector('#mine-credit')!.textContent !== '0');
    await page.screenshot({ path: path.join(testOutputDir(), 'web-mine.png'), fullPage: true });

    const clicked = Date.now();
    await page.click('#mine-stop');
    await page.waitForFunction(() => document.querySelector('#mine-status')!.textContent === 'stopped', null, { timeout: 10_000 });
    assert.ok(Date.now() - clicked < 5000, `stopping took ${Date.now() - clicked} ms`);
    const shares = await text(page, '#mine-shares');
    await page.waitForTimeout(1500);
    assert.equal(await text(page, '#mine-shares'), shares, 'nothing is hashed or submitted after stop');
    assert.equal(await page.isDisabled('#mine-start'), false);
    const rows = await page.locator('#ledger-rows tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.nonce + (tr as HTMLElement).dataset.status!));

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#ledger-rows tr[data-status="confirmed"]');
    assert.deepEqual(await page.locator('#ledger-rows tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.nonce + (tr as HTMLElement).dataset.status!)), rows, 'the ledger is the same after a reload');
    assert.notEqual(await text(page, '#mine-credit'), '0');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

/** Makes the page believe it went to the background (or came back), as a tab switch does. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hide ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hide });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** Accepted shares, from the Shares tile. */
async function accepted(page: Page): Promise<number> {
  return Number((await text(page, '#mine-shares')).split(' · ')[0]);
}

test('Mine: no hashing in a background tab unless asked', { skip, timeout: 120_000 }, async () => {
  // Headless chromium keeps every tab visible (switching tabs or minimizing does not hide it),
  // so the page is told of the change the way the browser tells it: visibilityState and its event.
  const { page, errors } = await openPage(devnet.endpoints.web!);
  try {
    await page.selectOption('#mine-backend', 'wasm');
    await page.click('#mine-start');
    await page.waitForFunction(() => Number(document.querySelector('#mine-shares')!.textContent!.split(' · ')[0]) >= 3, null, { timeout: 60_000 });

    await setHidden(page, true);
    await page.waitForFunction(() => document.querySelector('#mine-status')!.textContent!.startsWith('paused'));
    await page.waitForTimeout(1000);
    const paused = await accepted(page);
    await page.waitForTimeout(2500);
    assert.equal(await accepted(page), paused, 'no shares while the tab is in the background');
    assert.equal(await text(page, '#mine-hashrate'), 'paused');

    await setHidden(page, false);
    await page.waitForFunction((before) => Number(document.querySelector('#mine-shares')!.textContent!.split(' · ')[0]) > before, paused, { timeout: 30_000 });

    await page.click('.settings summary');
    await page.check('#set-background');
    await setHidden(page, true);
    const hiddenAt = await accepted(page);
    await page.waitForFunction((before) => Number(document.querySelector('#mine-shares')!.textContent!.split(' · ')[0]) > before + 2, hiddenAt, { timeout: 30_000 });
    assert.equal(await text(page, '#mine-status'), 'mining', 'asked to keep working in the background, it does');
    await setHidden(page, false);
    await page.click('#mine-stop');
    await page.waitForFunction(() => document.querySelector('#mine-status')!.textContent === 'stopped', null, { timeout: 10_000 });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a browser without WebGPU is told so, and runs on WASM', { skip, timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(server.url, () => {
    Object.defineProperty(Navigator.prototype, 'gpu', { configurable: true, get: () => undefined });
  });
  try {
    assert.match(await text(page, '#notices'), /No WebGPU here: this browser has no WebGPU \(navigator\.gpu is missing\)\. Benchmarks and mining run on WASM/);
    assert.match(await text(page, '#env'), /no WebGPU/);
    assert.equal(await page.isChecked('#bench-webgpu'), false);
    assert.equal(await page.isDisabled('#bench-webgpu'), true);
    assert.equal(await page.getAttribute('#card-webgpu', 'data-state'), 'unavailable');
    assert.equal(await page.locator('#mine-backend option[value="webgpu"]').isDisabled(), true);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("a DAG beyond the adapter's limits is said so and measured on WASM; stop ends its build at once", { skip, timeout: 120_000 }, async () => {
  const { page, errors } = await openPage(server.url);
  try {
    await page.uncheck('#bench-wasm');
    // epoch 1025: 9.01 GiB, one binding more than SwiftShader's 9 of 1 GiB beside the output;
    // as a texture (a software adapter's default DAG storage) its allocation is refused
    await page.fill('#bench-block', '30750000');
    await page.selectOption('#bench-dag', 'full');
    await page.click('#bench-start');
    await page.waitForFunction(() => document.querySelector('#card-wasm')!.getAttribute('data-state') === 'running', null, { timeout: 60_000 });
    assert.match(await text(page, '#card-webgpu .state'), /^the adapter's limits cannot hold this DAG: (the DAG \(9\.01 GiB\) needs 10 storage bindings|out of memory for the DAG \(9\.01 GiB texture)/);
    assert.match(await text(page, '#notices'), /WebGPU could not run this benchmark .*: measuring WASM instead\./);
    assert.match(await text(page, '#card-wasm .state'), /building the 9\.01 GiB DAG of epoch 1025/);
    const clicked = Date.now();
    await page.click('#bench-stop');
    assert.equal(await text(page, '#card-wasm .state'), 'stopped');
    await page.waitForFunction(() => !(document.querySelector('#bench-start') as HTMLButtonElement).disabled, null, { timeout: 10_000 });
    assert.ok(Date.now() - clicked < 4000, `stopping took ${Date.now() - clicked} ms`);
    assert.equal(await text(page, '#bench-status'), 'stopped');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
