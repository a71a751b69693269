// The browser miner in Debian's chromium (Dawn over SwiftShader) and firefox-esr (wgpu over
// lavapipe), headless, the same suite once per engine: every kernel variant the miner renders
// compiles there with no error or warning; the page's WebGPU search equals the CLI's WASM search
// over a nonce range, from a DAG texture and from DAG buffers split by a small binding limit; the
// Benchmark mode measures both backends and prints the CLI's bench JSON; the Mine mode mines on
// the devnet (served by its --web, over its WebSocket) until a block is confirmed by its votes
// and credited, keeps that ledger across a reload, stops at once, mines on WebGPU with shares
// the pool accepts, and pauses in a background tab; the saved ledger is drawn from IndexedDB
// before anything else loads, each pool apart; a browser without WebGPU, and a DAG the
// adapter cannot hold, are said so and run on WASM. One devnet and one page server serve both
// engines. Screenshots of both modes land in testOutputDir(). Kernels compile slowly on
// software adapters: fixed launches and the small DAG.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Devnet } from '../src/devnet/index.js';
import { startDevnetWithPage } from '../src/cli/devnet-page.js';
import { silentLogger } from '../src/util/log.js';
import { startWebServer, type WebServer } from '../src/web/serve/server.js';
import { attribute, control, engineSkip, ENGINES, fill, launchBrowser, reportedBrowser, testOutputDir, text, type Browser, type Engine } from './support/browser.js';
import { bin } from './support/cli-process.js';
import { rpc } from './support/devnet.js';
import { assertCompiledClean, compileKernels, kernelVariants } from './support/kernel-variants.js';

/** One fixed launch (no tuning: every compile on a software adapter takes seconds). */
const LAUNCH = { workgroupSize: 64, groups: 4, batch: 1024 };
const anyEngine = ENGINES.some((engine) => !engineSkip(engine));

let server: WebServer;
let devnet: Devnet;

before(async () => {
  if (!anyEngine) return;
  server = await startWebServer({ config: () => ({ pools: [], servedBy: 'web' }) });
  devnet = await startDevnetWithPage({
    dag: 'small', initialDifficulty: 20_000n, shareDifficulty: 1000n, blockTimeSeconds: 3, voterOnlineProbability: 1, voteLatencyMs: [20, 200],
    stratumTlsPort: null, webPort: 0, logger: silentLogger,
  });
});

after(async () => {
  await server?.close();
  await devnet?.close();
});

/** A nonce range with solutions at 1/64 odds, and what the CLI's WASM search finds in it. */
const RANGE = {
  block: 940_420, header: '0x7b0c1b3f7e0f4c2a9d8e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c', target: `0x04${'0'.repeat(62)}`, start: '0x3c5e9a1d27', count: 2048,
};
let cliSearch: { solutions: unknown[]; hashes: number } | undefined;

