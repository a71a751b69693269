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

/**
 * What the official pool accepts as a login (mine-pool util.IsValidBase58Address): a base58
 * text of a 64-byte PK or a 96-byte PKr. (The pool also runs superzk's curve check, which
 * needs SERO's closed crypto library; the length is what can be checked here.)
 */
export function isSeroAddress(text: string): boolean {
  if (text.length > 200) return false;
  const bytes = base58Decode(text);
  return bytes !== undefined && (bytes.length === 64 || bytes.length === 96);
}
