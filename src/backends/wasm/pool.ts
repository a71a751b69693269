// The backend's worker threads, request/reply matching, and DAG builds shared among them.
import type { DagProgress } from '../backend.js';
import { HASH_BYTES } from '../../pow/epoch.js';
import { TASK_ITEMS } from './layout.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './protocol.js';
import { startPowThread, type PowThread } from './thread.js';

type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export class PowWorker {
  private readonly thread: PowThread;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(init: WorkerInit) {
    this.thread = startPowThread(init, {
      reply: (reply) => {
        const waiter = this.pending.get(reply.id);
        if (!waiter) return;
        this.pending.delete(reply.id);
        if (reply.type === 'error') waiter.reject(new Error(`wasm worker: ${reply.message}`));
        else waiter.resolve(reply);
      },
      fail: (err) => {
        this.failure = err;
        for (const waiter of this.pending.values()) waiter.reject(err);
        this.pending.clear();
      },
    });
  }

  call(request: Request): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread.send({ ...request, id } as WorkerRequest);
    });
  }

  /** Ends the thread; calls still pending reject. */
  async terminate(): Promise<void> {
    const closed = new Error('wasm worker terminated');
    this.failure = closed;
    for (const waiter of this.pending.values()) waiter.reject(closed);
    this.pending.clear();
    await this.thread.terminate();
  }
}

/** Dataset items 0 .. items-1 into the DAG store, in tasks handed to whichever worker is free. */
export async function buildDagItems(workers: readonly PowWorker[], items: number, onProgress?: (p: DagProgress) => void): Promise<void> {
  let next = 0;
  let done = 0;
  onProgress?.({ done, total: items });
  const drain = async (worker: PowWorker) => {
    while (next < items) {
      const first = next;
      const count = Math.min(TASK_ITEMS, items - first);
      next += count;
      await worker.call({ type: 'items', first, count, offset: first * HASH_BYTES });
      done += count;
      onProgress?.({ done, total: items });
    }
  };
  await Promise.all(workers.map(drain));
}
