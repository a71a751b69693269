// Error replies of the official pool (sero-cash/mine-pool; stratum.md 2.5 and 5).
import type { RpcErrorObject } from '../../wire/json-rpc.js';

export const PoolErrors = {
  invalidParams: { code: -1, message: 'Invalid params' },
  invalidLogin: { code: -1, message: 'Invalid login' },
  malformedShare: { code: -1, message: 'Malformed PoW result' },
  /** Not in the official pool (it closes silently on bad JSON); same generic code. */
  malformedRequest: { code: -1, message: 'Malformed request' },
  /** The official pool bans and closes on a line over its 1024-byte buffer ("socket flood"). */
  socketFlood: { code: -1, message: 'Socket flood' },
  /** The official pool's reply to a valid share that tripped the invalid-share ratio ban. */
  highInvalidRate: { code: -1, message: 'High rate of invalid shares' },
  workNotReady: { code: 0, message: 'Work not ready' },
  methodNotFound: { code: -3, message: 'Method not found' },
  duplicateShare: { code: 22, message: 'Duplicate share' },
  invalidShare: { code: 23, message: 'Invalid share' },
  notSubscribed: { code: 25, message: 'Not subscribed' },
} as const satisfies Record<string, RpcErrorObject>;

/** The reply to a banned address (generic code -1; the official pool closes such sockets silently). */
export function bannedError(reason: string, secondsLeft: number): RpcErrorObject {
  return { code: -1, message: `Banned: ${reason}; try again in ${secondsLeft} s` };
}
