// How the devices of a rig build their DAGs: one after another (the default, so a rig's host
// memory holds one build's working set at a time) or all at once, as serominer's -L chooses.
import type { DagStage } from './search-loop.js';

export type DagLoadMode = 'parallel' | 'sequential';

export function dagStage(mode: DagLoadMode): DagStage {
  if (mode === 'parallel') return (build) => build();
  let queue: Promise<unknown> = Promise.resolve();
  return (build) => {
    const run = queue.then(build);
    queue = run.catch(() => undefined);
    return run;
  };
}
