// The dashboard in real browsers (Debian chromium and firefox-esr, headless, one after the
// other) while `sero-miner mine` runs as a user runs it against the embedded devnet: the page
// follows the rig live until it shows a confirmed block with 3/3 votes and its credit, reads
// well on a phone, and a page reached through a rebound host name gets nothing; and the page
// draws the rig the moment it loads, each chain of the ledger apart, before its live feed says
// anything. Screenshots go to the test output folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevnet } from '../src/devnet/index.js';
import { silentLogger } from '../src/util/log.js';
import { engineSkip, ENGINES, launchBrowser, testOutputDir, text, type Engine } from './support/browser.js';
import { freePort } from './support/api-client.js';
import { repoRoot } from './support/vectors.js';
import { startTestDevnet } from './support/devnet.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `sero-miner mine <args>` with its API on `port` (--no-login-check: the devnet takes any login); `stop` ends it and resolves with its exit code. */
function startMiner(args: string[], port: number) {
  const miner = spawn(process.execPath, [path.join(repoRoot, 'bin/sero-miner.js'), 'mine', ...args, '--no-login-check', '--api-port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  miner.stdout.on('data', (chunk) => (output += String(chunk)));
  miner.stderr.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => miner.once('exit', (code) => resolve(code)));
  return { output: () => output, stop: () => (miner.kill('SIGTERM'), exited) };
}

async function checkDashboard(engine: Engine, url: string, port: number, output: () => string): Promise<void> {
  const browser = await launchBrowser(engine, { loopbackNames: ['rebound.example'] });
  try {
    const { page } = browser;
    await page.setViewport({ width: 1280, height: 900 });
    for (let tries = 0; ; tries++) {
      try {
        await page.goto(url);
        break;
      } catch (err) {
        if (tries > 100) throw new Error(`the API never came up: ${(err as Error).message}\n${output()}`);
        await sleep(200);
      }
    }
    const confirmed = '#blocklist li[data-status=confirmed]';
    await page.waitForSelector(confirmed, { timeout: 90_000 });
    assert.equal(await text(page, `${confirmed} .count`), '3/3');
    assert.equal(await page.$eval(confirmed, (li) => li.querySelectorAll('.pip.on').length), 3);
    assert.equal(await text(page, `${confirmed} .credit`), '+45 SERO');
    assert.equal(await text(page, '#live'), 'live');
    assert.equal(await page.$$eval('#devices tr', (rows) => rows.length), 1);
    assert.match(await page.$eval('#devices tr td:nth-child(2)', (td) => td.textContent!), /WASM/);
    assert.match(await text(page, '#shares'), /^A\d+(\+\d+)?:R0:F0$/);
    assert.match(await text(page, '#pool .pool-uri'), /devnet-miner\.dashboard@127\.0\.0\.1/);
    // a few chart samples, so the chart has a line to draw
    await page.waitForFunction(() => document.querySelectorAll('#chart polyline').length > 0, { timeout: 20_000 });
    await sleep(6000);
    const out = testOutputDir();
    await page.screenshot({ path: path.join(out, `dashboard-${engine}.png`), fullPage: true });

    await page.setViewport({ width: 390, height: 844 });
    await sleep(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the phone layout scrolls sideways by ${overflow} px in ${engine}`);
    await page.screenshot({ path: path.join(out, `dashboard-phone-${engine}.png`), fullPage: true });

    // a page whose host name was rebound to this machine gets nothing from the API
    const rebound = await page.goto(`http://rebound.example:${port}/api/status`);
    assert.equal(rebound?.status(), 403);
  } finally {
    await browser.close();
  }
}

const engines = ENGINES.filter((engine) => !engineSkip(engine));

test('the dashboard shows the rig live: devices, chart, pool, and a block confirmed 3/3 with its credit', { skip: engines.length === 0 ? 'no browser' : false }, async () => {
  const devnet = await startDevnet({
    dag: 'small', initialDifficulty: 40_000n, blockTimeSeconds: 3, voterOnlineProbability: 1, voteLatencyMs: [400, 2500],
    stratumTlsPort: null, stratumWsPort: null, logger: silentLogger,
  });
  const port = await freePort();
  const pool = devnet.endpoints.stratum.replace('://', '://devnet-miner.dashboard@');
  const miner = startMiner(['-P', pool, '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--datadir', mkdtempSync(path.join(tmpdir(), 'sero-dashboard-')), '--duration', '300'], port);
  const url = `http://127.0.0.1:${port}/`;
  try {
    // one rig, looked at in each engine in turn
    for (const engine of engines) await checkDashboard(engine, url, port, miner.output);
  } finally {
    const code = await miner.stop();
    await devnet.close();
    assert.equal(code, 0, miner.output());
  }
});

/** What the dashboard shows the moment it has loaded, its live feed silenced. */
async function firstDraw(engine: Engine, url: string) {
  const browser = await launchBrowser(engine);
  try {
    const { page } = browser;
    // a live feed that never delivers: whatever the page shows came with it
    await page.evaluateOnNewDocument(() => {
      (globalThis as any).EventSource = class { readyState = 0; addEventListener() {} close() {} };
    });
    await page.goto(url);
    return await page.evaluate(() => ({
      host: document.getElementById('host')!.textContent,
      hashrate: document.getElementById('hashrate')!.textContent,
      shares: document.getElementById('shares')!.textContent,
      devices: document.querySelectorAll('#devices tr').length,
      credit: document.getElementById('credit')!.textContent,
      chains: Array.from(document.querySelectorAll('#chains li')).map((li) => ({ chain: (li as HTMLElement).dataset.chain, credit: (li as HTMLElement).dataset.credit, text: li.textContent })),
    }));
  } finally {
    await browser.close();
  }
}

test('the dashboard draws the rig at once, before its live feed says anything, with each chain of the ledger apart', { skip: engines.length === 0 ? 'no browser' : false, timeout: 240_000 }, async () => {
  const devnet = await startTestDevnet({ initialDifficulty: 40_000n, minimumDifficulty: 20_000n, voterOnlineProbability: 1, voteLatencyMs: [20, 200] });
  const datadir = mkdtempSync(path.join(tmpdir(), 'sero-dashboard-'));
  // a block of yesterday's miner: no chain recorded, 45 SERO that belong to no chain mined today
  writeFileSync(path.join(datadir, 'ledger.jsonl'), [
    { t: 'pending', height: 940450, nonce: '0x00000000000000aa', headerHash: `0x${'11'.repeat(32)}`, mixDigest: `0x${'22'.repeat(32)}`, expectedCredit: '45000000000000000000', votesNeeded: 3, at: 1 },
    { t: 'confirmed', height: 940450, nonce: '0x00000000000000aa', credit: '45000000000000000000', at: 2 },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n');
  const port = await freePort();
  const miner = startMiner(['-P', devnet.endpoints.stratum.replace('://', '://devnet-miner.first@'), '--node', devnet.endpoints.rpc,
    '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--datadir', datadir, '--duration', '200'], port);
  try {
    let status: any;
    for (let tries = 0; !(status?.devices?.length === 1 && status.shares.accepted > 0); tries++) {
      if (tries > 300) throw new Error(`the rig never came up:\n${miner.output()}`);
      await sleep(200);
      status = await fetch(`http://127.0.0.1:${port}/api/status`).then((r) => r.json(), () => undefined);
    }
    assert.match(status.blocks.chain, /^0x[0-9a-f]{64}$/, 'the node said which chain');
    for (const engine of engines) {
      const shown = await firstDraw(engine, `http://127.0.0.1:${port}/`);
      assert.notEqual(shown.host, '…', `the header is drawn in ${engine}`);
      assert.notEqual(shown.hashrate, '–');
      assert.match(shown.shares!, /^A\d+(\+\d+)?:R\d+:F\d+$/);
      assert.equal(shown.devices, 1);
      const unknown = shown.chains.find((c) => c.chain === 'unknown');
      const mined = shown.chains.find((c) => c.chain === status.blocks.chain);
      assert.ok(unknown && mined, JSON.stringify(shown.chains));
      assert.equal(unknown.credit, '45');
      assert.match(unknown.text!, /unknown chain/);
      assert.equal(shown.credit, mined.credit, 'the cards are the chain being mined, never a sum of chains');
    }
  } finally {
    const code = await miner.stop();
    await devnet.close();
    assert.equal(code, 0, miner.output());
  }
});
