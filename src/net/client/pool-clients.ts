// The client for one pool, by its URI: getwork over HTTP polling, or stratum1 over a line transport.
import { GetworkClient, type GetworkClientOptions } from './getwork-client.js';
import type { PoolClient } from './pool-client.js';
import { StratumClient, type StratumClientOptions } from './stratum-client.js';
import type { PoolUri } from '../wire/uri.js';

/** Settings passed to every client the manager creates (the URI is filled in per pool). */
export type PoolClientSettings = Omit<StratumClientOptions, 'uri'> & Omit<GetworkClientOptions, 'uri'>;

export function createPoolClient(uri: PoolUri, settings: PoolClientSettings = {}): PoolClient {
  return uri.protocol === 'getwork' ? new GetworkClient({ ...settings, uri }) : new StratumClient({ ...settings, uri });
}
