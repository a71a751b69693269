// What `bench --backend wasm` reports besides the hash rate: where the DAG lives and how it
// was built (or loaded from the file cache).
import { dagEntries } from '../../pow/epoch.js';
import { dagBuildFigures, type DagBuildFigures } from '../measure.js';
import type { DagBuildStats, WasmBackend } from './backend.js';

export interface WasmBenchFigures {
  readonly threads: number;
  readonly dagPlacement: DagBuildStats['placement'];
  readonly dagBytes: number;
  readonly dagBytesInWasm: number;
  readonly dagEntries: number;
  readonly dagBuild: { readonly source: DagBuildStats['source'] } & DagBuildFigures;
}

/** Figures of a prepared backend (after prepare(), so the DAG build happened). */
export function wasmBenchFigures(backend: WasmBackend): WasmBenchFigures {
  const build = backend.lastBuild;
  const spec = backend.spec;
  if (!build || !spec) throw new Error('prepare() the backend before reading its figures');
  return {
    threads: backend.threads,
    dagPlacement: build.placement,
    dagBytes: build.dagBytes,
    dagBytesInWasm: build.wasmDagBytes,
    dagEntries: dagEntries(spec.datasetSize),
    dagBuild: { source: build.source, ...dagBuildFigures(build) },
  };
}
