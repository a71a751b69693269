// `sero-miner epoch`: a block's epoch, seed hash, cache and dataset size.
import type { Command } from 'commander';
import { dagSpecForBlock } from '../pow/epoch.js';
import { bytesTo0x } from '../util/hex.js';
import { blockArg } from './args.js';

export function register(program: Command): void {
  program
    .command('epoch')
    .description('Ethash epoch parameters for a block')
    .requiredOption('--block <n>', 'block number (decimal or 0x hex)', blockArg)
    .option('--json', 'print JSON')
    .action((opts: { block: number; json?: boolean }) => {
      const spec = dagSpecForBlock(opts.block);
      const out = { epoch: spec.epoch, seedHash: bytesTo0x(spec.seedHash), cacheSize: spec.cacheSize, datasetSize: spec.datasetSize };
      if (opts.json) console.log(JSON.stringify(out));
      else console.log(`epoch ${out.epoch}\nseed hash ${out.seedHash}\ncache ${out.cacheSize} bytes\ndataset ${out.datasetSize} bytes`);
    });
}
