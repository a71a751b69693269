// The node's remote-mining API (gero's PublicMinerAPI; stratum.md 8.2, pow.md 7.1) served
// from a WorkProvider: sero_getWork, sero_submitWork, sero_submitHashrate (eth_ aliases
// come from the server's namespace rule).
import { bytesTo0x, HexError, parseHash32, parseNonce, parseQuantity } from '../../../util/hex.js';
import { RpcCodes, RpcError } from '../../wire/json-rpc.js';
import type { Unsubscribe, WorkProvider } from '../provider.js';
import { WorkBacklog } from '../work-backlog.js';
import { workToWire } from '../../wire/work.js';
import type { JsonRpcServer } from './server.js';
import { type RpcCallContext, positionalParams } from './registry.js';

/** go-sero's wording when no work is prepared yet. */
export const MINING_NOT_READY = "mining not ready: No work available yet, don't panic.";

/** Registers the three mining methods; the returned function stops tracking the provider's work. */
export function registerMiningMethods(rpc: JsonRpcServer, provider: WorkProvider): Unsubscribe {
  const backlog = new WorkBacklog();
  const current = provider.currentWork();
  if (current !== undefined) backlog.add(current);
  const unsubscribe = provider.onWork((work) => backlog.add(work));

  rpc.register('sero_getWork', (params) => {
    positionalParams(params, 0);
    provider.workPolled?.();
    const work = provider.currentWork();
    if (work === undefined) throw new RpcError(RpcCodes.serverError, MINING_NOT_READY);
    backlog.add(work);
    return workToWire(work);
  });

  rpc.register('sero_submitWork', async (params, context) => {
    const [nonceParam, headerParam, mixParam] = positionalParams(params, 3);
    const nonce = argument(0, () => parseNonce(nonceParam));
    const headerHash = argument(1, () => parseHash32(headerParam, 'header hash'));
    const mixDigest = argument(2, () => parseHash32(mixParam, 'mix digest'));
    const work = backlog.find(bytesTo0x(headerHash));
    if (work === undefined) return false;
    const { login, worker } = pathIdentity(context);
    const outcome = await provider.submit(
      { nonce, headerHash, mixDigest, work },
      { via: 'rpc', login, worker, remoteAddress: context.remoteAddress, notify: () => {} },
    );
    return outcome.kind === 'accepted';
  });

  rpc.register('sero_submitHashrate', (params, context) => {
    const [rateParam, idParam] = positionalParams(params, 2);
    const rate = argument(0, () => parseQuantity(rateParam, 'hashrate'));
    const id = argument(1, () => bytesTo0x(parseHash32(idParam, 'id')));
    const { login, worker } = pathIdentity(context);
    provider.submitHashrate?.({ rate, id, login, worker, via: 'rpc' });
    return true;
  });

  return unsubscribe;
}

/** Maps a parse failure to go-sero's "invalid argument N: ..." error. */
function argument<T>(index: number, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const reason = err instanceof HexError ? err.reason : (err as Error).message;
    throw new RpcError(RpcCodes.invalidParams, `invalid argument ${index}: ${reason}`);
  }
}

/** `/<login>/<worker>` as the pool's getwork proxy takes it; a plain node has neither. */
function pathIdentity(context: RpcCallContext): { login: string; worker: string } {
  const segments = context.path.split('?')[0]!.split('/').filter((s) => s.length > 0);
  return { login: segments[0] ?? '', worker: segments[1] ?? '0' };
}
