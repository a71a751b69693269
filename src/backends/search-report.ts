// A nonce search as JSON, the way `sero-miner search --json` prints it (and the browser page's
// search answers): every solution with hex nonce, mix digest and final hash, in nonce order.
import { bytesTo0x, formatNonce } from '../util/hex.js';
import type { SearchResult } from './backend.js';

export interface SearchReport {
  readonly solutions: { readonly nonce: string; readonly mixDigest: string; readonly finalHash: string }[];
  readonly hashes: number;
  readonly seconds: number;
}

export function searchReport(result: SearchResult, seconds: number): SearchReport {
  return {
    solutions: result.solutions.map((s) => ({ nonce: formatNonce(s.nonce), mixDigest: bytesTo0x(s.mixDigest), finalHash: bytesTo0x(s.finalHash) })),
    hashes: result.hashes,
    seconds: Number(seconds.toFixed(3)),
  };
}
