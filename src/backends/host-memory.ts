// Whether the host has room for another DAG: a backend's twin, which builds the next epoch's
// DAG while the current one is searched, is only opened when it does.
import { freemem } from 'node:os';

/** Memory left over for everything else once the twin's DAG is built. */
export const HOST_MEMORY_HEADROOM = 2 ** 30;

/** Whether `bytes` more fit in the memory the host has available now, with the headroom to spare. */
export function hostHasRoomFor(bytes: number, available = freemem()): boolean {
  return available >= bytes + HOST_MEMORY_HEADROOM;
}
