// The worker side of a WASM backend thread in Node: its WorkerInit arrives as workerData and
// requests through parentPort. The browser bundle puts a twin in this module's place that
// reads the init from a Web Worker's first message (src/web/page/platform/).
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInit, WorkerReply, WorkerRequest } from './protocol.js';

export async function threadInit(): Promise<WorkerInit> {
  return workerData as WorkerInit;
}

/** Answers every request, in order, with what `handle` returns. */
export function serveThreadRequests(handle: (request: WorkerRequest) => WorkerReply): void {
  parentPort!.on('message', (request: WorkerRequest) => parentPort!.postMessage(handle(request)));
}
