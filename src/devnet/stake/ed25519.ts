// Ed25519 signing with a random nonce. go-sero's vote signatures (superzk's SignPKr) are
// randomized: the same key signing the same message twice gives two signatures, so a share drawn
// for two tickets casts two votes that both count, and a header can list both. RFC 8032 signing
// (node:crypto's) is deterministic; this signs with the nonce hashed from the key's prefix, fresh
// random bytes and the message, and the result verifies as any Ed25519 signature does.
import { createHash, randomBytes } from 'node:crypto';

const P = 2n ** 255n - 19n;
/** Order of the base point. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;
const BASE = {
  x: 15112221349535400772501151409588531511454012693041857206046113283949847762202n,
  y: 46316835694926478169428394003475163141307993866256225615783033603165251855960n,
};

/** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
interface Point { X: bigint; Y: bigint; Z: bigint; T: bigint }

const mod = (a: bigint, m = P): bigint => ((a % m) + m) % m;

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  for (let b = mod(base), e = exponent; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) result = (result * b) % P;
  return result;
}

/** Unified addition for a = −1 (add-2008-hwcd-3): also doubles. */
function add(p: Point, q: Point): Point {
  const a = mod((p.Y - p.X) * (q.Y - q.X));
  const b = mod((p.Y + p.X) * (q.Y + q.X));
  const c = mod(2n * D * p.T * q.T);
  const d = mod(2n * p.Z * q.Z);
  const e = b - a, f = d - c, g = d + c, h = b + a;
  return { X: mod(e * f), Y: mod(g * h), Z: mod(f * g), T: mod(e * h) };
}

function multiplyBase(scalar: bigint): Point {
  let result: Point = { X: 0n, Y: 1n, Z: 1n, T: 0n };
  let addend: Point = { X: BASE.x, Y: BASE.y, Z: 1n, T: mod(BASE.x * BASE.y) };
  for (let k = scalar; k > 0n; k >>= 1n, addend = add(addend, addend)) if (k & 1n) result = add(result, addend);
  return result;
}

function littleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

function toLittleEndian(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0, v = value; i < length; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** RFC 8032 point encoding: y, with the sign of x in the top bit. */
function encode(p: Point): Uint8Array {
  const inverse = power(p.Z, P - 2n);
  const x = mod(p.X * inverse);
  const bytes = toLittleEndian(mod(p.Y * inverse), 32);
  bytes[31]! |= Number(x & 1n) << 7;
  return bytes;
}

const sha512 = (...parts: Uint8Array[]): Uint8Array => {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/**
 * An Ed25519 signature of `message` by the key with this 32-byte seed and public key. With
 * `random` empty it is RFC 8032's deterministic signature (what the tests compare it with).
 */
export function signEd25519(seed: Uint8Array, publicKey: Uint8Array, message: Uint8Array, random: Uint8Array = randomBytes(32)): Uint8Array {
  const h = sha512(seed);
  const clamped = Uint8Array.from(h.subarray(0, 32));
  clamped[0]! &= 248;
  clamped[31]! &= 127;
  clamped[31]! |= 64;
  const a = littleEndian(clamped);
  const r = mod(littleEndian(sha512(h.subarray(32), random, message)), L);
  const R = encode(multiplyBase(r));
  const k = mod(littleEndian(sha512(R, publicKey, message)), L);
  const s = mod(r + k * a, L);
  const signature = new Uint8Array(64);
  signature.set(R, 0);
  signature.set(toLittleEndian(s, 32), 32);
  return signature;
}
