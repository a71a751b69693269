// `sero-miner search`: every solution of a nonce range, for checking backends against each
// other and the reference from the command line.
import { InvalidArgumentError, type Command } from 'commander';
import { dagSpecForBlock, type DagMode, type DagSpec } from '../pow/epoch.js';
import type { SearchBackend } from '../backends/backend.js';
import { searchReport } from '../backends/search-report.js';
import { BACKEND_CHOICES, selectBackend } from '../backends/select.js';
import { ReferenceBackend } from '../backends/reference/index.js';
import { createProgressBar } from '../util/progress.js';
import type { Logger } from '../util/log.js';
import { addJobOptions, dagOption, positiveIntArg, targetArg, u64Arg } from './args.js';

/** The miner's backends plus the TypeScript reference, the yardstick to compare them with. */
export const SEARCH_BACKENDS = [...BACKEND_CHOICES, 'reference'] as const;
export type SearchBackendName = (typeof SEARCH_BACKENDS)[number];

export function searchBackendArg(value: string): SearchBackendName {
  if (!(SEARCH_BACKENDS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${SEARCH_BACKENDS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as SearchBackendName;
}

export type PlacementChoice = 'auto' | 'wasm' | 'split' | 'external';

export function placementArg(value: string): PlacementChoice {
  if (value !== 'auto' && value !== 'wasm' && value !== 'split' && value !== 'external') {
    throw new InvalidArgumentError(`expected auto, wasm, split or external, got ${JSON.stringify(value)}`);
  }
  return value;
}

export interface SearchBackendChoice {
  readonly backend: SearchBackendName;
  readonly threads?: number;
  readonly dagDir?: string;
  readonly placement?: PlacementChoice;
}

export async function openSearchBackend(choice: SearchBackendChoice): Promise<SearchBackend> {
  if (choice.backend === 'reference') return new ReferenceBackend();
  const log: Logger = (_level, message) => process.stderr.write(`${message}\n`);
  return selectBackend({
    backend: choice.backend,
    wasm: { threads: choice.threads, dagDir: choice.dagDir, placement: choice.placement, log },
    log,
  });
}

/** Makes the DAG resident, with a progress bar on stderr while it builds. */
export async function prepareWithProgress(backend: SearchBackend, spec: DagSpec): Promise<void> {
  const bar = createProgressBar(`DAG epoch ${spec.epoch} (${spec.mode})`, { quietMs: 2000 });
  let shown = false;
  await backend.prepare(spec, (p) => {
    shown = true;
    bar.update(p.done, p.total);
  });
  if (shown) bar.finish();
}

interface SearchOptions {
  block: number;
  header: Uint8Array;
  target: bigint;
  start: bigint;
  count: number;
  dag: DagMode;
  backend: SearchBackendName;
  threads?: number;
  dagDir?: string;
  placement?: PlacementChoice;
  json?: boolean;
}

export function register(program: Command): void {
  addJobOptions(program.command('search').description('hash a nonce range and print every solution at or below the target, in nonce order'))
    .requiredOption('--target <target>', 'target, 0x + 64 hex (solutions have final hash <= target)', targetArg)
    .requiredOption('--start <u64>', 'first nonce (decimal or 0x hex)', u64Arg)
    .requiredOption('--count <n>', 'number of nonces', positiveIntArg)
    .addOption(dagOption())
    .option('--backend <name>', `search backend: ${SEARCH_BACKENDS.join(', ')}`, searchBackendArg, 'auto')
    .option('--threads <t>', 'worker threads (wasm; default: every core)', positiveIntArg)
    .option('--dag-dir <dir>', 'DAG file cache directory (wasm)')
    .option('--placement <where>', 'DAG placement (wasm): auto, wasm, split or external (split/external: part or all outside wasm memory)', placementArg, 'auto')
    .option('--json', 'print JSON')
    .action(async (opts: SearchOptions) => {
      const spec = dagSpecForBlock(opts.block, opts.dag);
      const backend = await openSearchBackend(opts);
      try {
        await prepareWithProgress(backend, spec);
        const started = performance.now();
        const result = await backend.search({ headerHash: opts.header, height: opts.block, target: opts.target }, opts.start, opts.count);
        const report = searchReport(result, (performance.now() - started) / 1000);
        if (opts.json) {
          console.log(JSON.stringify(report));
        } else {
          for (const s of report.solutions) console.log(`nonce ${s.nonce} mix digest ${s.mixDigest} final hash ${s.finalHash}`);
          console.log(`${report.solutions.length} solution(s) in ${report.hashes} hashes, ${report.seconds.toFixed(2)} s`);
        }
      } finally {
        await backend.close();
      }
    });
}
