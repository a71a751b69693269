// Parsers for command-line values (each names its option in the error it throws) and the
// options several commands share.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseHash32, parseHeight, parseNonce, parseU64 } from '../util/hex.js';
import { bytesToBigInt } from '../util/bytes.js';
import type { DagMode } from '../pow/epoch.js';
import { normalizeOrigin, splitList } from '../net/server/http-guard.js';

/** A commander parser from a plain one: its error becomes commander's InvalidArgumentError. */
export function wrap<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

export const blockArg = wrap((s) => parseHeight(s, 'block'));
export const headerArg = wrap((s) => parseHash32(s, 'header'));
export const nonceArg = wrap((s) => parseNonce(s, 'nonce'));
export const targetArg = wrap((s) => bytesToBigInt(parseHash32(s, 'target')));
export const u64Arg = wrap((s) => parseU64(s, 'value'));
export const positiveIntArg = wrap((s) => {
  if (!/^[0-9]+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) throw new Error(`expected a positive integer, got ${JSON.stringify(s)}`);
  return Number(s);
});
/** A repeatable option's values, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
/** A web origin (http://host[:port], "*" allowed), normalized. */
export const originArg = wrap(normalizeOrigin);
/** "http://a:1,http://b" → normalized origins ("*" allowed). */
export const originsArg = wrap((s) => splitList(s).map(normalizeOrigin));
export const portArg = wrap((s) => {
  if (!/^[0-9]{1,5}$/.test(s) || Number(s) > 65535) throw new Error(`expected a port 0..65535 (0 picks a free one), got ${JSON.stringify(s)}`);
  return Number(s);
});
export const dagModeArg = wrap((s): DagMode => {
  if (s !== 'full' && s !== 'small') throw new Error(`expected full or small, got ${JSON.stringify(s)}`);
  return s;
});

/** `--block` and `--header`: the job a command hashes (its epoch, period and header seal hash). */
export function addJobOptions(command: Command): Command {
  return command
    .requiredOption('--block <n>', 'block number (decimal or 0x hex)', blockArg)
    .requiredOption('--header <hash>', 'header seal hash, 0x + 64 hex', headerArg);
}

/** `--dag full|small`: the real epoch's DAG sizes or the small DAG. */
export function dagOption(): Option {
  return new Option('--dag <mode>', 'DAG sizes: full (the real epoch) or small').argParser(dagModeArg).default('full');
}
