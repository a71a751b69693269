// What the server tells the page about its defaults (/config.json): the pools to mine against,
// their DAG mode and chain rules, and who serves the page. Parsed defensively on the page.
import type { DagMode } from '../../pow/epoch.js';
import { isProfileName, type ProfileName } from '../../chain/profile.js';
import { describePoolUri, parsePoolUri, type PoolUri } from '../../net/wire/uri.js';

export interface PageConfig {
  /** Pool URIs, failover order (stratum1+ws or stratum1+wss). */
  readonly pools: readonly string[];
  readonly dag?: DagMode;
  readonly profile?: ProfileName;
  /** 'devnet' when the devnet's --web serves the page beside its pool. */
  readonly servedBy: 'web' | 'devnet';
}

export const PAGE_CONFIG_PATH = '/config.json';

/** A config object from JSON; anything malformed is left out rather than trusted. */
export function parsePageConfig(value: unknown): PageConfig {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return {
    pools: Array.isArray(v.pools) ? v.pools.filter((p): p is string => typeof p === 'string').slice(0, 16) : [],
    ...(v.dag === 'full' || v.dag === 'small' ? { dag: v.dag } : {}),
    ...(typeof v.profile === 'string' && isProfileName(v.profile) ? { profile: v.profile } : {}),
    servedBy: v.servedBy === 'devnet' ? 'devnet' : 'web',
  };
}

/** Pool URIs a browser can mine against: stratum1+ws or stratum1+wss, since a page opens no sockets. */
export function parseBrowserPools(texts: readonly string[]): PoolUri[] {
  const given = texts.map((text) => text.trim()).filter((text) => text !== '');
  if (given.length === 0) throw new Error('give a pool: stratum1+ws://… or stratum1+wss://…');
  return given.map((text) => {
    const uri = parsePoolUri(text);
    if (uri.transport !== 'ws' && uri.transport !== 'wss') {
      throw new Error(`${describePoolUri(uri)}: a browser reaches pools only over WebSocket; use stratum1+ws:// or stratum1+wss://`);
    }
    return uri;
  });
}
