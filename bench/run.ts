// `npm run bench`: the benchmark suites (arguments are passed on, e.g. --full).
await import('./wasm.js');
await import('./webgpu.js');
