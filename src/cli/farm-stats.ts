// `sero-miner farm-stats hiveos|mmpos`: reads a running miner's /api/status and prints what the
// farm OS's agent wants: for HiveOS two lines, $khs then $stats (h-stats.sh reads them with
// `read`), for mmpOS one JSON object. Exits 2, printing nothing, when the miner does not answer.
import { InvalidArgumentError, type Command } from 'commander';
import { hiveosStats, mmposStats, type FarmStatusInput } from '../farm/farm-stats.js';
import { ExitError, EXIT_CODES } from './exit-codes.js';
import { portArg, positiveIntArg } from './args.js';

const FORMATS = ['hiveos', 'mmpos'] as const;
type FarmFormat = (typeof FORMATS)[number];

export function register(program: Command): void {
  program
    .command('farm-stats')
    .description('print a running miner\'s stats as a farm OS reads them (HiveOS h-stats.sh, mmpOS mmp-stats.sh)')
    .argument('<format>', FORMATS.join(' or '), (value: string): FarmFormat => {
      if (!(FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected ${FORMATS.join(' or ')}, got ${JSON.stringify(value)}`);
      return value as FarmFormat;
    })
    .option('--api-port <port>', 'the miner\'s --api-port (read-only or not)', (v: string) => portArg(v.replace(/^-/, '')), 3338)
    .option('--api-host <address>', 'where the miner\'s API listens', '127.0.0.1')
    .option('--timeout <s>', 'how long to wait for the miner, in seconds', positiveIntArg, 5)
    .action(async (format: FarmFormat, opts: { apiPort: number; apiHost: string; timeout: number }) => {
      const host = opts.apiHost.includes(':') ? `[${opts.apiHost}]` : opts.apiHost;
      let status: FarmStatusInput;
      try {
        const response = await fetch(`http://${host}:${opts.apiPort}/api/status`, { signal: AbortSignal.timeout(opts.timeout * 1000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        status = (await response.json()) as FarmStatusInput;
      } catch (err) {
        throw new ExitError(`no answer from the miner's API at ${host}:${opts.apiPort}: ${(err as Error).message}`, EXIT_CODES.runtime);
      }
      if (format === 'mmpos') {
        console.log(JSON.stringify(mmposStats(status)));
        return;
      }
      const { khs, stats } = hiveosStats(status);
      console.log(`${khs}\n${JSON.stringify(stats)}`);
    });
}
