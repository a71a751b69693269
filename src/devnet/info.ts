// The values in force, printed at start and answered by devnet_info.
import { formatSero } from '../util/sero-amount.js';
import type { DagMode } from '../pow/epoch.js';
import { describeProfile } from '../chain/profile-summary.js';
import type { RetargetRule } from './chain/difficulty.js';
import type { DevnetNode } from './node.js';
import type { WorkBook } from './work-book.js';

export interface DevnetEndpoints {
  /** stratum1+tcp://host:port */
  readonly stratum: string;
  readonly stratumTls?: string;
  readonly stratumWs?: string;
  readonly stratumWss?: string;
  /** Node JSON-RPC over HTTP. */
  readonly rpc: string;
  /** The same JSON-RPC over WebSocket (newHeads subscriptions). */
  readonly ws: string;
  /** The browser miner page served beside the devnet (`--web`, cli/devnet-page.ts). */
  readonly web?: string;
}

export interface InfoSources {
  readonly node: DevnetNode;
  readonly work: WorkBook;
  readonly retarget: RetargetRule;
  readonly dagMode: DagMode;
  readonly datadir: string | null;
  readonly endpoints: DevnetEndpoints;
  readonly accountVoteLatencyMs: readonly [number, number];
}

export function devnetInfo(sources: InfoSources): Record<string, unknown> {
  const { node, work, retarget } = sources;
  const { chain, stake, population } = node.state;
  const template = node.currentTemplate;
  const config = population.config;
  return {
    profile: describeProfile(stake.profile),
    chain: {
      firstHeight: Number(chain.genesis.header.number) + 1,
      head: chain.headHeight,
      headHash: chain.headHash,
      nextHeight: stake.nextHeight,
      dag: sources.dagMode,
      blockTimeSeconds: retarget.blockTimeSeconds,
      difficultyQuotient: retarget.quotient.toString(),
      minimumDifficulty: retarget.minimumDifficulty.toString(),
      difficulty: template?.difficulty.toString() ?? null,
      shareDifficulty: template === undefined ? null : work.shareDifficulty(template).toString(),
      reportedHashrate: node.reportedHashrate().toString(),
      datadir: sources.datadir,
    },
    stake: {
      tickets: stake.ticketCount,
      ticketPriceSero: formatSero(stake.ticketPrice()),
      votesRequired: stake.votesRequired(),
      stakingNodes: stake.listNodes().length,
      pendingTransactions: node.state.mempool.length,
    },
    voters: {
      soloHolders: config.soloHolders,
      delegatingHolders: config.delegatingHolders,
      stakingNodes: config.stakingNodes,
      soloOnlineProbability: config.soloOnlineProbability,
      nodeOnlineProbability: config.nodeOnlineProbability,
      soloLatencyMs: [...config.soloLatencyMs],
      nodeLatencyMs: [...config.nodeLatencyMs],
      accountVoteLatencyMs: [...sources.accountVoteLatencyMs],
    },
    endpoints: sources.endpoints,
  };
}

/** Human-readable lines of the same values for the start-up banner. */
export function describeInfo(info: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [section, values] of Object.entries(info)) {
    if (values === null || typeof values !== 'object') continue;
    lines.push(`${section}: ${Object.entries(values as Record<string, unknown>).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('..') : String(value)}`).join(', ')}`);
  }
  return lines;
}
