// The RPC token kept in a file beside a server's data, as geth keeps its JWT secret: read when
// it exists, otherwise made from 32 random bytes and written readable by the owner only.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Name of the token file in a data directory. */
export const TOKEN_FILE_NAME = 'rpc-token';
/** Shortest token accepted from a flag or a file: guessable ones are worse than none. */
export const MIN_TOKEN_LENGTH = 16;

/** A token given on the command line or in a file: printable, no spaces, at least 16 characters. */
export function checkToken(token: string, source: string): string {
  const trimmed = token.trim();
  if (trimmed.length < MIN_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(trimmed)) {
    throw new Error(`${source}: an RPC token is at least ${MIN_TOKEN_LENGTH} printable characters without spaces`);
  }
  return trimmed;
}

/** Reads the token in `file`, or creates it (mode 0600) with a fresh random one. */
export async function loadOrCreateToken(file: string): Promise<string> {
  try {
    return checkToken(await readFile(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(32).toString('hex');
  await mkdir(path.dirname(file), { recursive: true });
  // 'wx': never overwrite a token another process wrote in the meantime.
  try {
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return checkToken(await readFile(file, 'utf8'), file);
    throw err;
  }
  return token;
}
