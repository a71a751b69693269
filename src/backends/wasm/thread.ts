// Starting one worker thread of the WASM backend in Node (worker_threads, handed its WorkerInit
// as workerData). The browser bundle puts a twin in this module's place that starts a module
// Web Worker instead (src/web/page/platform/).
import { Worker } from 'node:worker_threads';
import type { WorkerInit, WorkerReply, WorkerRequest } from './protocol.js';

export interface PowThreadEvents {
  reply(reply: WorkerReply): void;
  /** The thread failed or ended on its own. */
  fail(error: Error): void;
}

export interface PowThread {
  send(request: WorkerRequest): void;
  /** Ends the thread; that is not reported as a failure. */
  terminate(): Promise<void>;
}

export function startPowThread(init: WorkerInit, events: PowThreadEvents): PowThread {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
  worker.on('message', (reply: WorkerReply) => events.reply(reply));
  worker.on('error', (error) => events.fail(error));
  worker.on('exit', (code) => events.fail(new Error(`wasm worker exited with code ${code}`)));
  return {
    send: (request) => worker.postMessage(request),
    async terminate() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
