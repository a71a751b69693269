// What the page bundle swaps: each Node module whose job differs in a browser has a twin here
// with the same exports, and Node built-ins that shared code reads get small browser versions.
// Every other Node built-in and Node-only package is bundled as a stub that throws when used.
// The bundler (src/web/serve/bundle.ts) reads these tables; the type checks below keep each twin's
// exports in step with the module it replaces.

/** Node module → its browser twin (paths from the package root). */
export const BROWSER_TWINS: Readonly<Record<string, string>> = {
  'src/backends/webgpu/kernel-files.ts': 'src/web/page/platform/kernel-files.ts',
  'src/backends/webgpu/gpu-provider.ts': 'src/web/page/platform/gpu-provider.ts',
  'src/backends/wasm/module-file.ts': 'src/web/page/platform/module-file.ts',
  'src/backends/wasm/thread.ts': 'src/web/page/platform/thread.ts',
  'src/backends/wasm/thread-port.ts': 'src/web/page/platform/thread-port.ts',
  'src/backends/machine.ts': 'src/web/page/platform/machine.ts',
  'src/net/client/line-connector.ts': 'src/web/page/platform/line-connector.ts',
};

/** Node built-in → its browser version: a file from the package root, or an npm package. */
export const NODE_SHIMS: Readonly<Record<string, string>> = {
  'node:os': 'src/web/page/platform/node/os.ts',
  'node:crypto': 'src/web/page/platform/node/crypto.ts',
  'node:net': 'src/web/page/platform/node/net.ts',
  'node:events': 'events',
};

/** Bare imports that are Node-only packages (the rest of node:* is matched by prefix). */
export const NODE_ONLY_PACKAGES: readonly string[] = ['ws', 'webgpu', 'classic-level'];

/** Compile-time check: the twin has every export of the Node module, with compatible types. */
type Twin<Browser extends Node, Node> = [Browser, Node];

export type TwinChecks = [
  Twin<typeof import('./kernel-files.js'), typeof import('../../../backends/webgpu/kernel-files.js')>,
  Twin<typeof import('./gpu-provider.js'), typeof import('../../../backends/webgpu/gpu-provider.js')>,
  Twin<typeof import('./module-file.js'), typeof import('../../../backends/wasm/module-file.js')>,
  Twin<typeof import('./thread.js'), typeof import('../../../backends/wasm/thread.js')>,
  Twin<typeof import('./thread-port.js'), typeof import('../../../backends/wasm/thread-port.js')>,
  Twin<typeof import('./machine.js'), typeof import('../../../backends/machine.js')>,
  Twin<typeof import('./line-connector.js'), typeof import('../../../net/client/line-connector.js')>,
];
