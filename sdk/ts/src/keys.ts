// Keys: generation (rejection sampling from the platform CSPRNG, as the node does), import from
// the 32-byte secret encoding, signing. Secrets stay in memory only; this module never
// serialises them (the node's encrypted key files are for the CLI).

import { randomBytes } from '@noble/curves/utils.js';
import { toHex } from './bytes.js';
import { addressBytesOf, addressOf } from './address.js';
import type { Scheme } from './schemes.js';
import { publicKeyFromSecret, signMessage, verifySignature } from './signature.js';

export class PrivateKey {
  private constructor(
    readonly scheme: Scheme,
    private readonly secret: Uint8Array,
    readonly publicKey: Uint8Array,
  ) {}

  /** From the secret encoding: Ed25519 the 32-byte RFC 8032 seed; SM2 / secp256k1 a 32-byte big-endian scalar. */
  static fromSecret(scheme: Scheme, secret: Uint8Array): PrivateKey {
    const copy = Uint8Array.from(secret);
    return new PrivateKey(scheme, copy, publicKeyFromSecret(scheme, copy));
  }

  static generate(scheme: Scheme): PrivateKey {
    for (;;) {
      try {
        return PrivateKey.fromSecret(scheme, randomBytes(32));
      } catch {
        // not a valid scalar: draw again (probability ~2^-128 for the curves here)
      }
    }
  }

  /** The 21-byte binary address. */
  addressBytes(): Uint8Array {
    return addressBytesOf(this.scheme, this.publicKey);
  }
  /** The "fm…" text address. */
  address(): string {
    return addressOf(this.scheme, this.publicKey);
  }
  publicKeyHex(): string {
    return toHex(this.publicKey);
  }
  sign(message: Uint8Array): Uint8Array {
    return signMessage(this.scheme, this.secret, message);
  }
  /** The secret encoding, e.g. to store it in an encrypted wallet. Never log it. */
  exposeSecret(): Uint8Array {
    return Uint8Array.from(this.secret);
  }
  /** Overwrites the secret in memory. The key is unusable afterwards. */
  wipe(): void {
    this.secret.fill(0);
  }
}

export function verify(scheme: Scheme, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return verifySignature(scheme, publicKey, message, signature);
}
