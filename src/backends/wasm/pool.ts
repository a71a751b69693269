// The backend's worker threads and request/reply matching.
import { Worker } from 'node:worker_threads';
import type { WorkerInit, WorkerReply, WorkerRequest } from './protocol.js';

type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export class PowWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(init: WorkerInit) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
    this.worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.type === 'error') waiter.reject(new Error(`wasm worker: ${reply.message}`));
      else waiter.resolve(reply);
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`wasm worker exited with code ${code}`)));
  }

  call(request: Request): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Ends the thread; calls still pending reject. */
  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    const closed = new Error('wasm worker terminated');
    this.failure = closed;
    for (const waiter of this.pending.values()) waiter.reject(closed);
    this.pending.clear();
    await this.worker.terminate();
  }
}
