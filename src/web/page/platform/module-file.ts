// Browser twin of backends/wasm/module-file.ts: the page fetches and compiles progpow.wasm once
// at start (loadPowModule), and every backend then gets that module.
let provided: WebAssembly.Module | undefined;

/** Fetches and compiles the proof-of-work module; the page awaits this before any backend starts. */
export async function loadPowModule(url: string | URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${String(url)}: HTTP ${response.status}`);
  provided = await WebAssembly.compileStreaming(response);
  return provided;
}

export function compilePowModule(): WebAssembly.Module {
  if (!provided) throw new Error('progpow.wasm is not loaded: the page calls loadPowModule() before starting a backend');
  return provided;
}
