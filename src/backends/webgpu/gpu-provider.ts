// Where the GPU object comes from in Node: Dawn's `webgpu` package, whose globals
// (GPUBufferUsage, GPUMapMode, …) are installed once. The browser bundle puts a twin in this
// module's place that hands out navigator.gpu (src/web/page/platform/).
import { installGentleDawnPolling } from './dawn-polling.js';
import { WebgpuUnavailableError } from './errors.js';

export type WebgpuModule = { create(options: string[]): GPU; globals: object };

/** What to do when requestAdapter() finds nothing. */
export const NO_ADAPTER_HINT =
  'no WebGPU adapter found. Dawn needs a Vulkan driver; on Debian bookworm install Mesa >= 24 lavapipe: ' +
  'apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1';

let webgpuModule: Promise<WebgpuModule> | undefined;

export async function loadWebgpu(): Promise<WebgpuModule> {
  webgpuModule ??= (async () => {
    try {
      const mod = (await import('webgpu')) as unknown as WebgpuModule;
      Object.assign(globalThis, mod.globals);
      installGentleDawnPolling();
      return mod;
    } catch (error) {
      webgpuModule = undefined;
      throw new WebgpuUnavailableError(`WebGPU is not available: the 'webgpu' package failed to load (${(error as Error).message})`);
    }
  })();
  return webgpuModule;
}
