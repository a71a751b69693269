// `sero-miner hash`: the ProgPoW light evaluation of one nonce, on WASM or the TypeScript reference.
import { Option, type Command } from 'commander';
import { dagSpecForBlock, type DagMode } from '../pow/epoch.js';
import { bytesTo0x } from '../util/hex.js';
import { createLightHash } from '../backends/light-hasher.js';
import { addJobOptions, dagOption, nonceArg } from './args.js';

interface HashOptions {
  block: number;
  header: Uint8Array;
  nonce: bigint;
  dag: DagMode;
  backend: 'wasm' | 'reference';
  json?: boolean;
}

export function register(program: Command): void {
  addJobOptions(program.command('hash').description('ProgPoW 0.9.2 light evaluation of one nonce'))
    .requiredOption('--nonce <nonce>', 'nonce, 0x + 16 hex', nonceArg)
    .addOption(dagOption())
    .addOption(new Option('--backend <name>', 'wasm, or reference (the TypeScript reference)').choices(['wasm', 'reference']).default('wasm'))
    .option('--json', 'print JSON')
    .action((opts: HashOptions) => {
      const spec = dagSpecForBlock(opts.block, opts.dag);
      const result = createLightHash(spec, undefined, opts.backend)(opts.header, opts.nonce, opts.block);
      const out = { mixDigest: bytesTo0x(result.mixDigest), finalHash: bytesTo0x(result.finalHash) };
      if (opts.json) console.log(JSON.stringify(out));
      else console.log(`mix digest ${out.mixDigest}\nfinal hash ${out.finalHash}`);
    });
}
