// No work in a background tab unless the visitor asked for it (Page Visibility): when the tab
// is hidden a benchmark stops (its figures would be wrong anyway) and mining pauses, to go on
// when the tab is shown again.
import type { BenchMode } from './bench-mode.js';
import type { MineMode } from './mine-mode.js';
import type { Settings } from './settings.js';

export function guardBackgroundWork(settings: Settings, bench: BenchMode, mine: MineMode): void {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      void mine.resume();
      return;
    }
    if (settings.keepWorkingInBackground) return;
    bench.stop('stopped: the tab went to the background (Settings can allow that)');
    void mine.pause();
  });
}
