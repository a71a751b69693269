// `sero-miner devnet`: runs the embedded SERO devnet until Ctrl-C / SIGTERM.
import net from 'node:net';
import { InvalidArgumentError, type Command } from 'commander';
import type { DagMode } from '../pow/epoch.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../chain/forks.js';
import { DEFAULT_PROFILE, DEFAULT_VOTE_WINDOW_MS, isProfileName, type ProfileName } from '../chain/profile.js';
import { DEFAULT_START_HEIGHT } from '../devnet/index.js';
import { loadCertificate } from '../devnet/tls.js';
import { splitList } from '../net/server/http-guard.js';
import { checkToken } from '../net/server/rpc/token-file.js';
import { dagModeArg, originsArg, portArg, positiveIntArg, wrap } from './args.js';
import { startDevnetWithPage, type DevnetWithPageOptions } from './devnet-page.js';

interface DevnetCliOptions {
  host: string;
  stratumPort: number;
  stratumTlsPort?: number;
  stratumWsPort?: number;
  stratumWssPort?: number;
  stratumTls: boolean;
  stratumWs: boolean;
  tlsCert?: string;
  tlsKey?: string;
  rpcPort: number;
  web?: boolean;
  webPort?: number;
  rpcHost: string;
  rpcVhosts: string[];
  rpcCors: string[];
  rpcToken?: string;
  stratumWsOrigins: string[];
  stratumMaxConns?: number;
  stratumMaxConnsPerIp: number;
  stratumLimitLoopback?: boolean;
  stratumLoginTimeout: number;
  stratumBanSeconds: number;
  stratumBanLoopback?: boolean;
  stratumBanWhitelist: string[];
  profile: ProfileName;
  dag: DagMode;
  datadir?: string;
  startHeight: number;
  blockTime: number;
  difficulty?: bigint;
  minDifficulty?: bigint;
  shareDifficulty?: bigint;
  voteWindow?: number;
  votersOnline?: number;
  voteLatency?: [number, number];
  coinbase?: string;
  voteNotices: boolean;
  strictLogin?: boolean;
  recommit: number;
  json?: boolean;
}

function invalid(message: string): never {
  throw new InvalidArgumentError(message);
}

const difficultyArg = (value: string): bigint => {
  if (!/^[0-9]{1,30}$/.test(value) || BigInt(value) < 2n) invalid(`expected a difficulty >= 2, got ${JSON.stringify(value)}`);
  return BigInt(value);
};
const heightArg = (value: string): number => {
  if (!/^[0-9]{1,16}$/.test(value)) invalid(`expected a block height, got ${JSON.stringify(value)}`);
  return Number(value);
};
const profileArg = (value: string): ProfileName => (isProfileName(value) ? value : invalid(`expected seed or mainnet, got ${JSON.stringify(value)}`));
const probabilityArg = (value: string): number => {
  const p = Number(value);
  if (value.trim() === '' || !(p >= 0 && p <= 1)) invalid(`expected a probability 0..1, got ${JSON.stringify(value)}`);
  return p;
};
const nonNegativeSecondsArg = (value: string): number => {
  const s = Number(value);
  if (value.trim() === '' || !(s >= 0) || !Number.isFinite(s)) invalid(`expected a number of seconds >= 0, got ${JSON.stringify(value)}`);
  return s;
};
const secondsArg = (value: string): number => {
  const s = Number(value);
  if (value.trim() === '' || !(s > 0) || !Number.isFinite(s)) invalid(`expected a positive number of seconds, got ${JSON.stringify(value)}`);
  return s;
};
/** "300" or "100-2000" (ms). */
const latencyArg = (value: string): [number, number] => {
  const match = /^([0-9]{1,7})(?:-([0-9]{1,7}))?$/.exec(value);
  if (!match) invalid(`expected milliseconds or a range like 100-2000, got ${JSON.stringify(value)}`);
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  if (high < low) invalid(`latency range ${value} runs backwards`);
  return [low, high];
};