function wasmSearchByCli(): { solutions: unknown[]; hashes: number } {
  if (cliSearch) return cliSearch;
  const cli = spawnSync(process.execPath, [
    bin, 'search', '--block', String(RANGE.block), '--header', RANGE.header, '--target', RANGE.target, '--start', RANGE.start,
    '--count', String(RANGE.count), '--dag', 'small', '--backend', 'wasm', '--json',
  ], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  cliSearch = JSON.parse(cli.stdout) as { solutions: unknown[]; hashes: number };
  assert.ok(cliSearch.solutions.length >= 10, `the range should hold solutions at 1/64 odds, got ${cliSearch.solutions.length}`);
  return cliSearch;
}

/** Accepted shares, from the Shares tile ("accepted · stale · rejected"). */
async function shareCounts(page: Page): Promise<number[]> {
  return (await text(page, '#mine-shares')).split(' · ').map(Number);
}

/** Waits until at least `count` shares are accepted. */
function acceptedAtLeast(page: Page, count: number, timeout: number): Promise<unknown> {
  return page.waitForFunction((n) => Number(document.querySelector('#mine-shares')!.textContent!.split(' · ')[0]) >= n, { timeout }, count);
}

/** Ledger journal records as IndexedDB holds them: blocks of two pools (no node says their chain), and one from before pools were recorded. */
const SAVED_LEDGER = [
  { t: 'pending', height: 940500, nonce: '0x00000000000000a1', headerHash: `0x${'11'.repeat(32)}`, mixDigest: `0x${'22'.repeat(32)}`, expectedCredit: '45000000000000000000', votesNeeded: 3, at: 10, pool: 'stratum1+ws://alice.rig@127.0.0.1:8010', profile: 'seed' },
  { t: 'confirmed', height: 940500, nonce: '0x00000000000000a1', credit: '45000000000000000000', at: 11 },
  { t: 'pending', height: 940501, nonce: '0x00000000000000a2', headerHash: `0x${'11'.repeat(32)}`, mixDigest: `0x${'22'.repeat(32)}`, expectedCredit: '45000000000000000000', votesNeeded: 3, at: 12, pool: 'stratum1+ws://alice.rig@127.0.0.1:8010', profile: 'seed' },
  { t: 'pending', height: 940600, nonce: '0x00000000000000b1', headerHash: `0x${'33'.repeat(32)}`, mixDigest: `0x${'44'.repeat(32)}`, expectedCredit: '3000000000000000000', votesNeeded: 2, at: 13, pool: 'stratum1+wss://bob.rig@pool.example:8443', profile: 'mainnet' },
  { t: 'confirmed', height: 940600, nonce: '0x00000000000000b1', credit: '3000000000000000000', at: 14 },
  { t: 'pending', height: 940450, nonce: '0x00000000000000c1', headerHash: `0x${'55'.repeat(32)}`, mixDigest: `0x${'66'.repeat(32)}`, expectedCredit: '45000000000000000000', votesNeeded: 3, at: 1 },
  { t: 'confirmed', height: 940450, nonce: '0x00000000000000c1', credit: '45000000000000000000', at: 2 },
];

/** Makes the page believe it went to the background (or came back), as a tab switch does. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hide ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hide });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sets a fixed WebGPU launch in the Settings panel (remembered by the page's origin). */
async function useFixedLaunch(page: Page): Promise<void> {
  await page.click('.settings summary');
  await page.select('#set-launch', 'fixed');
  await page.select('#set-wg', String(LAUNCH.workgroupSize));
  await fill(page, '#set-groups', String(LAUNCH.groups));
  await fill(page, '#set-batch', String(LAUNCH.batch));
  await page.click('.settings summary');
}

/** Why each engine's software adapter cannot hold the 9.01 GiB DAG of epoch 1025. */
const OVERSIZED_DAG: Record<Engine, RegExp> = {
  chromium: /^the adapter's limits cannot hold this DAG: (the DAG \(9\.01 GiB\) needs 10 storage bindings|out of memory for the DAG \(9\.01 GiB texture)/,
  firefox: /^the adapter's limits cannot hold this DAG: out of memory for the DAG: 9\.01 GiB on a software adapter that keeps it in host memory \(4\.0 GiB RAM\)$/,
};

function pageSuite(engine: Engine): void {
  let browser: Browser;

  before(async () => {
    browser = await launchBrowser(engine);
  });

  after(async () => {
    await browser?.close();
  });

  /** Runs `check` in a fresh tab of the page, then fails on any uncaught error the page threw; closes the tab. */
  async function onPage(url: string, check: (page: Page) => Promise<void>, init?: () => void): Promise<void> {
    const page = await browser.driver.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push((error as Error).message));
    try {
      await page.setViewport({ width: 1200, height: 900 });
      if (init) await page.evaluateOnNewDocument(init);
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      await check(page);
      assert.deepEqual(errors, [], 'uncaught errors in the page');
    } finally {
      await page.close();
    }
  }

  test('every kernel variant the miner renders compiles with no error or warning', { timeout: 300_000 }, async () => {
    await onPage(server.url, async (page) => {
      const variants = kernelVariants();
      const results = await page.evaluate(compileKernels, variants);
      const features = await page.evaluate(() => (globalThis as any).seroMiner.environment.webgpu.adapter.features as string[]);
      assertCompiledClean(results, variants, features.includes('subgroups'));
    });
  });

  test("the page's WebGPU search returns exactly what the CLI's WASM search returns, from a texture and from split buffers", { timeout: 300_000 }, async () => {
    const expected = wasmSearchByCli();
    await onPage(server.url, async (page) => {
      const adapter = await page.evaluate(() => (globalThis as any).seroMiner.environment.webgpu.adapter as unknown);
      assert.ok(adapter, `no WebGPU adapter in ${engine}`);
      // a software adapter keeps the DAG in a texture; 4 MiB bindings split it over four buffers
      for (const storage of [{}, { dagStorage: 'buffers', maxBindingBytes: 4 * 2 ** 20 }]) {
        const got = await page.evaluate((request) => (globalThis as any).seroMiner.search(request), { ...RANGE, ...storage, backend: 'webgpu', dag: 'small', launch: LAUNCH });
        assert.match(got.device, /\(WebGPU\)$/);
        assert.equal(got.hashes, expected.hashes, JSON.stringify(storage));
        assert.deepEqual(got.solutions, expected.solutions, JSON.stringify(storage));
      }
    });
  });

  test('Benchmark: WebGPU and WASM side by side, with the JSON the CLI prints', { timeout: 300_000 }, async () => {
    const cli = spawnSync(process.execPath, [bin, 'bench', '--backend', 'wasm', '--dag', 'small', '--block', '12345', '--seconds', '1', '--threads', '1', '--json'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const cliReport = JSON.parse(cli.stdout) as Record<string, unknown>;

    await onPage(server.url, async (page) => {
      await useFixedLaunch(page);
      await fill(page, '#bench-block', '12345');
      await page.select('#bench-dag', 'small');
      await fill(page, '#bench-seconds', '2');
      await page.click('#bench-start');
      await page.waitForFunction(() => document.querySelector('#card-webgpu')!.getAttribute('data-state') === 'running');
      await page.waitForFunction(() => /^done/.test(document.querySelector('#bench-status')!.textContent ?? ''), { timeout: 240_000 });
      for (const card of ['#card-webgpu', '#card-wasm']) {
        assert.equal(await attribute(page, card, 'data-state'), 'done', await text(page, `${card} .state`));
        assert.match(await text(page, `${card} .rate`), /^\d[\d.]* k?H\/s$/);
      }
      const lines = (await text(page, '#bench-json')).split('\n').map((line) => JSON.parse(line) as Record<string, any>);
      assert.deepEqual(lines.map((r) => r.backend), ['webgpu', 'wasm']);
      const [gpu, wasm] = lines as [Record<string, any>, Record<string, any>];
      assert.deepEqual(Object.keys(wasm), Object.keys(cliReport), 'the WASM report has the CLI bench --json fields, in order');
      for (const report of lines) {
        assert.ok(report.hashrate > 0 && report.hashes > 0, JSON.stringify(report));
        assert.deepEqual([report.block, report.epoch, report.dag, report.dagBytes], [12345, 0, 'small', 16_773_376]);
        assert.match(report.machine.node, reportedBrowser(engine));
      }
      // A fixed launch on a software adapter runs the one-invocation-per-hash kernel, untuned.
      assert.deepEqual(gpu.launch, { exchange: 'none', workgroupSize: 64, threadsPerHash: 1, workgroups: 4, batch: 1024, tunedRate: 0, tuningSeconds: 0, reason: '', trials: [] });
      assert.equal(gpu.adapter.isFallbackAdapter, true);
      assert.equal(wasm.hashesPerCpuSecond, null, 'a page cannot measure CPU time');
      assert.equal(cliReport.engine, 'generated');
      assert.equal(wasm.engine, 'generated', "the page's workers run the period's generated module, as the CLI's do");
      await page.screenshot({ path: path.join(testOutputDir(), `web-benchmark-${engine}.png`), fullPage: true });
    });
  });

  test('Mine: the page mines on the devnet until a block is confirmed by its votes and credited; the ledger survives a reload; stop is at once', { timeout: 180_000 }, async () => {
    await onPage(devnet.endpoints.web!, async (page) => {
      assert.equal(await attribute(page, '#tab-mine', 'aria-selected'), 'true', 'a page served by the devnet opens on Mine');
      assert.equal((await control(page, '#mine-pools')).value, devnet.endpoints.stratumWs!.replace('://', '://devnet-miner.browser@'));
      assert.equal((await control(page, '#mine-dag')).value, 'small');
      await page.click('#mine-start');
      const confirmed = '#ledger-rows tr[data-status="confirmed"]';
      await page.waitForSelector(confirmed, { timeout: 120_000 });
      // one snapshot of the row: mining goes on, and a newer confirmed block may come first by the next read
      const row = await page.$eval(confirmed, (tr) => ({ ...(tr as HTMLElement).dataset }));
      assert.equal(row.votes, '3');
      assert.equal(row.credit, (45n * 10n ** 18n).toString(), '5/8 of R = 72 SERO');
      assert.match(await text(page, '#mine-device'), /WASM/, 'auto leaves a software WebGPU adapter alone, as the CLI does');
      const block = await rpc(devnet.endpoints.rpc, 'sero_getBlockByNumber', [`0x${Number(row.height).toString(16)}`, true]);
      assert.equal(block.nonce, row.nonce, 'the confirmed block is the one on the devnet chain');
      assert.equal(block.currentVotes.length, 3);
      await page.waitForFunction(() => /^[1-9]/.test(document.querySelector('#mine-credit')!.textContent!));
      await page.screenshot({ path: path.join(testOutputDir(), `web-mine-${engine}.png`), fullPage: true });

      const clicked = Date.now();
      await page.click('#mine-stop');
      await page.waitForFunction(() => document.querySelector('#mine-status')!.textContent === 'stopped', { timeout: 10_000 });
      assert.ok(Date.now() - clicked < 5000, `stopping took ${Date.now() - clicked} ms`);
      const shares = await text(page, '#mine-shares');
      await sleep(1500);
      assert.equal(await text(page, '#mine-shares'), shares, 'nothing is hashed or submitted after stop');
      assert.equal((await control(page, '#mine-start')).disabled, false);
      const ledgerRows = () => page.$$eval('#ledger-rows tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.nonce! + (tr as HTMLElement).dataset.status!));
      const rows = await ledgerRows();

      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForSelector(confirmed);
      assert.deepEqual(await ledgerRows(), rows, 'the ledger is the same after a reload');
      assert.match(await text(page, '#mine-credit'), /^[1-9]/, 'the credit of the pool the page mines on');
    });
  });

  test('Mine: the saved ledger is drawn from IndexedDB at once, before the proof-of-work module has loaded, each pool and the unknown chain apart', { timeout: 90_000 }, async () => {
    await onPage(server.url, async (page) => {
      await page.evaluate(async (records) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const opening = indexedDB.open('sero-miner-ledger', 1);
          opening.onupgradeneeded = () => opening.result.createObjectStore('records', { autoIncrement: true });
          opening.onsuccess = () => resolve(opening.result);
          opening.onerror = () => reject(opening.error);
        });
        const tx = db.transaction('records', 'readwrite');
        const store = tx.objectStore('records');
        store.clear();
        for (const record of records) store.add(record);
        await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = reject; });
        db.close();
      }, SAVED_LEDGER);
      // the proof-of-work module is held back until the test lets it through: the ledger must not wait for it
      await page.evaluateOnNewDocument(() => {
        const fetchFirst = globalThis.fetch.bind(globalThis);
        const held = new Promise<void>((resolve) => Object.assign(globalThis, { releaseWasm: resolve }));
        globalThis.fetch = async (input, init) => {
          if (String(input instanceof Request ? input.url : input).endsWith('/progpow.wasm')) await held;
          return fetchFirst(input, init);
        };
      });
      await page.reload({ waitUntil: 'domcontentloaded' });
      try {
        await page.waitForSelector('#ledger-rows tr[data-nonce]', { timeout: 10_000 });
        assert.notEqual(await attribute(page, 'body', 'data-ready'), 'true', 'drawn while the page is still loading');
        assert.deepEqual(await page.$$eval('#ledger-rows tr', (trs) => trs.map((tr) => `${(tr as HTMLElement).dataset.height} ${(tr as HTMLElement).dataset.status}`)),
          ['940600 confirmed', '940501 pending', '940500 confirmed', '940450 confirmed']);
        const chains = await page.$$eval('#ledger-chains li', (lis) => lis.map((li) => ({ chain: (li as HTMLElement).dataset.chain, credit: (li as HTMLElement).dataset.credit, text: li.textContent })));
        assert.deepEqual(chains.map((c) => [c.chain, c.credit]), [
          ['pool:stratum1+ws://127.0.0.1:8010', '45'],
          ['pool:stratum1+wss://pool.example:8443', '3'],
          ['unknown', '45'],
        ]);
        assert.match(chains[0]!.text!, /1 confirmed · 1 pending · 0 orphaned/);
        assert.match(chains[2]!.text!, /unknown chain/);
        assert.equal(await text(page, '#mine-credit'), '–', 'no pool chosen: no one chain\'s credit, and never their sum');
      } finally {
        await page.evaluate(() => (globalThis as unknown as { releaseWasm(): void }).releaseWasm());
      }
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      await page.evaluate(() => new Promise((resolve) => { const r = indexedDB.deleteDatabase('sero-miner-ledger'); r.onsuccess = r.onerror = r.onblocked = resolve; }));
    });
  });

  test('Mine on WebGPU: the pool accepts its shares, none rejected', { timeout: 180_000 }, async () => {
    await onPage(devnet.endpoints.web!, async (page) => {
      await useFixedLaunch(page);
      await page.select('#mine-backend', 'webgpu');
      await page.click('#mine-start');
      await acceptedAtLeast(page, 3, 120_000);
      assert.match(await text(page, '#mine-device'), /\(WebGPU\)/);
      await page.click('#mine-stop');
      await page.waitForFunction(() => document.querySelector('#mine-status')!.textContent === 'stopped', { timeout: 10_000 });
      const [accepted, , rejected] = await shareCounts(page);
      assert.ok(accepted! >= 3);
      assert.equal(rejected, 0, 'every share the GPU found passes the pool');
    });
  });

  test('Mine: no hashing in a background tab unless asked', { timeout: 120_000 }, async () => {
    // Headless browsers keep every tab visible (switching tabs or minimizing does not hide it),
    // so the page is told of the change the way the browser tells it: visibilityState and its event.
    await onPage(devnet.endpoints.web!, async (page) => {
      await page.select('#mine-backend', 'wasm');
      await page.click('#mine-start');
      await acceptedAtLeast(page, 3, 60_000);

      await setHidden(page, true);
      await page.waitForFunction(() => document.querySelector('#mine-status')!.textContent!.startsWith('paused'));
      await sleep(1000);
      const [paused] = await shareCounts(page);
      await sleep(2500);
      assert.equal((await shareCounts(page))[0], paused, 'no shares while the tab is in the background');
      assert.equal(await text(page, '#mine-hashrate'), 'paused');

      await setHidden(page, false);
      await acceptedAtLeast(page, paused! + 1, 30_000);

      await page.click('.settings summary');
      // the panel's controls are clickable once the details element has been laid out open
      await page.waitForSelector('#set-background', { visible: true, timeout: 10_000 });
      await page.click('#set-background');
      // the setting is in force before the tab goes to the background
      await page.waitForFunction(() => (document.querySelector('#set-background') as HTMLInputElement).checked, { timeout: 10_000 });
      await setHidden(page, true);
      const [hiddenAt] = await shareCounts(page);
      await acceptedAtLeast(page, hiddenAt! + 3, 30_000);
      assert.equal(await text(page, '#mine-status'), 'mining', 'asked to keep working in the background, it does');
      await setHidden(page, false);
      await page.click('#mine-stop');
      await page.waitForFunction(() => document.querySelector('#mine-status')!.textContent === 'stopped', { timeout: 10_000 });
    });
  });

  test('a browser without WebGPU is told so, and runs on WASM', { timeout: 60_000 }, async () => {
    const hideWebgpu = () => {
      Object.defineProperty(Navigator.prototype, 'gpu', { configurable: true, get: () => undefined });
    };
    await onPage(server.url, async (page) => {
      const hint = engine === 'firefox' ? ': Firefox on Linux turns it on with dom\\.webgpu\\.enabled in about:config' : '';
      assert.match(await text(page, '#notices'), new RegExp(`No WebGPU here: this browser has no WebGPU \\(navigator\\.gpu is missing\\)${hint}\\. Benchmarks and mining run on WASM`));
      assert.match(await text(page, '#env'), /no WebGPU/);
      assert.deepEqual(await control(page, '#bench-webgpu'), { value: 'on', checked: false, disabled: true });
      assert.equal(await attribute(page, '#card-webgpu', 'data-state'), 'unavailable');
      assert.equal(await page.$eval('#mine-backend option[value="webgpu"]', (option) => (option as HTMLOptionElement).disabled), true);
    }, hideWebgpu);
  });

  test("a DAG beyond the adapter's limits is said so and measured on WASM; stop ends its build at once", { timeout: 120_000 }, async () => {
    await onPage(server.url, async (page) => {
      await page.click('#bench-wasm');
      // epoch 1025: 9.01 GiB, one binding more than SwiftShader's 9 of 1 GiB beside the output;
      // as a texture (a software adapter's default DAG storage) chromium refuses its allocation,
      // and Firefox, which tells no memory size, is taken to have 4 GiB (os.ts in the page)
      await fill(page, '#bench-block', '30750000');
      await page.select('#bench-dag', 'full');
      await page.click('#bench-start');
      await page.waitForFunction(() => document.querySelector('#card-wasm')!.getAttribute('data-state') === 'running', { timeout: 60_000 });
      assert.match(await text(page, '#card-webgpu .state'), OVERSIZED_DAG[engine]);
      assert.match(await text(page, '#notices'), /WebGPU could not run this benchmark .*: measuring WASM instead\./);
      assert.match(await text(page, '#card-wasm .state'), /building the 9\.01 GiB DAG of epoch 1025/);
      const clicked = Date.now();
      await page.click('#bench-stop');
      assert.equal(await text(page, '#card-wasm .state'), 'stopped');
      await page.waitForFunction(() => !(document.querySelector('#bench-start') as HTMLButtonElement).disabled, { timeout: 10_000 });
      assert.ok(Date.now() - clicked < 4000, `stopping took ${Date.now() - clicked} ms`);
      assert.equal(await text(page, '#bench-status'), 'stopped');
    });
  });
}

for (const engine of ENGINES) describe(engine, { skip: engineSkip(engine) }, () => pageSuite(engine));
