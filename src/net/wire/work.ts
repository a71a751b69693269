// Work packages and share submissions as they cross the wire (stratum.md 2.4, 2.5, 7.1;
// pow.md 7.1): `[headerHash, seedHash, boundary, height]` out, `[nonce, headerHash, mix]` back.
import { bytesTo0x, describeValue, formatNonce, HexError, parseHash32, parseLooseHexNumber, parseNonce } from '../../util/hex.js';
import { bigIntToBytes } from '../../util/bytes.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../../chain/forks.js';
import { MAX_TARGET } from '../../pow/target.js';

/** serominer treats any height above this as "missing" (stratum.md 2.4). */
export const MAX_JOB_HEIGHT = 0x9660180;

export interface WorkPackage {
  /** Header hash exactly as the pool sent it; echoed verbatim in submissions. */
  readonly jobId: string;
  /** 32-byte seal hash ("HashPow"). */
  readonly headerHash: Uint8Array;
  /** 32-byte ethash seed of the height's epoch. */
  readonly seedHash: Uint8Array;
  /** 256-bit boundary: a share has big-endian final hash <= target. */
  readonly target: bigint;
  readonly height: number;
}

export class WorkFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkFormatError';
  }
}

export interface WorkFields {
  readonly headerHash: Uint8Array;
  readonly seedHash: Uint8Array;
  readonly target: bigint;
  readonly height: number;
}

/** Builds a validated package for a server to hand out (jobId = lowercase header hex). */
export function createWorkPackage(fields: WorkFields): WorkPackage {
  if (fields.headerHash.length !== 32) throw new WorkFormatError(`header hash must be 32 bytes, got ${fields.headerHash.length}`);
  if (fields.seedHash.length !== 32) throw new WorkFormatError(`seed hash must be 32 bytes, got ${fields.seedHash.length}`);
  if (fields.target < 0n || fields.target > MAX_TARGET) {
    throw new WorkFormatError('target must fit in the 32-byte job boundary: share difficulty must be >= 2 (difficulty 1 overflows it)');
  }
  if (!Number.isSafeInteger(fields.height) || fields.height < 0) throw new WorkFormatError(`invalid height ${fields.height}`);
  return {
    jobId: bytesTo0x(fields.headerHash),
    headerHash: Uint8Array.from(fields.headerHash),
    seedHash: Uint8Array.from(fields.seedHash),
    target: fields.target,
    height: fields.height,
  };
}

export function formatTarget(target: bigint): string {
  return bytesTo0x(bigIntToBytes(target, 32));
}

/** The four job strings, height in decimal as the official pool and gero send it. */
export function workToWire(work: WorkPackage): [string, string, string, string] {
  return [work.jobId, bytesTo0x(work.seedHash), formatTarget(work.target), String(work.height)];
}

export type JobParseResult = { readonly ok: true; readonly work: WorkPackage } | { readonly ok: false; readonly reason: string };

/**
 * Parses a job as a miner receives it: header and seed `0x`+64 hex (any case), a target
 * that may be shorter (left-padded), and a mandatory height in decimal or `0x` hex that must
 * be at least the ProgPoW activation height.
 */
export function parseJob(values: readonly unknown[]): JobParseResult {
  if (values.length < 3) return { ok: false, reason: `job has ${values.length} elements, expected [header, seed, target, height]` };
  let headerHash: Uint8Array;
  let seedHash: Uint8Array;
  let target: bigint;
  try {
    headerHash = parseHash32(values[0], 'job header hash');
    seedHash = parseHash32(values[1], 'job seed hash');
    target = parseLooseHexNumber(values[2], 'job target');
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (values.length < 4 || values[3] === null || values[3] === undefined || values[3] === '') {
    return { ok: false, reason: 'job has no block height; ProgPoW needs it (the 4th element)' };
  }
  const height = parseJobHeight(values[3]);
  if (typeof height === 'string') return { ok: false, reason: height };
  if (height < PROGPOW_ACTIVATION_HEIGHT) {
    return { ok: false, reason: `job height ${height} is below the ProgPoW activation height ${PROGPOW_ACTIVATION_HEIGHT}` };
  }
  return { ok: true, work: { jobId: values[0] as string, headerHash, seedHash, target, height } };
}

/** Decimal, or hex with `0x`; returns an error text instead of throwing. */
export function parseJobHeight(value: unknown): number | string {
  let height: number;
  if (typeof value === 'number') height = value;
  else if (typeof value !== 'string') return `job height must be a string, got ${describeValue(value)}`;
  else if (/^0x[0-9a-fA-F]{1,16}$/.test(value)) height = Number.parseInt(value.slice(2), 16);
  else if (/^[0-9]{1,20}$/.test(value)) height = Number(value);
  else return `job height must be decimal or 0x hex, got ${describeValue(value)}`;
  if (!Number.isSafeInteger(height) || height < 0 || height > MAX_JOB_HEIGHT) {
    return `job height ${String(value)} is out of range (0..${MAX_JOB_HEIGHT})`;
  }
  return height;
}

export interface ParsedSubmission {
  readonly nonce: bigint;
  readonly headerHash: Uint8Array;
  /** Lowercase `0x` header hex, the key of the server's job backlog. */
  readonly headerHex: string;
  readonly mixDigest: Uint8Array;
}

/**
 * Server-side check of `sero_submitWork` params, as strict as the official pool:
 * `^0x[0-9a-f]{16}$`, `^0x[0-9a-f]{64}$`, `^0x[0-9a-f]{64}$`. Throws HexError.
 */
export function parseSubmission(params: readonly unknown[], options: { lowercaseOnly: boolean }): ParsedSubmission {
  if (params.length !== 3) throw new HexError('params', `expected [nonce, headerHash, mixDigest], got ${params.length} values`);
  const nonce = parseNonce(params[0], 'nonce', options);
  const headerHash = parseHash32(params[1], 'header hash', options);
  const mixDigest = parseHash32(params[2], 'mix digest', options);
  return { nonce, headerHash, headerHex: bytesTo0x(headerHash), mixDigest };
}

/** Client-side submit params: nonce as 16 digits, header exactly as received, mix as 64 digits. */
export function formatSubmission(work: WorkPackage, nonce: bigint, mixDigest: Uint8Array): [string, string, string] {
  if (mixDigest.length !== 32) throw new WorkFormatError(`mix digest must be 32 bytes, got ${mixDigest.length}`);
  return [formatNonce(nonce), work.jobId, bytesTo0x(mixDigest)];
}

export function sameWork(a: WorkPackage | undefined, b: WorkPackage | undefined): boolean {
  return a !== undefined && b !== undefined && a.jobId.toLowerCase() === b.jobId.toLowerCase() && a.height === b.height;
}
