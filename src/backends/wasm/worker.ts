// Worker thread of the WASM backend: one instance of the module on the shared memory,
// building parts of the cache and DAG and searching nonce ranges on request.
import { PowInstance, type RawSolution, type RoundsEngine } from './instance.js';
import { DAG_ENTRY_BYTES } from '../../pow/epoch.js';
import { outsideGather } from './dag-store.js';
import { CONTROL_COUNTER, CONTROL_STOP } from './layout.js';
import type { GatherEntries } from './module.js';
import type { DagPlacementMessage, WorkerReply, WorkerRequest } from './protocol.js';
import { serveThreadRequests, threadInit } from './thread-port.js';

const init = await threadInit();
let dag: DagPlacementMessage = { wasmBase: 0, wasmBytes: 0, outside: undefined };
// The instance calls the gather import through this indirection, so a new epoch needs no new instance.
let gather: GatherEntries = () => {
  throw new Error('no DAG outside wasm memory');
};
const instance = new PowInstance(init.memory, init.scratch, init.batch, init.results, (list, n) => gather(list, n), init.module);
const pow = instance.pow;

/** Items from `first` into the DAG at byte `offset`: directly when inside, through the staging area when outside. */
function buildItems(first: number, count: number, offset: number): void {
  if (offset < dag.wasmBytes) {
    pow.buildItems(dag.wasmBase + offset, first, count);
    return;
  }
  const outside = dag.outside!;
  const rel = offset - dag.wasmBytes;
  const chunk = Math.floor(rel / 2 ** outside.chunkShift);
  pow.buildItems(init.staging, first, count);
  new Uint8Array(outside.chunks[chunk]!, rel - chunk * 2 ** outside.chunkShift, count * 64).set(instance.bytes(init.staging, count * 64));
}

/** Claims chunks of the range from the shared counter until it is exhausted or stopped. */
function search(req: Extract<WorkerRequest, { type: 'search' }>): { solutions: RawSolution[]; hashes: number; engine: RoundsEngine } {
  instance.writeHeader(req.header);
  instance.writeTarget(req.target);
  instance.loadProgram(req.program, req.ops);
  const engine = instance.useRounds(req.period, req.rounds);
  const stop = new Int32Array(init.memory.buffer, init.control + CONTROL_STOP, 1);
  const counter = new BigInt64Array(init.memory.buffer, init.control + CONTROL_COUNTER, 1);
  const solutions: RawSolution[] = [];
  let hashes = 0;
  const step = BigInt(req.chunk);
  for (;;) {
    if (Atomics.load(stop, 0) !== 0) break;
    const offset = Number(Atomics.add(counter, 0, step));
    if (offset >= req.count) break;
    const n = Math.min(req.chunk, req.count - offset);
    instance.resetResults();
    let done = 0;
    while (done < n) {
      const did = pow.search(BigInt.asUintN(64, req.start + BigInt(offset + done)), n - done, init.control + CONTROL_STOP);
      done += did;
      solutions.push(...instance.takeResults());
      if (did === 0) break; // stopped
    }
    hashes += done;
    if (done < n) break;
  }
  return { solutions, hashes, engine };
}

function handle(req: WorkerRequest): WorkerReply {
  switch (req.type) {
    case 'cache':
      pow.buildCache(req.cache, req.rows, req.seed);
      return { id: req.id, type: 'ok' };
    case 'epoch': {
      dag = req.dag;
      if (dag.outside) gather = outsideGather(init.memory, dag.outside);
      pow.setCache(req.cache, req.rows);
      pow.setDag(req.cdag, dag.wasmBase, req.entries, Math.min(req.entries, Math.floor(dag.wasmBytes / DAG_ENTRY_BYTES)), req.light);
      return { id: req.id, type: 'ok' };
    }
    case 'items':
      buildItems(req.first, req.count, req.offset);
      return { id: req.id, type: 'ok' };
    case 'search':
      return { id: req.id, type: 'found', ...search(req) };
  }
}

serveThreadRequests((req) => {
  try {
    return handle(req);
  } catch (err) {
    return { id: req.id, type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) };
  }
});
