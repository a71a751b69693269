// The browser page's Benchmark mode in each headless engine (Debian's chromium: Dawn over
// SwiftShader; firefox-esr: wgpu over lavapipe), as a visitor runs it: WebGPU (tuned at start)
// and WASM on one DAG, one after the other in the same tab. Prints one JSON line per engine:
// both reports as the page prints them, WebGPU's rate over WASM's, and the load average.
//   node dist/bench/web.js [--engine chromium|firefox] [--block N] [--dag small|full] [--seconds S]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startWebServer } from '../src/web/serve/server.js';
import { ENGINES, fill, launchBrowser, type Engine } from '../test/support/browser.js';

const { values } = parseArgs({
  options: { engine: { type: 'string' }, block: { type: 'string', default: '0' }, dag: { type: 'string', default: 'small' }, seconds: { type: 'string', default: '10' } },
});
const engines = values.engine ? [values.engine as Engine] : ENGINES;
const progress = (line: string) => process.stderr.write(`bench:web: ${line}\n`);

const server = await startWebServer({ config: () => ({ pools: [], servedBy: 'web' }) });
try {
  for (const engine of engines) {
    const browser = await launchBrowser(engine);
    try {
      const { page } = browser;
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      await fill(page, '#bench-block', values.block);
      await page.select('#bench-dag', values.dag);
      await fill(page, '#bench-seconds', values.seconds);
      const load = loadavg()[0]!;
      progress(`${engine}: block ${values.block}, ${values.dag} DAG, ${values.seconds} s per backend`);
      await page.click('#bench-start');
      await page.waitForFunction(() => /^(done|stopped|failed)/.test(document.querySelector('#bench-status')!.textContent ?? ''), { timeout: 3_600_000 });
      const lines = (await page.$eval('#bench-json', (pre) => pre.textContent ?? '')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);
      const [webgpu, wasm] = [lines.find((r) => r.backend === 'webgpu'), lines.find((r) => r.backend === 'wasm')];
      const ratio = webgpu && wasm ? Number((webgpu.hashrate / wasm.hashrate).toFixed(3)) : null;
      console.log(JSON.stringify({ name: `web.${engine}`, webgpuOverWasm: ratio, loadavg1: [Number(load.toFixed(2)), Number(loadavg()[0]!.toFixed(2))], webgpu, wasm }));
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
