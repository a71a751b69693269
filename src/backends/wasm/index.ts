// CPU proof-of-work backend in WebAssembly (sources in assembly/).
export { makeLightCacheWasm, WasmLightHasher, type HashResult, type Verdict } from './light.js';
export { createWasmBackend, WasmBackend, type WasmBackendOptions, type DagBuildStats } from './backend.js';
export { wasmBenchFigures, type WasmBenchFigures } from './bench-figures.js';
