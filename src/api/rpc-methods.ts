// serominer's API methods (docs/API_DOCUMENTATION.md) with its names, parameters, result shapes
// and error codes, plus miner_getblocks. Control methods need the password (api_authorize, or an
// HTTP Authorization header) and are refused on a read-only port; reading needs nothing.
import { SEGMENT_WIDTH_BITS } from '../miner/nonce-segments.js';
import { sameSecret } from '../net/server/http-guard.js';
import { formatU32Hex } from '../util/hex.js';
import { type JsonRpcId, type JsonRpcResponse, RpcCodes, RpcError } from '../net/wire/json-rpc.js';
import type { PasswordThrottle } from './password-throttle.js';
import type { RigControl } from './rig-control.js';
import { pauseReasonText, type RigStatus } from './rig-status.js';
import { shortPciAddress } from '../sensors/pci.js';

/** One connection's (or one HTTP request's) state: authorized once the password was given. */
export interface ApiSession {
  authorized: boolean;
  /** The client's address: wrong passwords are counted per address. */
  readonly remote: string;
}

export interface ApiContext {
  status(): RigStatus;
  control: RigControl;
  /** A negative --api-port: control methods are not available at all. */
  readOnly: boolean;
  /** Control needs it; without one, control is refused. */
  password?: string;
  onBadPassword?(): void;
  /** Refuses passwords from an address that gave too many wrong ones. */
  throttle?: PasswordThrottle;
}

/** The highest verbosity miner_setverbosity accepts (serominer's -v range). */
export const MAX_VERBOSITY = 255;

type Params = Record<string, unknown>;

interface Method {
  /** Changes something: refused read-only, needs the password. */
  readonly control: boolean;
  run(params: Params, ctx: ApiContext): unknown;
}

function param<T>(params: Params, name: string, check: (v: unknown) => v is T, optional = false): T | undefined {
  if (!(name in params)) {
    if (optional) return undefined;
    throw new RpcError(RpcCodes.invalidParams, `Missing '${name}'`);
  }
  const value = params[name];
  if (!check(value)) throw new RpcError(RpcCodes.invalidParams, `Invalid type of value '${name}'`);
  return value;
}

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

const kiloHashes = (hps: number) => (hps / 1000).toFixed(0);
/** Shares never sent, beside serominer's [accepted, rejected, failed, seconds]: never counted as failed. */
const unsentShares = (s: RigStatus['shares']) => ({ shares_held: s.held, shares_wasted: s.wasted });

/** The eleven serominer methods, miner_getscramblerinfo, and miner_getblocks. */
const METHODS: Readonly<Record<string, Method>> = {
  miner_ping: { control: false, run: () => 'pong' },
  miner_getstat1: {
    control: false,
    run: (_p, ctx) => {
      const s = ctx.status();
      return [
        s.version,
        String(Math.floor(s.uptime / 60)),
        `${kiloHashes(s.hashrate)};${s.shares.accepted};${s.shares.rejected}`,
        s.devices.map((d) => kiloHashes(d.hashrate)).join(';'),
        '0;0;0',
        s.devices.map(() => 'off').join(';'),
        // serominer's fixed numeric slots: 0 where a reading is unknown
        s.devices.map((d) => `${Math.round(d.sensors.temperature ?? 0)};${Math.round(d.sensors.fan ?? 0)}`).join(';'),
        s.pool.uri ? s.pool.uri.replace(/^[a-z0-9+]+:\/\/(?:[^@]*@)?/i, '').replace(/\/.*$/, '') : '',
        `${s.shares.failed};${s.pool.failovers};0;0`,
      ];
    },
  },
  miner_getstatdetail: {
    control: false,
    run: (_p, ctx) => {
      const s = ctx.status();
      return {
        connection: { connected: s.pool.connected, switches: s.pool.failovers, uri: s.pool.uri ?? '' },
        devices: s.devices.map((d) => ({
          _index: d.index,
          _mode: d.backend === 'webgpu' ? 'WebGPU' : d.backend === 'wasm' ? 'WASM' : d.backend,
          hardware: {
            name: d.name,
            pci: d.pci === null ? null : shortPciAddress(d.pci),
            sensors: [d.sensors.temperature, d.sensors.fan, d.sensors.power],
            type: d.backend === 'webgpu' ? 'GPU' : 'CPU',
          },
          mining: {
            hashrate: formatU32Hex(d.hashrate),
            pause_reason: pauseReasonText(d.pausedFor),
            paused: d.paused,
            segment: d.segment,
            shares: [d.shares.accepted, d.shares.rejected, d.shares.failed, d.lastShareAgo ?? s.uptime],
            ...unsentShares(d.shares),
          },
        })),
        host: { name: s.host, runtime: s.uptime, version: s.version },
        mining: {
          difficulty: s.work.difficulty ?? 0,
          epoch: s.work.epoch ?? 0,
          epoch_changes: s.work.epochChanges,
          hashrate: formatU32Hex(s.hashrate),
          jobs: s.work.jobs,
          shares: [s.shares.accepted, s.shares.rejected, s.shares.failed, s.lastShareAgo ?? s.uptime],
          ...unsentShares(s.shares),
        },
        monitors: s.thermal === null ? null : { temperatures: [s.thermal.start, s.thermal.stop] },
      };
    },
  },
  miner_getconnections: {
    control: false,
    run: (_p, ctx) => ctx.status().pool.pools.map((p) => ({ active: p.active, index: p.index, uri: p.uri })),
  },
  miner_getscramblerinfo: {
    control: false,
    run: (_p, ctx) => {
      const s = ctx.status();
      return { device_count: s.devices.length, device_width: SEGMENT_WIDTH_BITS, start_nonce: s.scrambler };
    },
  },
  miner_getblocks: {
    control: false,
    run: (_p, ctx) => ctx.status().blocks.recent.map((b) => ({
      height: b.height, nonce: b.nonce, header_hash: b.headerHash, status: b.status, chain: b.chain, pool: b.pool,
      votes: b.votes, votes_needed: b.votesNeeded, credit: b.credit, expected_credit: b.expectedCredit,
      submitted_at: Math.floor(b.submittedAt / 1000), settled_at: b.settledAt === null ? null : Math.floor(b.settledAt / 1000), reason: b.reason,
    })),
  },
  miner_setactiveconnection: {
    control: true,
    run: (p, ctx) => {
      let target: number | RegExp;
      if ('index' in p) {
        const index = p.index;
        if (!isUint(index)) throw new RpcError(-422, 'Invalid index');
        target = index;
      } else {
        const uri = param(p, 'URI', isText)!;
        try {
          target = new RegExp(uri);
        } catch {
          throw new RpcError(-422, 'Invalid URI pattern');
        }
      }
      ctx.control.setActiveConnection(target);
      return true;
    },
  },
  miner_addconnection: {
    control: true,
    run: (p, ctx) => {
      const uri = param(p, 'uri', isText)!;
      try {
        ctx.control.addConnection(uri);
      } catch (err) {
        throw new RpcError(-422, `Bad URI : ${(err as Error).message}`);
      }
      return true;
    },
  },
  miner_removeconnection: {
    control: true,
    run: (p, ctx) => {
      ctx.control.removeConnection(param(p, 'index', isUint)!);
      return true;
    },
  },
  miner_pausegpu: {
    control: true,
    run: (p, ctx) => {
      const index = param(p, 'index', isUint)!;
      const pause = param(p, 'pause', isBool)!;
      ctx.control.pauseDevice(index, pause);
      return true;
    },
  },
  miner_restart: {
    control: true,
    run: (_p, ctx) => {
      // answered first, as serominer does: the restart runs in the background
      setImmediate(() => ctx.control.restart());
      return true;
    },
  },
  miner_shuffle: {
    control: true,
    run: (_p, ctx) => {
      ctx.control.shuffle();
      return true;
    },
  },
  miner_setverbosity: {
    control: true,
    run: (p, ctx) => {
      const verbosity = param(p, 'verbosity', isUint)!;
      if (verbosity > MAX_VERBOSITY) throw new RpcError(-422, `Verbosity out of bounds (0-${MAX_VERBOSITY})`);
      ctx.control.setVerbosity(verbosity);
      return true;
    },
  },
};

