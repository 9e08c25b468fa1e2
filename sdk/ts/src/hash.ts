// Hash functions (docs/crypto.md): SHA-256, Keccak-256 (Ethereum's), BLAKE2b-256 from
// @noble/hashes; SM3 from sm-crypto-v2 (built on the @noble primitives; checked against
// OpenSSL's SM3 vectors and the C++ node in test/). And the domain-separated hash_of.

import { blake2b } from '@noble/hashes/blake2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { sm3 as smSm3 } from 'sm-crypto-v2';
import { concat, fromHex, utf8 } from './bytes.js';
import { type CodecType, encode, uvarint } from './codec.js';

export type HashAlg = 'sha256' | 'sm3' | 'keccak256' | 'blake2b-256';

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}
export function sm3(data: Uint8Array): Uint8Array {
  return fromHex(smSm3(data));
}
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}
/** BLAKE2b with a 32-byte output (digest length in the parameter block, as libsodium's generichash). */
export function blake2b256(data: Uint8Array): Uint8Array {
  return blake2b(data, { dkLen: 32 });
}

export function hash(alg: HashAlg, data: Uint8Array): Uint8Array {
  switch (alg) {
    case 'sha256':
      return sha256(data);
    case 'sm3':
      return sm3(data);
    case 'keccak256':
      return keccak256(data);
    case 'blake2b-256':
      return blake2b256(data);
  }
  throw new Error(`unknown hash algorithm '${alg as string}'`);
}

export function parseHashAlg(name: string): HashAlg {
  if (name === 'sha256' || name === 'sm3' || name === 'keccak256' || name === 'blake2b-256') return name;
  throw new Error(`unknown hash algorithm '${name}'`);
}

const DOMAIN_RE = /^[a-z0-9/._-]{1,64}$/;

/** hash_of(alg, domain, value) = alg(uvarint(len(domain)) || domain || encode(value)), docs/codec.md §4. */
export function hashOf(alg: HashAlg, domain: string, type: CodecType, value: unknown): Uint8Array {
  if (!DOMAIN_RE.test(domain)) throw new Error(`bad domain tag '${domain}'`);
  const d = utf8(domain);
  return hash(alg, concat(uvarint(d.length), d, encode(type, value)));
}
