// What bench/sustained.ts sees of a backend: every search's job, issue and end times and
// hashes, recorded by a wrapper the rig searches through. A twin the rig opens to build the
// next epoch's DAG ahead is wrapped as well, as an instance of its own.
import type { DagProgress, SearchBackend, SearchJob, SearchResult } from '../src/backends/backend.js';
import type { DagSpec } from '../src/pow/epoch.js';
import { bytesToHex } from '../src/util/hex.js';
import type { SearchRecord } from './sustained-figures.js';

export const jobKey = (headerHash: Uint8Array): string => bytesToHex(headerHash);

export class SearchProbe {
  readonly records: SearchRecord[] = [];
  /** Every backend wrapped so far, raw, by instance number. */
  readonly instances: SearchBackend[] = [];
  private readonly raw = new WeakMap<SearchBackend, SearchBackend>();

  /** The backend a wrapper searches on. */
  rawOf(wrapped: SearchBackend): SearchBackend {
    return this.raw.get(wrapped) ?? wrapped;
  }

  wrap(backend: SearchBackend): SearchBackend {
    const instance = this.instances.push(backend) - 1;
    const probe = this;
    const wrapped: SearchBackend = {
      name: backend.name,
      device: backend.device,
      prepare: (spec: DagSpec, onProgress?: (p: DagProgress) => void) => backend.prepare(spec, onProgress),
      async search(job: SearchJob, start: bigint, count: number, signal?: AbortSignal): Promise<SearchResult> {
        const issuedAt = performance.now();
        const result = await backend.search(job, start, count, signal);
        probe.records.push({ instance, job: jobKey(job.headerHash), issuedAt, endedAt: performance.now(), hashes: result.hashes });
        return result;
      },
      close: () => backend.close(),
    };
    this.raw.set(wrapped, backend);
    if (backend.openTwin) {
      wrapped.openTwin = async (spec: DagSpec) => {
        const twin = await backend.openTwin!(spec);
        return twin && probe.wrap(twin);
      };
    }
    return wrapped;
  }
}
