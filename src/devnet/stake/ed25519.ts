// Ed25519 signing with a random nonce. go-sero's vote signatures (superzk's SignPKr) are
// randomized: the same key signing the same message twice gives two signatures, so a share drawn
// for two tickets casts two votes that both count, and a header can list both. RFC 8032 signing
// is deterministic; this signs with the nonce hashed from the key's prefix, fresh random bytes and
// the message, on @noble/curves' Ed25519, and the result verifies as any Ed25519 signature does.
import { createHash, randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes } from '@noble/curves/utils.js';

const { Point } = ed25519;
/** Scalars modulo the order of the base point. */
const Fn = Point.Fn;

const sha512 = (...parts: Uint8Array[]): Uint8Array => {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** A 512-bit hash read little-endian, reduced modulo the group order (RFC 8032 5.1.6). */
const scalarOf = (...parts: Uint8Array[]): bigint => Fn.create(bytesToNumberLE(sha512(...parts)));

/**
 * An Ed25519 signature of `message` by the key with this 32-byte seed and public key. With
 * `random` empty it is RFC 8032's deterministic signature (what the tests compare it with).
 */
export function signEd25519(seed: Uint8Array, publicKey: Uint8Array, message: Uint8Array, random: Uint8Array = randomBytes(32)): Uint8Array {
  const { prefix, scalar } = ed25519.utils.getExtendedPublicKey(seed);
  const r = scalarOf(prefix, random, message);
  const R = Point.BASE.multiply(r).toBytes();
  const k = scalarOf(R, publicKey, message);
  return concatBytes(R, Fn.toBytes(Fn.create(r + k * scalar)));
}
