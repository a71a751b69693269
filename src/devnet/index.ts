// The embedded SERO devnet: a single-node chain from height 940410 up with the PoS vote
// layer, served as a stratum1 pool (TCP, TLS, WebSocket) and as a node JSON-RPC (HTTP + WS).
import type { DagMode } from '../pow/epoch.js';
import path from 'node:path';
import type { TlsServerCredentials } from '../net/server/line-listener.js';
import { stderrLogger, withPrefix, type Logger } from '../util/log.js';
import { RequestGuard } from '../net/server/http-guard.js';
import { JsonRpcServer } from '../net/server/rpc/server.js';
import { TOKEN_FILE_NAME, checkToken, loadOrCreateToken } from '../net/server/rpc/token-file.js';
import { StratumServer, stratumWebSocketGuard, type StratumLimits } from '../net/server/stratum/server.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../chain/forks.js';
import { DEFAULT_PROFILE, type ProfileName } from '../chain/profile.js';
import { AccountVoter } from './account-voter.js';
import { DEFAULT_BLOCK_TIME_SECONDS, DEVNET_DIFFICULTY_QUOTIENT, validateRule, type RetargetRule } from './chain/difficulty.js';
import { MiningClock } from './chain/mining-clock.js';
import { coinbaseFor } from './chain/template.js';
import { describeInfo, devnetInfo, type DevnetEndpoints } from './info.js';
import { DevnetNode } from './node.js';
import { checkFirstHeight, openDevnetState } from './open-state.js';
import { PowVerifier } from './pow-verifier.js';
import { registerDevnetMethods } from './rpc-methods.js';
import { DEFAULT_POPULATION, type PopulationConfig } from './stake/population.js';
import { DevnetStore } from './store.js';
import { selfSignedCertificate } from './tls.js';
import { WorkBook } from './work-book.js';
import { isSeroAddress } from '../util/base58.js';
import { uriHost } from '../net/wire/uri.js';

export type { DevnetEndpoints } from './info.js';
export type { DevnetNode } from './node.js';
export type { DevnetEvents, CandidateInfo } from './events.js';

export interface DevnetOptions {
  /** Interface the stratum endpoints listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Interface the node JSON-RPC listens on (default 127.0.0.1, whatever `host` is). */
  readonly rpcHost?: string;
  /** Host names the RPC answers besides IP addresses (default: localhost; "*" any). */
  readonly rpcVhosts?: readonly string[];
  /** Origins whose pages may call the RPC (default: none). */
  readonly rpcCors?: readonly string[];
  /** Token for the state-changing RPC methods; default: the one in <datadir>/rpc-token, created when missing. */
  readonly rpcToken?: string;
  /** Connection caps, login deadline and bans of the stratum endpoints. */
  readonly stratumLimits?: StratumLimits;
  /** 0 (the default) picks a free port. */
  readonly stratumPort?: number;
  /** stratum1+tls endpoint; null turns it off. Default: a free port. */
  readonly stratumTlsPort?: number | null;
  /** stratum1+ws endpoint; null turns it off. Default: a free port. */
  readonly stratumWsPort?: number | null;
  /** stratum1+wss endpoint; off unless a port is given. */
  readonly stratumWssPort?: number | null;
  readonly rpcPort?: number;
  /** The browser miner page served beside the devnet (cli/devnet-page.ts): listed among its endpoints. */
  readonly pageUrl?: string;
  /** Origins whose pages may connect to the stratum WebSocket endpoints (the page served beside it is one). */
  readonly stratumWsOrigins?: readonly string[];
  /** Key and certificate of the TLS endpoints; a self-signed one is made when absent. */
  readonly tls?: TlsServerCredentials;
  readonly profile?: ProfileName;
  /** Default 'small' (the CPU-friendly DAG the miner embeds); `sero-miner devnet` uses 'full'. */
  readonly dag?: DagMode;
  /** Chain and stake state live here and survive restarts; without it, in a temporary directory. */
  readonly datadir?: string;
  /** Height of the first mined block, at least the ProgPoW activation height (the default). */
  readonly startHeight?: number;
  readonly blockTimeSeconds?: number;
  /** Difficulty of the first block; about hashrate × a few seconds (default 10,000). */
  readonly initialDifficulty?: bigint;
  /** Floor of the retarget (default 1,000, or the initial difficulty when that is lower). */
  readonly minimumDifficulty?: bigint;
  readonly difficultyQuotient?: bigint;
  /** Fixed pool share difficulty (default: block difficulty / 8). */
  readonly shareDifficulty?: bigint;
  /** How long a block candidate waits for its votes (default: the profile's, 5 minutes). */
  readonly voteWindowMs?: number;
  /** seed only: block reward R, a multiple of 24 ta (default 72 SERO). */
  readonly blockReward?: bigint;
  /** Chance each simulated voter is online for a lottery (sets solo holders and StakingNodes alike). */
  readonly voterOnlineProbability?: number;
  /** Delay range of every simulated vote, in ms. */
  readonly voteLatencyMs?: readonly [number, number];
  /** Finer control of the simulated population; wins over the two options above. */
  readonly population?: Partial<PopulationConfig>;
  /** Account credited for getwork solutions that name none (default "devnet-miner"). */
  readonly coinbase?: string;
  /** Close stratum connections after an error reply, as the official pool does (default true). */
  readonly closeOnError?: boolean;
  /** Offer the block-vote extension to miners that ask (default true); false makes the pool plain stratum1, like the official pool. */
  readonly voteNotices?: boolean;
  /** Logins must be base58 SERO addresses (64-byte PK or 96-byte PKr), as the official pool demands. */
  readonly strictLogin?: boolean;
  /** Rebuild the pending work this often with a new timestamp, as a node recommits (default 3 s; 0 turns it off). */
  readonly recommitSeconds?: number;
  readonly logger?: Logger;
}

