// The process's open-file limit, so servers can size their connection caps below it and keep
// descriptors for the store, the DAG file and each other (a full table closes everyone).
import { readFileSync } from 'node:fs';

let cached: number | null | undefined;

/** The soft RLIMIT_NOFILE (Linux, from /proc/self/limits); undefined where it cannot be read or is unlimited. */
export function openFileLimit(): number | undefined {
  if (cached === undefined) {
    cached = null;
    try {
      const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
      if (match && match[1] !== 'unlimited') cached = Number(match[1]);
    } catch {
      // not Linux: no limit known
    }
  }
  return cached ?? undefined;
}

/**
 * A connection cap taking `share` of the descriptors left after a reserve for everything else
 * (64 plus an eighth of the limit), at most `ceiling`, at least 8.
 */
export function connectionCap(share: number, ceiling: number, limit = openFileLimit()): number {
  if (limit === undefined) return ceiling;
  const usable = limit - 64 - Math.floor(limit / 8);
  return Math.max(8, Math.min(ceiling, Math.floor(usable * share)));
}
