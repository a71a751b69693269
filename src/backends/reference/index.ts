// The TypeScript reference as a search backend: slow, but the yardstick the other backends
// are compared with in tests and benchmarks. Small DAGs are held whole; real epochs are
// evaluated in light mode.
import type { DagProgress, SearchBackend, SearchJob, SearchResult, Solution } from '../backend.js';
import type { DagSpec } from '../../pow/epoch.js';
import { makeDataset } from '../../pow/ethash.js';
import { fullDag, lightDag, progpowHash, type DagReader } from '../../pow/progpow.js';
import { meetsTarget } from '../../pow/target.js';
import { lightCacheFor } from '../light-hasher.js';

const U64 = 1n << 64n;
/** Largest dataset the reference holds in memory instead of evaluating light. */
const MAX_FULL_DATASET = 64 * 1024 * 1024;

export class ReferenceBackend implements SearchBackend {
  readonly name = 'reference' as const;
  readonly device = 'TypeScript reference (1 thread)';
  private dag: DagReader | undefined;
  private key = '';

  async prepare(spec: DagSpec, onProgress?: (p: DagProgress) => void): Promise<void> {
    const key = `${spec.epoch}:${spec.cacheSize}:${spec.datasetSize}`;
    if (key === this.key) return;
    const cache = lightCacheFor(spec);
    this.dag = spec.datasetSize <= MAX_FULL_DATASET ? fullDag(makeDataset(cache, spec.datasetSize), spec.datasetSize) : lightDag(cache, spec.datasetSize);
    this.key = key;
    onProgress?.({ done: 1, total: 1 });
  }

  async search(job: SearchJob, start: bigint, count: number, signal?: AbortSignal): Promise<SearchResult> {
    const dag = this.dag;
    if (!dag) throw new Error('prepare() a DAG before searching');
    const solutions: Solution[] = [];
    let hashes = 0;
    let lastYield = performance.now();
    for (; hashes < count; hashes++) {
      if (signal?.aborted) break;
      const nonce = (start + BigInt(hashes)) % U64;
      const r = progpowHash(job.headerHash, nonce, job.height, dag);
      if (meetsTarget(r.finalHash, job.target)) solutions.push({ nonce, ...r });
      if (performance.now() - lastYield > 50) {
        // let job switches and sockets through
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    return { solutions, hashes };
  }

  async close(): Promise<void> {
    this.dag = undefined;
    this.key = '';
  }
}
