// One JSON line per benchmark figure, with the load it was measured under.
import { loadavg } from 'node:os';

export const args = new Set(process.argv.slice(2));
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
export const results: Record<string, unknown> = {};

export function report(name: string, figures: Record<string, unknown>): void {
  const row = { name, ...figures, loadavg1: Number(loadavg()[0]!.toFixed(2)) };
  results[name] = row;
  console.log(JSON.stringify(row));
}
