// node:crypto in the page bundle: random bytes from the Web Crypto API.

/** getRandomValues fills at most 64 KiB per call. */
const MAX_CHUNK = 65536;

export function randomBytes(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += MAX_CHUNK) globalThis.crypto.getRandomValues(out.subarray(i, i + MAX_CHUNK));
  return out;
}

export default { randomBytes };
