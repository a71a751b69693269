// The dashboard in real browsers (Debian chromium and firefox-esr, headless, one after the
// other) while `sero-miner mine` runs as a user runs it against the embedded devnet: the page
// follows the rig live until it shows a confirmed block with 3/3 votes and its credit, reads
// well on a phone, and a page reached through a rebound host name gets nothing. Screenshots go
// to the test output folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevnet } from '../src/devnet/index.js';
import { silentLogger } from '../src/util/log.js';
import { engineSkip, ENGINES, launchBrowser, testOutputDir, text, type Engine } from './support/browser.js';
import { freePort } from './support/api-client.js';
import { repoRoot } from './support/vectors.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const miner = spawn(process.execPath, [
    path.join(repoRoot, 'bin/sero-miner.js'), 'mine', '-P', pool, '--dag', 'small', '--backend', 'wasm', '--threads', '1',
    '--datadir', mkdtempSync(path.join(tmpdir(), 'sero-dashboard-')), '--api-port', String(port), '--duration', '300',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  miner.stdout.on('data', (chunk) => (output += String(chunk)));
  miner.stderr.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => miner.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}/`;
  try {
    // one rig, looked at in each engine in turn
    for (const engine of engines) await checkDashboard(engine, url, port, () => output);
  } finally {
    miner.kill('SIGTERM');
    const code = await exited;
    await devnet.close();
    assert.equal(code, 0, output);
  }
});
