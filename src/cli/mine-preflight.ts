// What `mine` settles before it starts anything (the embedded devnet, a DAG, a pool connection):
// the pools' logins, the devices asked for, and the API's port, bound at once. A bad argument
// exits 1 and a runtime condition such as a taken port 2 (README "Exit codes"), in a second and
// with nothing started to clean up.
import path from 'node:path';
import { listenApi, type ApiListener } from '../api/api-server.js';
import { DeviceChoiceError, listingFor, selectDevices, type BackendChoice, type DeviceSlot } from '../backends/select.js';
import type { DeviceEntry } from '../backends/devices.js';
import { describePoolUri, parsePoolUri, type PoolUri } from '../net/wire/uri.js';
import { seroAddressProblem } from '../util/base58.js';
import type { Logger } from '../util/log.js';
import { atRuntime, UsageError } from './exit-codes.js';
import { apiPortOf, type ApiBind } from './rig-options.js';

/**
 * The `-P` pools, undefined when none is given (the embedded devnet). Each stratum pool's login
 * must be a SERO address, as the official pool demands (the one rule, util/base58.ts), unless
 * `loginCheck` is off for pools whose logins are something else. Getwork URIs are not checked:
 * a node takes no login.
 */
export function poolsOf(pool: readonly string[] | undefined, loginCheck: boolean): PoolUri[] | undefined {
  if (!pool?.length) return undefined;
  const uris = pool.map((p) => parsePoolUri(p));
  for (const uri of uris) {
    const problem = loginCheck && uri.protocol === 'stratum1' ? seroAddressProblem(uri.login) : undefined;
    if (problem !== undefined) throw new UsageError(`the login of ${describePoolUri(uri)} is not a SERO address: ${problem} (a pool whose logins are something else: --no-login-check)`);
  }
  return uris;
}

export interface DeviceOptions {
  readonly backend: BackendChoice[];
  readonly devices?: number[];
  readonly threads?: number;
  readonly datadir: string;
}

/** The devices this machine has and those `--backend`/`--devices` choose; one that is not there is a bad argument. */
export async function devicesFor(opts: DeviceOptions, log: Logger): Promise<{ listing: DeviceEntry[]; slots: DeviceSlot[] }> {
  const listing = await atRuntime(() => listingFor({ backends: opts.backend, devices: opts.devices }));
  const slots = await atRuntime(async () => {
    try {
      return await selectDevices({ backends: opts.backend, devices: opts.devices, wasm: { threads: opts.threads, dagDir: path.join(opts.datadir, 'dag') }, log, listing });
    } catch (err) {
      throw err instanceof DeviceChoiceError ? new UsageError(err.message) : err;
    }
  });
  return { listing, slots };
}

/** Binds the API's port now, when there is one, so a taken port stops `mine` before it starts anything. */
export function reserveApiPort(opts: { apiPort?: number; apiBind?: ApiBind }): Promise<ApiListener | undefined> {
  const port = apiPortOf(opts);
  return atRuntime(async () => {
    if (port === undefined) return undefined;
    try {
      return await listenApi(port, opts.apiBind?.address);
    } catch (err) {
      throw new Error(`cannot serve the API on ${opts.apiBind?.address ?? '127.0.0.1'}:${Math.abs(port)}: ${(err as Error).message}`);
    }
  });
}