export interface Devnet {
  readonly endpoints: DevnetEndpoints;
  readonly node: DevnetNode;
  /** Where the chain is stored. */
  readonly location: string;
  /** What the state-changing RPC methods require (`Authorization: Bearer <token>`). */
  readonly rpcToken: string;
  /** The file holding it; null when it was given as an option. */
  readonly rpcTokenFile: string | null;
  /** Lets pages of `origin` use the stratum WebSocket and the RPC (a page the devnet serves itself). */
  allowOrigin(origin: string): void;
  /** The values in force (what devnet_info answers). */
  info(): Record<string, unknown>;
  close(): Promise<void>;
}

export const DEFAULT_START_HEIGHT = PROGPOW_ACTIVATION_HEIGHT;
export const DEFAULT_INITIAL_DIFFICULTY = 10_000n;
export const DEFAULT_MINIMUM_DIFFICULTY = 1_000n;
/** The CPU-friendly DAG the miner embeds; `sero-miner devnet` asks for 'full'. */
export const DEFAULT_DEVNET_DAG: DagMode = 'small';
/** Pool account whose coinbase every template carries. */
const POOL_ACCOUNT = 'devnet-pool';

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const logger = options.logger ?? stderrLogger;
  const log = withPrefix(logger, '[devnet]');
  const dagMode = options.dag ?? DEFAULT_DEVNET_DAG;
  const firstHeight = options.startHeight ?? DEFAULT_START_HEIGHT;
  checkFirstHeight(firstHeight);
  const initialDifficulty = options.initialDifficulty ?? DEFAULT_INITIAL_DIFFICULTY;
  const retarget: RetargetRule = {
    blockTimeSeconds: options.blockTimeSeconds ?? DEFAULT_BLOCK_TIME_SECONDS,
    quotient: options.difficultyQuotient ?? DEVNET_DIFFICULTY_QUOTIENT,
    // An initial difficulty below the default floor lowers the floor with it.
    minimumDifficulty: options.minimumDifficulty ?? (initialDifficulty < DEFAULT_MINIMUM_DIFFICULTY ? initialDifficulty : DEFAULT_MINIMUM_DIFFICULTY),
  };
  validateRule(retarget);
  if (initialDifficulty < retarget.minimumDifficulty) throw new RangeError(`initial difficulty ${initialDifficulty} is below the minimum ${retarget.minimumDifficulty}`);
  const population = populationConfig(options);
  const accountVoteLatencyMs = population.nodeLatencyMs ?? DEFAULT_POPULATION.nodeLatencyMs;

  const store = await DevnetStore.open(options.datadir);
  const cleanup: (() => Promise<void>)[] = [() => store.close()];
  const closeAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step().catch((err: unknown) => log('warn', `while closing: ${(err as Error).message}`));
  };
  try {
    const coinbase = coinbaseFor(POOL_ACCOUNT);
    const state = await openDevnetState(
      store,
      {
        profile: options.profile ?? DEFAULT_PROFILE,
        profileOptions: {
          ...(options.voteWindowMs !== undefined ? { voteWindowMs: options.voteWindowMs } : {}),
          ...(options.blockReward !== undefined ? { blockReward: options.blockReward } : {}),
        },
        ...(options.voteWindowMs !== undefined ? { voteWindowOverride: options.voteWindowMs } : {}),
        dagMode,
        firstHeight,
        initialDifficulty,
        blockTimeSeconds: retarget.blockTimeSeconds,
        population,
        populationSeed: `${options.profile ?? DEFAULT_PROFILE}:${firstHeight}`,
        coinbase,
      },
      Date.now(),
      log,
    );
    const verifier = new PowVerifier(dagMode);
    // The first share should not wait for the light cache (seconds on the full DAG).
    await verifier.hasherFor(state.stake.nextHeight);
    const work = new WorkBook({ retarget, shareDifficulty: options.shareDifficulty, coinbase, recommitMs: options.recommitSeconds === undefined ? undefined : options.recommitSeconds * 1000, clock: new MiningClock() });
    const node = new DevnetNode({ state, store, verifier, work, accountVoter: new AccountVoter(accountVoteLatencyMs), defaultFinder: options.coinbase ?? 'devnet-miner', logger: log });
    cleanup.push(() => node.close());
    node.start();

    const host = options.host ?? '127.0.0.1';
    const stratumGuard = stratumWebSocketGuard(options.stratumWsOrigins);
    const stratum = new StratumServer({
      provider: node.poolProvider,
      logger: withPrefix(logger, '[pool]'),
      closeOnError: options.closeOnError,
      voteNotices: options.voteNotices,
      ...(options.strictLogin ? { validateLogin: isSeroAddress } : {}),
      limits: options.stratumLimits,
      webSocketGuard: stratumGuard,
    });
    cleanup.push(() => stratum.close());
    const rpcTokenFile = options.rpcToken === undefined ? path.join(path.dirname(store.location), TOKEN_FILE_NAME) : null;
    const rpcToken = rpcTokenFile === null ? checkToken(options.rpcToken!, 'rpcToken') : await loadOrCreateToken(rpcTokenFile);
    const rpcGuard = new RequestGuard({ vhosts: options.rpcVhosts, origins: options.rpcCors });
    const rpc = new JsonRpcServer({
      logger: withPrefix(logger, '[rpc]'),
      guard: rpcGuard,
      token: rpcToken,
      tokenHint: rpcTokenFile === null ? 'the token given with --rpc-token' : `the token is in ${rpcTokenFile}`,
    });
    let endpoints: DevnetEndpoints | undefined;
    const info = (): Record<string, unknown> => {
      if (endpoints === undefined) throw new Error('the devnet is still starting');
      return devnetInfo({ node, work, retarget, dagMode, datadir: options.datadir ?? null, endpoints, accountVoteLatencyMs });
    };
    const detach = registerDevnetMethods(rpc, { node, info });
    cleanup.push(async () => detach());
    cleanup.push(() => rpc.close());

    const tcp = await stratum.listen({ transport: 'tcp', host, port: options.stratumPort ?? 0 });
    const wantsTls = options.stratumTlsPort !== null || (options.stratumWssPort ?? null) !== null;
    const credentials = wantsTls ? (options.tls ?? (await selfSignedCertificate().catch((err: unknown) => {
      log('warn', `no TLS stratum endpoints: ${(err as Error).message}`);
      return undefined;
    }))) : undefined;
    const extra = async (transport: 'tls' | 'ws' | 'wss', port: number | null | undefined): Promise<string | undefined> => {
      if (port === null || port === undefined || (transport !== 'ws' && credentials === undefined)) return undefined;
      const endpoint = await stratum.listen({ transport, host, port, tls: credentials });
      return `stratum1+${transport}://${uriHost(endpoint.host)}:${endpoint.port}`;
    };
    const stratumTls = await extra('tls', options.stratumTlsPort === undefined ? 0 : options.stratumTlsPort);
    const stratumWs = await extra('ws', options.stratumWsPort === undefined ? 0 : options.stratumWsPort);
    const stratumWss = await extra('wss', options.stratumWssPort);
    const rpcEndpoint = await rpc.listen({ host: options.rpcHost ?? '127.0.0.1', port: options.rpcPort ?? 0 });

    endpoints = {
      stratum: `stratum1+tcp://${uriHost(tcp.host)}:${tcp.port}`,
      ...(stratumTls ? { stratumTls } : {}),
      ...(stratumWs ? { stratumWs } : {}),
      ...(stratumWss ? { stratumWss } : {}),
      rpc: `http://${uriHost(rpcEndpoint.host)}:${rpcEndpoint.port}`,
      ws: `ws://${uriHost(rpcEndpoint.host)}:${rpcEndpoint.port}`,
      ...(options.pageUrl ? { web: options.pageUrl } : {}),
    };
    for (const line of describeInfo(info())) log('info', line);

    let closing: Promise<void> | undefined;
    return {
      endpoints,
      node,
      location: store.location,
      rpcToken,
      rpcTokenFile,
      allowOrigin: (origin) => {
        stratumGuard.allowOrigin(origin);
        rpcGuard.allowOrigin(origin);
      },
      info,
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** The simulated population: defaults, then the two shorthand options, then explicit settings. */
function populationConfig(options: DevnetOptions): Partial<PopulationConfig> {
  const shorthand: Partial<PopulationConfig> = {};
  if (options.voterOnlineProbability !== undefined) {
    shorthand.soloOnlineProbability = options.voterOnlineProbability;
    shorthand.nodeOnlineProbability = options.voterOnlineProbability;
  }
  if (options.voteLatencyMs !== undefined) {
    shorthand.soloLatencyMs = options.voteLatencyMs;
    shorthand.nodeLatencyMs = options.voteLatencyMs;
  }
  return { ...shorthand, ...options.population };
}

