// Browser twin of backends/wasm/thread.ts: a WASM backend thread is a module Web Worker
// (pow-worker.js beside the page bundle); its WorkerInit is the first message it gets.
import type { WorkerInit } from '../../../backends/wasm/protocol.js';
import type { PowThread, PowThreadEvents } from '../../../backends/wasm/thread.js';

export type { PowThread, PowThreadEvents } from '../../../backends/wasm/thread.js';

export function startPowThread(init: WorkerInit, events: PowThreadEvents): PowThread {
  const worker = new Worker(new URL('./pow-worker.js', import.meta.url), { type: 'module', name: 'sero-pow' });
  worker.onmessage = (event) => events.reply(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    events.fail(new Error(`wasm worker failed: ${event.message || 'it could not start'}`));
  };
  worker.onmessageerror = () => events.fail(new Error('wasm worker: a message could not be read'));
  worker.postMessage(init);
  return {
    send: (request) => worker.postMessage(request),
    async terminate() {
      worker.terminate();
    },
  };
}
