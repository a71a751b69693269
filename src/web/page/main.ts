// Entry of the browser page: draws the saved ledger at once, checks what the browser offers,
// loads the proof-of-work module, reads the server's defaults and sets up the Benchmark and Mine
// modes. Nothing hashes until the visitor presses start.
import { loadPowModule } from './platform/module-file.js';
import { PAGE_CONFIG_PATH, parsePageConfig, type PageConfig } from './page-config.js';
import { Activity } from './activity.js';
import { BenchMode } from './bench-mode.js';
import { byId, element, showNotice } from './dom.js';
import { probeEnvironment, type PageEnvironment } from './environment.js';
import { showSavedLedger } from './ledger-view.js';
import { pageLogger } from './log-view.js';
import { MineMode } from './mine-mode.js';
import { pageSearch } from './search-api.js';
import { Settings } from './settings.js';
import { guardBackgroundWork } from './visibility.js';

type Tab = 'bench' | 'mine';

function renderChips(env: PageEnvironment): void {
  const chip = (kind: 'ok' | 'warn' | 'bad', text: string) => element('li', `chip ${kind}`, text);
  const gpu = 'problem' in env.webgpu
    ? chip('bad', 'no WebGPU')
    : chip(env.webgpu.adapter.isFallbackAdapter ? 'warn' : 'ok', `WebGPU: ${env.webgpu.name}${env.webgpu.adapter.isFallbackAdapter ? ' (software)' : ''}`);
  byId('env').replaceChildren(
    gpu,
    chip('ok', `WASM: ${env.threads} thread${env.threads === 1 ? '' : 's'}`),
    chip(env.isolated ? 'ok' : 'bad', env.isolated ? 'cross-origin isolated' : 'not cross-origin isolated'),
    ...(env.memoryGiB ? [chip('ok', `memory: about ${env.memoryGiB} GiB`)] : []),
  );
}

function explainEnvironment(env: PageEnvironment): void {
  if (!env.isolated) {
    showNotice('isolation', 'bad', 'This page is not cross-origin isolated, so the WASM threads cannot share memory. Serve it with `sero-miner web`, which sends the COOP and COEP headers it needs.');
  }
  if ('problem' in env.webgpu) {
    showNotice('webgpu', 'warn', `No WebGPU here: ${env.webgpu.problem}. Benchmarks and mining run on WASM (WebAssembly on ${env.threads} threads).`);
  } else if (env.webgpu.adapter.isFallbackAdapter) {
    showNotice('webgpu', 'info', `The WebGPU adapter (${env.webgpu.name}) is a software renderer on the CPU: WebGPU works there, but slowly, and mining on "auto" uses WASM instead.`);
  }
}

async function fetchConfig(): Promise<PageConfig> {
  try {
    const response = await fetch(PAGE_CONFIG_PATH);
    return parsePageConfig(response.ok ? await response.json() : {});
  } catch {
    return parsePageConfig({});
  }
}

function setUpTabs(initial: Tab): void {
  const select = (tab: Tab) => {
    for (const name of ['bench', 'mine'] as const) {
      byId(`tab-${name}`).setAttribute('aria-selected', String(name === tab));
      byId(name).hidden = name !== tab;
    }
  };
  byId('tab-bench').addEventListener('click', () => select('bench'));
  byId('tab-mine').addEventListener('click', () => select('mine'));
  select(location.hash === '#mine' ? 'mine' : location.hash === '#bench' ? 'bench' : initial);
}

async function boot(): Promise<void> {
  const log = pageLogger('mine-log');
  // what was found before is shown before anything else loads
  void showSavedLedger(log);
  const env = await probeEnvironment();
  renderChips(env);
  explainEnvironment(env);
  try {
    await loadPowModule(new URL('./progpow.wasm', import.meta.url));
  } catch (error) {
    showNotice('wasm', 'bad', `The proof-of-work module (progpow.wasm, WebAssembly with SIMD and threads) could not be loaded: ${(error as Error).message}`);
    return;
  }
  const config = await fetchConfig();
  const settings = new Settings(env.threads);
  const activity = new Activity();
  const bench = new BenchMode(env, settings, activity, log);
  const mine = new MineMode(env, settings, activity, log, config);
  setUpTabs(config.pools.length > 0 ? 'mine' : 'bench');
  guardBackgroundWork(settings, bench, mine);
  Object.assign(globalThis, { seroMiner: { search: pageSearch, environment: env, config } });
  document.body.dataset.ready = 'true';
}

boot().catch((error: unknown) => showNotice('boot', 'bad', `The page could not start: ${(error as Error).message}`));