/** "a,b,c" → names (geth's --http.vhosts form). */
const listArg = (value: string): string[] => splitList(value);
/** "10.0.0.5,::1" → IP addresses. */
const addressListArg = (value: string): string[] => {
  const addresses = splitList(value);
  const bad = addresses.find((a) => net.isIP(a) === 0);
  if (bad !== undefined) invalid(`expected comma-separated IP addresses, got ${JSON.stringify(bad)}`);
  return addresses;
};
const tokenArg = wrap((value) => checkToken(value, '--rpc-token'));
const countArg = (value: string): number => {
  if (!/^[0-9]{1,7}$/.test(value)) invalid(`expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
};

/** A secondary endpoint's port: explicit, else next to the stratum port (free ports stay free). */
function sidePort(explicit: number | undefined, enabled: boolean, stratumPort: number, offset: number): number | null {
  if (!enabled) return null;
  if (explicit !== undefined) return explicit;
  return stratumPort === 0 ? 0 : stratumPort + offset;
}

export function register(program: Command): void {
  program
    .command('devnet')
    .description('run the embedded SERO devnet: node, stratum1 pool and PoS share pool')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--stratum-port <port>', 'stratum1+tcp port (0: a free port)', portArg, 8008)
    .option('--stratum-tls-port <port>', 'stratum1+tls port (default: stratum port + 1)', portArg)
    .option('--stratum-ws-port <port>', 'stratum1+ws port (default: stratum port + 2)', portArg)
    .option('--stratum-wss-port <port>', 'stratum1+wss port (off unless given)', portArg)
    .option('--no-stratum-tls', 'no TLS stratum endpoint')
    .option('--no-stratum-ws', 'no WebSocket stratum endpoint')
    .option('--tls-cert <file>', 'PEM certificate for the TLS endpoints (default: a self-signed one)')
    .option('--tls-key <file>', 'PEM key for --tls-cert')
    .option('--rpc-port <port>', 'node JSON-RPC port, HTTP and WebSocket (0: a free port)', portArg, 8545)
    .option('--web', 'also serve the browser miner page, mining against this devnet over the stratum WebSocket')
    .option('--web-port <port>', 'port of the page (implies --web; default: stratum port + 3)', portArg)
    .option('--rpc-host <host>', 'interface the JSON-RPC listens on (not --host: the RPC stays on loopback unless asked)', '127.0.0.1')
    .option('--rpc-vhosts <names>', 'comma-separated host names the RPC answers besides IP addresses ("*": any)', listArg, ['localhost'])
    .option('--rpc-cors <origins>', 'comma-separated origins whose pages may call the RPC ("*": any; default none)', originsArg, [])
    .option('--rpc-token <token>', 'token the state-changing RPC methods require (default: <datadir>/rpc-token, created when missing)', tokenArg)
    .option('--stratum-ws-origins <origins>', 'comma-separated origins whose pages may use the stratum WebSocket (default none)', originsArg, [])
    .option('--stratum-max-conns <n>', 'stratum connections at once (default: from the open-file limit, at most 10000)', countArg)
    .option('--stratum-max-conns-per-ip <n>', 'stratum connections at once from one address, loopback exempt (0: no cap)', countArg, 256)
    .option('--stratum-limit-loopback', 'apply the per-address cap to loopback too')
    .option('--stratum-login-timeout <s>', 'close stratum connections not logged in after this long', secondsArg, 15)
    .option('--stratum-ban-seconds <s>', 'how long a misbehaving address is banned (invalid shares, malformed requests, socket flood; 0: no bans)', countArg, 600)
    .option('--stratum-ban-loopback', 'ban loopback addresses too (hostile-input tests); by default a local client only loses its connection')
    .option('--stratum-ban-whitelist <addresses>', 'comma-separated IP addresses never banned (the official pool\'s whitelist)', addressListArg, [])
    .option('--profile <name>', 'chain rules: seed or mainnet', profileArg, DEFAULT_PROFILE)
    .option('--dag <mode>', 'DAG sizes: full (the real epoch) or small', dagModeArg, 'full')
    .option('--datadir <dir>', 'keep chain and stake state here across restarts (default: a temporary directory)')
    .option('--start-height <n>', `height of the first block (>= ${PROGPOW_ACTIVATION_HEIGHT})`, heightArg, DEFAULT_START_HEIGHT)
    .option('--block-time <s>', 'target block time in whole seconds', positiveIntArg, 10)
    .option('--difficulty <n>', 'difficulty of the first block (default 10000)', difficultyArg)
    .option('--min-difficulty <n>', 'lowest difficulty the retarget may reach (default 1000, or --difficulty if lower)', difficultyArg)
    .option('--share-difficulty <n>', 'pool share difficulty (default: block difficulty / 8)', difficultyArg)
    .option('--vote-window <s>', `how long a found block waits for its votes (default: the profile's, ${DEFAULT_VOTE_WINDOW_MS[DEFAULT_PROFILE] / 1000})`, secondsArg)
    .option('--voters-online <p>', 'chance each simulated voter is online for a lottery', probabilityArg)
    .option('--vote-latency <ms>', 'delay of simulated votes: ms or a range min-max', latencyArg)
    .option('--coinbase <account>', 'account credited for getwork solutions that name none', 'devnet-miner')
    .option('--no-vote-notices', 'a plain stratum1 pool: no block-vote notices (sero-votes/1), like the official pool')
    .option('--strict-login', 'logins must be base58 SERO addresses (64-byte PK or 96-byte PKr), as the official pool demands')
    .option('--recommit <s>', 'rebuild the pending work with a new timestamp this often (0: only on a new height or difficulty)', nonNegativeSecondsArg, 3)
    .option('--json', 'print one JSON line naming every endpoint when ready')
    .action((opts: DevnetCliOptions) => runDevnet(opts));
}

async function runDevnet(opts: DevnetCliOptions): Promise<void> {
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new Error('--tls-cert and --tls-key go together');
  const options: DevnetWithPageOptions = {
    host: opts.host,
    stratumPort: opts.stratumPort,
    stratumTlsPort: sidePort(opts.stratumTlsPort, opts.stratumTls, opts.stratumPort, 1),
    stratumWsPort: sidePort(opts.stratumWsPort, opts.stratumWs, opts.stratumPort, 2),
    stratumWssPort: opts.stratumWssPort ?? null,
    rpcPort: opts.rpcPort,
    webPort: opts.web || opts.webPort !== undefined ? sidePort(opts.webPort, true, opts.stratumPort, 3) : null,
    rpcHost: opts.rpcHost,
    rpcVhosts: opts.rpcVhosts,
    rpcCors: opts.rpcCors,
    rpcToken: opts.rpcToken,
    stratumWsOrigins: opts.stratumWsOrigins,
    stratumLimits: {
      maxConnections: opts.stratumMaxConns,
      maxConnectionsPerAddress: opts.stratumMaxConnsPerIp,
      limitLoopback: opts.stratumLimitLoopback === true,
      loginTimeoutMs: Math.round(opts.stratumLoginTimeout * 1000),
      bans: { banMs: opts.stratumBanSeconds * 1000, banLoopback: opts.stratumBanLoopback === true, whitelist: opts.stratumBanWhitelist },
    },
    ...(opts.tlsCert && opts.tlsKey ? { tls: await loadCertificate(opts.tlsKey, opts.tlsCert) } : {}),
    profile: opts.profile,
    dag: opts.dag,
    datadir: opts.datadir,
    startHeight: opts.startHeight,
    blockTimeSeconds: opts.blockTime,
    initialDifficulty: opts.difficulty,
    minimumDifficulty: opts.minDifficulty,
    shareDifficulty: opts.shareDifficulty,
    voteWindowMs: opts.voteWindow === undefined ? undefined : Math.round(opts.voteWindow * 1000),
    voterOnlineProbability: opts.votersOnline,
    voteLatencyMs: opts.voteLatency,
    coinbase: opts.coinbase,
    voteNotices: opts.voteNotices,
    strictLogin: opts.strictLogin === true,
    recommitSeconds: opts.recommit,
  };
  const devnet = await startDevnetWithPage(options);
  const info = devnet.info() as { chain: { nextHeight: number } };
  const ready = { ...devnet.endpoints, profile: opts.profile, dag: opts.dag, height: info.chain.nextHeight, datadir: opts.datadir ?? null, rpcTokenFile: devnet.rpcTokenFile };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(ready)}\n`);
  } else {
    console.log(`SERO devnet (${opts.profile} rules, ${opts.dag} DAG) mining height ${ready.height}`);
    for (const [name, uri] of Object.entries(devnet.endpoints)) console.log(`  ${name.padEnd(10)} ${uri}`);
    console.log(`  stake and devnet writes need the RPC token${devnet.rpcTokenFile ? ` in ${devnet.rpcTokenFile}` : ''} (Authorization: Bearer <token>)`);
    console.log('Ctrl-C stops it.');
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A second signal while closing ends the process at once.
      process.once(signal, () => process.exit(1));
      process.stderr.write(`${signal}: shutting the devnet down\n`);
      devnet.close().then(resolve, (err: unknown) => {
        process.stderr.write(`error while closing the devnet: ${(err as Error).message}\n`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
