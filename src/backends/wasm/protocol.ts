// Messages between the backend (main thread) and its workers. Every request carries an id
// and gets exactly one reply with the same id.
import type { RawSolution, RoundsEngine } from './instance.js';
import type { OutsideDag } from './dag-store.js';

export interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly scratch: number;
  readonly staging: number;
  readonly control: number;
  readonly batch: number;
  readonly results: number;
}

/** Where the DAG of an epoch lies (dag-store.ts DagStore, without its methods). */
export interface DagPlacementMessage {
  readonly wasmBase: number;
  readonly wasmBytes: number;
  readonly outside: OutsideDag | undefined;
}

export type WorkerRequest =
  | { readonly id: number; readonly type: 'cache'; readonly cache: number; readonly rows: number; readonly seed: number }
  | {
      readonly id: number;
      readonly type: 'epoch';
      readonly cache: number;
      readonly rows: number;
      readonly cdag: number;
      readonly dag: DagPlacementMessage;
      readonly entries: number;
      /** The DAG is not built yet: compute entries from the cache. */
      readonly light: boolean;
    }
  | {
      readonly id: number;
      readonly type: 'items';
      readonly first: number;
      readonly count: number;
      /** Byte offset of item `first` in the DAG (inside or outside part, as the epoch's placement says). */
      readonly offset: number;
    }
  | {
      readonly id: number;
      readonly type: 'search';
      readonly header: Uint8Array;
      readonly program: Uint32Array;
      readonly ops: number;
      /** floor(height / 50): the period of the program. */
      readonly period: number;
      /** The period's generated module when it is compiled (else the program is interpreted). */
      readonly rounds: WebAssembly.Module | undefined;
      readonly target: bigint;
      readonly start: bigint;
      readonly count: number;
      readonly chunk: number;
    };

export type WorkerReply =
  | { readonly id: number; readonly type: 'ok' }
  | { readonly id: number; readonly type: 'found'; readonly solutions: RawSolution[]; readonly hashes: number; readonly engine: RoundsEngine }
  | { readonly id: number; readonly type: 'error'; readonly message: string };
