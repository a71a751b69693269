// Browser twin of backends/wasm/thread-port.ts, inside a module Web Worker: the first message
// is the WorkerInit, the rest are requests (kept until the worker starts serving them).
import type { WorkerInit, WorkerReply, WorkerRequest } from '../../../backends/wasm/protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;
const inbox: WorkerRequest[] = [];
let handler: ((request: WorkerRequest) => WorkerReply) | undefined;

const init = new Promise<WorkerInit>((resolve) => {
  scope.onmessage = (first) => {
    scope.onmessage = (event) => {
      if (handler) scope.postMessage(handler(event.data as WorkerRequest));
      else inbox.push(event.data as WorkerRequest);
    };
    resolve(first.data as WorkerInit);
  };
});

export function threadInit(): Promise<WorkerInit> {
  return init;
}

export function serveThreadRequests(handle: (request: WorkerRequest) => WorkerReply): void {
  handler = handle;
  for (const request of inbox.splice(0)) scope.postMessage(handle(request));
}
