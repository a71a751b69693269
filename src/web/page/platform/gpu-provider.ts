/// <reference types="@webgpu/types" />
// Browser twin of backends/webgpu/gpu-provider.ts: the GPU object is navigator.gpu, and the
// GPU* globals are the browser's own.
import { WebgpuUnavailableError } from '../../../backends/webgpu/errors.js';

export type WebgpuModule = { create(options: string[]): GPU; globals: object };

export const NO_ADAPTER_HINT =
  'the browser offers no WebGPU adapter: WebGPU may be switched off, or the GPU or its driver blocklisted (chrome://gpu, or about:support in Firefox, tells which)';

/** Firefox on Linux ships WebGPU behind a preference: say which. */
function missingWebgpuHint(userAgent: string): string {
  return /Firefox\//.test(userAgent) && /Linux/.test(userAgent) && !/Android/.test(userAgent) ? ': Firefox on Linux turns it on with dom.webgpu.enabled in about:config' : '';
}

export async function loadWebgpu(): Promise<WebgpuModule> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) throw new WebgpuUnavailableError(`this browser has no WebGPU (navigator.gpu is missing)${missingWebgpuHint(globalThis.navigator?.userAgent ?? '')}`);
  return { create: () => gpu, globals: {} };
}
