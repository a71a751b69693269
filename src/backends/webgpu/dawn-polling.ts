// dawn.node settles its promises (mapAsync, onSubmittedWorkDone, pipeline creation) from a
// callback it re-queues with setImmediate for as long as any of them is pending, which keeps
// a core spinning (platform.md pitfall 3): on a software adapter that core is taken from the
// kernel, which then runs up to twice as long. Dawn looks setImmediate up on the global object
// at every tick, so queueing its own callbacks on a short timer instead turns the spin into a
// gentle poll. Nothing else is affected: Dawn's callbacks are the only anonymous native
// functions passed without arguments (bound functions are named "bound ...").

/** Delay between two of Dawn's event polls while a promise is pending. */
export const DAWN_POLL_MS = 1;

let installed = false;

function isDawnTick(callback: unknown, args: readonly unknown[]): boolean {
  return (
    typeof callback === 'function' &&
    args.length === 0 &&
    callback.name === '' &&
    Function.prototype.toString.call(callback).includes('[native code]')
  );
}

/** Install the gentle poll once per process (a no-op where there is no setImmediate, as in browsers). */
export function installGentleDawnPolling(): void {
  if (installed || typeof globalThis.setImmediate !== 'function') return;
  installed = true;
  const immediate = globalThis.setImmediate;
  const gentle = function setImmediate(callback: (...args: unknown[]) => void, ...args: unknown[]) {
    if (isDawnTick(callback, args)) return setTimeout(callback, DAWN_POLL_MS) as unknown as NodeJS.Immediate;
    return immediate(callback, ...args);
  };
  // Keeps setImmediate.__promisify__ and the like working for everyone else.
  Object.assign(gentle, immediate);
  globalThis.setImmediate = gentle as typeof globalThis.setImmediate;
}
