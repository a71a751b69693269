// Ed25519 vote keys, the devnet's stand-in for go-sero's vote PKr: derive, sign, verify.
import { createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { bytesTo0x, hexToBytes, isHex, type Hex } from '../../util/hex.js';
import { signEd25519 } from './ed25519.js';

/** DER headers that wrap a raw 32-byte Ed25519 seed / public key (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 vote key: the devnet's stand-in for go-sero's vote PKr and its secret. */
export interface VoteKeyPair {
  /** 32-byte Ed25519 seed. */
  readonly secret: Hex;
  /** 32-byte raw public key; what shares and nodes record as their vote key. */
  readonly publicKey: Hex;
}

export function voteKeyFromSecret(secret: Hex | Uint8Array): VoteKeyPair {
  const seed = typeof secret === 'string' ? hexToBytes(secret, 32) : secret;
  if (seed.length !== 32) throw new RangeError('an Ed25519 secret is 32 bytes');
  const privateKey = privateKeyObject(bytesTo0x(seed));
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { secret: bytesTo0x(seed), publicKey: bytesTo0x(spki.subarray(SPKI_ED25519_PREFIX.length)) };
}

export function isVoteKey(value: unknown): value is Hex {
  return isHex(value, 32);
}

/**
 * 64-byte Ed25519 signature with a random nonce: like go-sero's superzk signatures, signing the
 * same message twice gives two different signatures (so a share drawn twice votes twice).
 * `random` (32 bytes) replaces the system's randomness where a run must replay exactly.
 */
export function signMessage(secret: Hex, message: Uint8Array, random?: Uint8Array): Hex {
  const publicKey = cached(publicKeysOfSecrets, secret, () => voteKeyFromSecret(secret).publicKey);
  return bytesTo0x(signEd25519(hexToBytes(secret, 32), hexToBytes(publicKey, 32), message, random));
}

export function verifySignature(publicKey: Hex, message: Uint8Array, signature: Hex): boolean {
  if (!isVoteKey(publicKey) || !isHex(signature, 64)) return false;
  try {
    return verify(null, message, publicKeyObject(publicKey), hexToBytes(signature));
  } catch {
    return false;
  }
}

const privateKeys = new Map<Hex, KeyObject>();
const publicKeys = new Map<Hex, KeyObject>();
const publicKeysOfSecrets = new Map<Hex, Hex>();
const KEY_CACHE_LIMIT = 4096;

function cached<T>(cache: Map<Hex, T>, key: Hex, create: () => T): T {
  let object = cache.get(key);
  if (!object) {
    if (cache.size >= KEY_CACHE_LIMIT) cache.clear();
    object = create();
    cache.set(key, object);
  }
  return object;
}

function privateKeyObject(secret: Hex): KeyObject {
  return cached(privateKeys, secret, () =>
    createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, hexToBytes(secret, 32)]), format: 'der', type: 'pkcs8' }),
  );
}

function publicKeyObject(publicKey: Hex): KeyObject {
  return cached(publicKeys, publicKey, () =>
    createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, hexToBytes(publicKey, 32)]), format: 'der', type: 'spki' }),
  );
}
