// The pool of bench/sustained.ts: the embedded devnet in a process of its own, as a pool runs on
// another machine (its event loop never waits for the miner's, nor the miner's for it). Started
// with its options as JSON in argv[2] (bigints as strings), it sends its stratum endpoint over
// IPC; asked to stop, it answers with the CPU seconds it used and the chain's height.
import { startDevnet, type DevnetOptions } from '../src/devnet/index.js';
import { silentLogger } from '../src/util/log.js';

export interface SustainedDevnetSettings {
  readonly dag: 'small' | 'full';
  readonly startHeight: number;
  readonly difficulty: string;
  readonly shareDifficulty: string;
}

export type DevnetMessage =
  | { readonly type: 'ready'; readonly stratum: string }
  | { readonly type: 'stopped'; readonly cpuSeconds: number; readonly nextHeight: number };

const settings = JSON.parse(process.argv[2] ?? '{}') as SustainedDevnetSettings;
const difficulty = BigInt(settings.difficulty);
const options: DevnetOptions = {
  dag: settings.dag,
  startHeight: settings.startHeight,
  initialDifficulty: difficulty,
  minimumDifficulty: difficulty,
  // A fixed difficulty (one step a block is 1 in 2^62), so blocks come as a Poisson process at
  // the miner's rate; the long target block time keeps the retarget from ever stepping down.
  difficultyQuotient: 1n << 62n,
  blockTimeSeconds: 3600,
  shareDifficulty: BigInt(settings.shareDifficulty),
  // One job a block: no recommits with a new timestamp.
  recommitSeconds: 0,
  voterOnlineProbability: 1,
  voteLatencyMs: [5, 20],
  stratumTlsPort: null,
  stratumWsPort: null,
  logger: silentLogger,
};

const devnet = await startDevnet(options);
const send = (message: DevnetMessage) => process.send!(message);
send({ type: 'ready', stratum: devnet.endpoints.stratum });
// A bench that exits without stopping it (killed, timed out) takes its pool with it.
let stopping = false;
process.on('disconnect', () => {
  if (!stopping) void devnet.close().finally(() => process.exit(0));
});
process.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  stopping = true;
  void devnet.close().then(() => {
    const { user, system } = process.cpuUsage();
    send({ type: 'stopped', cpuSeconds: (user + system) / 1e6, nextHeight: devnet.node.state.stake.nextHeight });
    process.disconnect();
  });
});
