// One backend's card in the benchmark: device, state line, DAG build progress, hash rate and
// the figures of its report.
import { formatHashrate } from '../../miner/status-line.js';
import { byId, element } from './dom.js';

export type CardState = 'idle' | 'running' | 'done' | 'failed' | 'unavailable' | 'stopped';

export class BackendCard {
  private readonly root: HTMLElement;

  constructor(id: string) {
    this.root = byId(id);
  }

  get state(): CardState {
    return this.root.dataset.state as CardState;
  }

  get stateText(): string {
    return this.part('.state').textContent ?? '';
  }

  reset(): void {
    this.setState('idle', 'not run yet');
    this.setProgress(undefined);
    this.setRate(undefined);
    this.setDetails([]);
  }

  setDevice(name: string): void {
    this.part('.device').textContent = name;
  }

  setState(state: CardState, text: string): void {
    this.root.dataset.state = state;
    this.part('.state').textContent = text;
  }

  /** A fraction 0..1 shows the bar; undefined hides it. */
  setProgress(fraction: number | undefined): void {
    const bar = this.part('.progress');
    bar.hidden = fraction === undefined;
    (bar.firstElementChild as HTMLElement).style.width = `${Math.round(Math.min(1, Math.max(0, fraction ?? 0)) * 100)}%`;
  }

  setRate(hashesPerSecond: number | undefined): void {
    const [value, unit] = hashesPerSecond === undefined ? ['–', ''] : formatHashrate(hashesPerSecond).split(' ');
    this.part('.rate .value').textContent = value!;
    this.part('.rate .unit').textContent = unit ?? '';
  }

  setDetails(pairs: readonly (readonly [string, string])[]): void {
    this.part('.details').replaceChildren(...pairs.flatMap(([term, value]) => [element('dt', '', term), element('dd', '', value)]));
  }

  private part(selector: string): HTMLElement {
    return this.root.querySelector<HTMLElement>(selector)!;
  }
}