export const API_METHODS = Object.keys(METHODS);

function parseId(message: Record<string, unknown>): JsonRpcId {
  const id = message.id;
  if (id === undefined || id === null || id === '') throw new RpcError(RpcCodes.invalidRequest, 'Invalid Request (missing or empty id)');
  if (typeof id === 'string' || isUint(id)) return id;
  throw new RpcError(RpcCodes.invalidRequest, 'Invalid Request (id has invalid type)');
}

export type PasswordCheck = { ok: true } | { ok: false; code: number; message: string };

/**
 * The one password check of the API (api_authorize on TCP, a Bearer header over HTTP). An
 * address that gave too many wrong passwords is refused, right or wrong, until its wait is over.
 */
export function checkPassword(given: string | undefined, remote: string, ctx: ApiContext): PasswordCheck {
  const wait = ctx.throttle?.waitSeconds(remote) ?? 0;
  if (wait > 0) return { ok: false, code: -429, message: `Too many invalid passwords from ${remote}: try again in ${wait} s` };
  if (ctx.password !== undefined && sameSecret(given, ctx.password)) return { ok: true };
  ctx.throttle?.fail(remote);
  ctx.onBadPassword?.();
  return { ok: false, code: -401, message: 'Invalid password' };
}

/** Answers one JSON-RPC request object; never throws. */
export function answer(message: unknown, session: ApiSession, ctx: ApiContext): JsonRpcResponse {
  let id: JsonRpcId = null;
  try {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new RpcError(RpcCodes.invalidRequest, 'Invalid Request');
    const request = message as Record<string, unknown>;
    id = parseId(request);
    if (request.jsonrpc !== '2.0' || typeof request.method !== 'string' || request.method === '') throw new RpcError(RpcCodes.invalidRequest, 'Invalid Request');
    const rawParams = request.params ?? {};
    const params = (typeof rawParams === 'object' && rawParams !== null && !Array.isArray(rawParams) ? rawParams : {}) as Params;
    if (request.method === 'api_authorize') {
      const check = checkPassword(param(params, 'psw', isText), session.remote, ctx);
      session.authorized = check.ok;
      if (!check.ok) throw new RpcError(check.code, check.message);
      return { id, jsonrpc: '2.0', result: true };
    }
    const method = METHODS[request.method];
    if (!method) throw new RpcError(RpcCodes.methodNotFound, 'Method not found');
    if (method.control) {
      if (ctx.readOnly) throw new RpcError(RpcCodes.methodNotFound, 'Method not available');
      if (ctx.password === undefined) throw new RpcError(-403, 'Authorization needed: control needs the miner started with --api-password');
      if (!session.authorized) throw new RpcError(-403, 'Authorization needed');
    }
    return { id, jsonrpc: '2.0', result: method.run(params, ctx) };
  } catch (err) {
    if (err instanceof RpcError) return { id, jsonrpc: '2.0', error: err.toObject() };
    return { id, jsonrpc: '2.0', error: { code: -422, message: (err as Error).message } };
  }
}
