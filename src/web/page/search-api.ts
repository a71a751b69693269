// The page's console API (window.seroMiner): a nonce search over a range on either backend,
// answered as `sero-miner search --json` prints it, so the page can be checked against the
// command line from the console or a test.
import type { SearchBackend } from '../../backends/backend.js';
import { searchReport, type SearchReport } from '../../backends/search-report.js';
import { createWasmBackend } from '../../backends/wasm/index.js';
import { createWebgpuBackend, type WebgpuBackendOptions } from '../../backends/webgpu/index.js';
import { dagSpecForBlock, type DagMode } from '../../pow/epoch.js';
import { bytesToBigInt } from '../../util/bytes.js';
import { parseHash32, parseU64 } from '../../util/hex.js';
import { silentLogger } from '../../util/log.js';
import { abandonBackend } from './backends.js';

export interface PageSearchRequest {
  readonly backend: 'webgpu' | 'wasm';
  readonly block: number;
  /** Header seal hash, 0x + 64 hex. */
  readonly header: string;
  /** 0x + 64 hex. */
  readonly target: string;
  /** First nonce, decimal or 0x hex. */
  readonly start: string;
  readonly count: number;
  readonly dag?: DagMode;
  readonly threads?: number;
  readonly launch?: WebgpuBackendOptions['launch'];
  /** WebGPU: the DAG in a texture or storage buffers, and a cap on a binding's bytes that splits it over more buffers. */
  readonly dagStorage?: WebgpuBackendOptions['dagStorage'];
  readonly maxBindingBytes?: number;
}

export interface PageSearchReply extends SearchReport {
  readonly device: string;
}

export async function pageSearch(request: PageSearchRequest): Promise<PageSearchReply> {
  const spec = dagSpecForBlock(request.block, request.dag ?? 'full');
  const job = { headerHash: parseHash32(request.header, 'header'), height: request.block, target: bytesToBigInt(parseHash32(request.target, 'target')) };
  const start = parseU64(request.start, 'start');
  const backend: SearchBackend = request.backend === 'webgpu'
    ? await createWebgpuBackend({
      launch: request.launch, dagStorage: request.dagStorage, maxBindingBytes: request.maxBindingBytes, powerPreference: 'high-performance', log: silentLogger,
    })
    : createWasmBackend({ threads: request.threads });
  try {
    await backend.prepare(spec);
    const started = performance.now();
    const result = await backend.search(job, start, request.count);
    return { ...searchReport(result, (performance.now() - started) / 1000), device: backend.device };
  } finally {
    await abandonBackend(backend);
  }
}
