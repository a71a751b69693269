// Base58 (Bitcoin's alphabet), the text form of SERO addresses: a PK is 64 bytes, a PKr 96.
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Map([...ALPHABET].map((c, i) => [c, BigInt(i)]));

/** The bytes of a base58 text, or undefined when it holds a character outside the alphabet. */
export function base58Decode(text: string): Uint8Array | undefined {
  let value = 0n;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) return undefined;
    value = value * 58n + digit;
  }
  const bytes: number[] = [];
  for (; value > 0n; value >>= 8n) bytes.push(Number(value & 0xffn));
  // every leading '1' is a leading zero byte
  for (let i = 0; i < text.length && text[i] === '1'; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

export function base58Encode(bytes: Uint8Array): string {
  let value = bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  let text = '';
  for (; value > 0n; value /= 58n) text = ALPHABET[Number(value % 58n)] + text;
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) text = `1${text}`;
  return text;
}

/** The decoded lengths of a SERO address: a PK, or a PKr (a one-time address). */
const ADDRESS_BYTES = [64, 96];
/** Longer texts are not even decoded (96 bytes take at most 132 base58 characters). */
const MAX_ADDRESS_CHARS = 200;

/**
 * What the official pool accepts as a login (mine-pool util.IsValidBase58Address): a base58
 * text of a 64-byte PK or a 96-byte PKr. (The pool also runs superzk's curve check, which
 * needs SERO's closed crypto library; the length is what can be checked here.) Returns what is
 * wrong with `text`, or undefined when it is such an address.
 */
export function seroAddressProblem(text: string): string | undefined {
  if (text.length === 0) return 'it is empty';
  if (text.length > MAX_ADDRESS_CHARS) return `it is ${text.length} characters long; a SERO address has at most ${MAX_ADDRESS_CHARS}`;
  const bad = [...text].findIndex((c) => !DIGIT.has(c));
  if (bad >= 0) return `it has ${JSON.stringify([...text][bad])} at character ${bad + 1}, which base58 does not use`;
  const bytes = base58Decode(text)!.length;
  if (!ADDRESS_BYTES.includes(bytes)) return `it decodes to ${bytes} bytes; a SERO address is the base58 text of a 64-byte PK or a 96-byte PKr`;
  return undefined;
}

export function isSeroAddress(text: string): boolean {
  return seroAddressProblem(text) === undefined;
}
