// Original Keccak (Ethereum padding 0x01), pow.md pitfall 7. noble-hashes is the
// audited implementation; the WASM backend carries its own fast keccak-f1600.
import { keccak_256, keccak_512 } from '@noble/hashes/sha3.js';

export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

export function keccak512(data: Uint8Array): Uint8Array {
  return keccak_512(data);
}
