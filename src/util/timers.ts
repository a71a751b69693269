// Timers that must not keep a Node process alive. Browsers' timers are plain numbers without
// unref(), so code that runs in both goes through this helper instead of calling unref() itself.

/** Lets the process exit while the timer is pending (a no-op where timers cannot keep anything alive). */
export function unrefTimer<T>(timer: T): T {
  (timer as { unref?: () => unknown }).unref?.();
  return timer;
}
