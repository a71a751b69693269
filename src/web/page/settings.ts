// The Settings panel: WASM threads, the WebGPU launch (tuned at start, or fixed), and whether
// work may go on while the tab is in the background. Remembered in localStorage.
import type { WasmBackendOptions } from '../../backends/wasm/index.js';
import type { WebgpuBackendOptions } from '../../backends/webgpu/index.js';
import type { Logger } from '../../util/log.js';
import { byId, intValue } from './dom.js';

const STORAGE_KEY = 'sero-miner.settings';
const FIELDS = ['set-threads', 'set-launch', 'set-wg', 'set-groups', 'set-batch'] as const;

export class Settings {
  private readonly threads = byId<HTMLInputElement>('set-threads');
  private readonly launch = byId<HTMLSelectElement>('set-launch');
  private readonly workgroupSize = byId<HTMLSelectElement>('set-wg');
  private readonly groups = byId<HTMLInputElement>('set-groups');
  private readonly batch = byId<HTMLInputElement>('set-batch');
  private readonly background = byId<HTMLInputElement>('set-background');

  constructor(private readonly defaultThreads: number) {
    this.threads.value = String(defaultThreads);
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, string>;
      for (const id of FIELDS) if (typeof saved[id] === 'string') byId<HTMLInputElement | HTMLSelectElement>(id).value = saved[id];
    } catch {
      // a damaged entry is replaced on the next change
    }
    const save = () => localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(FIELDS.map((id) => [id, byId<HTMLInputElement>(id).value]))));
    for (const id of FIELDS) byId(id).addEventListener('change', save);
    const showLaunch = () => {
      for (const id of ['set-wg', 'set-groups', 'set-batch']) byId(id).parentElement!.hidden = this.launch.value !== 'fixed';
    };
    this.launch.addEventListener('change', showLaunch);
    showLaunch();
  }

  /** Work goes on in a background tab only when the visitor ticked this. */
  get keepWorkingInBackground(): boolean {
    return this.background.checked;
  }

  wasmOptions(log: Logger): WasmBackendOptions {
    return { threads: intValue(this.threads) || this.defaultThreads, log };
  }

  webgpuOptions(log: Logger): WebgpuBackendOptions {
    // the GPU that mines should be the fast one where a machine has two
    const common = { log, powerPreference: 'high-performance' as const };
    if (this.launch.value !== 'fixed') return common;
    return {
      ...common,
      launch: { workgroupSize: Number(this.workgroupSize.value), groups: intValue(this.groups) || 1, batch: intValue(this.batch) || 4096 },
    };
  }
}
