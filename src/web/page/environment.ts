// What this browser offers the miner, probed once at start: cross-origin isolation (shared
// memory for the WASM threads), CPU threads and memory, and the WebGPU adapter with its
// limits (or why there is none). No device is opened and no work is done here.
import { describeAdapter, summarizeAdapter, type AdapterSummary } from '../../backends/webgpu/gpu-context.js';
import { loadWebgpu, NO_ADAPTER_HINT } from '../../backends/webgpu/gpu-provider.js';

export type WebgpuProbe = { readonly adapter: AdapterSummary; readonly name: string } | { readonly problem: string };

export interface PageEnvironment {
  /** SharedArrayBuffer and shared WebAssembly memory work (COOP and COEP in force). */
  readonly isolated: boolean;
  readonly threads: number;
  /** navigator.deviceMemory (GiB, rounded and capped by the browser), when told. */
  readonly memoryGiB: number | undefined;
  readonly webgpu: WebgpuProbe;
}

async function probeWebgpu(): Promise<WebgpuProbe> {
  try {
    const gpu = (await loadWebgpu()).create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { problem: NO_ADAPTER_HINT };
    const summary = summarizeAdapter(adapter);
    return { adapter: summary, name: describeAdapter(summary) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

export async function probeEnvironment(): Promise<PageEnvironment> {
  const nav = navigator as Navigator & { deviceMemory?: number };
  return {
    isolated: globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function',
    threads: Math.max(1, nav.hardwareConcurrency || 1),
    memoryGiB: nav.deviceMemory,
    webgpu: await probeWebgpu(),
  };
}
