// The sero-miner command line.
import { Command } from 'commander';
import { VERSION } from '../util/version.js';
import { EXIT_CODES, exitCodeOf } from './exit-codes.js';
import { withDefaultCommand } from './default-command.js';
import { attachToRelay } from './terminal.js';
import { register as registerDevnet } from './devnet.js';
import { register as registerEpoch } from './epoch.js';
import { register as registerHash } from './hash.js';
import { register as registerLedger } from './ledger.js';
import { register as registerSearch } from './search.js';
import { register as registerBench } from './bench.js';
import { register as registerMine } from './mine.js';
import { register as registerDevices } from './devices.js';
import { register as registerWeb } from './web.js';
import { register as registerFarmStats } from './farm-stats.js';

export function buildProgram(): Command {
  const program = new Command('sero-miner')
    .description('SERO miner: ProgPoW 0.9.2 on WebGPU and WASM, vote-aware')
    .version(VERSION)
    .showHelpAfterError(false)
    // the error and commander's "(Did you mean …?)", without the usage text after them
    .configureOutput({ outputError: (text, write) => write(`${text.split('\n').filter((line) => /^error:|^\(Did you mean/.test(line)).join('\n')}\n`) });
  registerEpoch(program);
  registerHash(program);
  registerMine(program);
  registerLedger(program);
  registerSearch(program);
  registerBench(program);
  registerDevnet(program);
  registerDevices(program);
  registerWeb(program);
  registerFarmStats(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  attachToRelay();
  process.on('uncaughtException', (err) => {
    console.error(`error: unexpected: ${err.stack ?? err.message}`);
    process.exit(EXIT_CODES.internal);
  });
  try {
    await buildProgram().parseAsync(withDefaultCommand(argv));
  } catch (err) {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = exitCodeOf(err);
  }
}
