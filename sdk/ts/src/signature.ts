// Signature schemes with exactly the node's acceptance rules (docs/crypto.md; these are
// consensus rules):
//
//   Ed25519    RFC 8032 over the message. Verification is libsodium 1.0.18's strict
//              crypto_sign_verify_detached: S < L; R and A not of small order (libsodium's
//              blacklist of encodings, sign bit ignored); A canonically encoded (y < p); the
//              COFACTORLESS equation, checked by comparing the encoding of sB - kA with R's
//              bytes. @noble/curves' own verify (even with zip215: false) uses the cofactored
//              equation and does not refuse small-order R, so we compose the rule from noble's
//              audited point arithmetic instead; the C2SP CCTV edge-case vectors pin it.
//   SM2        GB/T 32918 over SM3(Z || M) with the distinguishing ID "1234567812345678",
//              strict DER signatures. Curve arithmetic from @noble/curves (weierstrass with the
//              SM2 parameters), SM3 from sm-crypto-v2.
//   secp256k1  ECDSA over SHA-256(M), RFC 6979, low-S only, 64-byte r || s, uncompressed
//              public keys only (@noble/curves secp256k1).
//
// Public keys: Ed25519 32 bytes; SM2 and secp256k1 SEC1 uncompressed 65 bytes (04 || x || y).

import { ed25519 } from '@noble/curves/ed25519.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { invert, mod } from '@noble/curves/abstract/modular.js';
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { bytesToNumberBE, bytesToNumberLE, numberToBytesBE, randomBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concat, equalBytes, fromHex, utf8 } from './bytes.js';
import { sm3 } from './hash.js';
import type { Scheme } from './schemes.js';

// ---------------------------------------------------------------------------------------------
// Ed25519

const EdPoint = ed25519.Point;
const ED_L = EdPoint.Fn.ORDER;

// libsodium's ge25519_has_small_order blacklist (the last byte compared with the sign bit cleared).
const ED_SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000', // 0 (order 4)
  '0100000000000000000000000000000000000000000000000000000000000000', // 1 (order 1)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p - 1 (order 2)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p (= 0, order 4)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p + 1 (= 1, order 1)
].map(fromHex);

function edHasSmallOrder(s: Uint8Array): boolean {
  return ED_SMALL_ORDER.some((b) => {
    for (let j = 0; j < 31; j++) if (s[j] !== b[j]) return false;
    return (s[31]! & 0x7f) === b[31];
  });
}

/** libsodium's ge25519_is_canonical: y < p (the sign bit is not looked at). */
function edIsCanonical(s: Uint8Array): boolean {
  if ((s[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (s[i] !== 0xff) return true;
  return s[0]! < 0xed;
}

export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  if (publicKey.length !== 32 || sig.length !== 64) return false;
  const R = sig.subarray(0, 32);
  const S = bytesToNumberLE(sig.subarray(32));
  if (S >= ED_L) return false;
  if (edHasSmallOrder(R)) return false;
  if (!edIsCanonical(publicKey) || edHasSmallOrder(publicKey)) return false;
  let A;
  try {
    A = EdPoint.fromBytes(publicKey, false);
  } catch {
    return false;
  }
  const k = mod(bytesToNumberLE(sha512(concat(R, publicKey, message))), ED_L);
  const sB = S === 0n ? EdPoint.ZERO : EdPoint.BASE.multiplyUnsafe(S);
  const kA = k === 0n ? EdPoint.ZERO : A.multiplyUnsafe(k);
  return equalBytes(sB.subtract(kA).toBytes(), R);
}

// ---------------------------------------------------------------------------------------------
// SM2 (GB/T 32918.2 signatures, curve sm2p256v1 from GB/T 32918.5)

export const SM2_CURVE = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
} as const;
const Sm2Point = weierstrass(SM2_CURVE);
const SM2_N = SM2_CURVE.n;

/** The default distinguishing ID, set explicitly on every SM2 signature in Formica. */
export const SM2_DEFAULT_ID = '1234567812345678';

function sm2PublicPoint(publicKey: Uint8Array) {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) throw new Error('sm2 public key must be 65 bytes 04 || x || y');
  const P = Sm2Point.fromBytes(publicKey); // checks the curve equation
  P.assertValidity();
  return P;
}

/** Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) (GB/T 32918.2 §5.5). */
export function sm2Z(publicKey: Uint8Array, id: string = SM2_DEFAULT_ID): Uint8Array {
  const idb = utf8(id);
  const entl = idb.length * 8;
  const c = SM2_CURVE;
  return sm3(
    concat(
      Uint8Array.of((entl >> 8) & 0xff, entl & 0xff),
      idb,
      numberToBytesBE(c.a, 32),
      numberToBytesBE(c.b, 32),
      numberToBytesBE(c.Gx, 32),
      numberToBytesBE(c.Gy, 32),
      publicKey.subarray(1, 33),
      publicKey.subarray(33, 65),
    ),
  );
}

function sm2E(publicKey: Uint8Array, message: Uint8Array): bigint {
  return bytesToNumberBE(sm3(concat(sm2Z(publicKey), message)));
}

export function sm2PublicKey(secret: Uint8Array): Uint8Array {
  const d = bytesToNumberBE(secret);
  if (secret.length !== 32 || d < 1n || d >= SM2_N - 1n) throw new Error('sm2 secret key is not a scalar in [1, n-2]');
  return Sm2Point.BASE.multiply(d).toBytes(false);
}

function derInt(x: bigint): Uint8Array {
  let b: Uint8Array = numberToBytesBE(x, 32);
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  b = b.subarray(i);
  if (b[0]! & 0x80) b = concat(Uint8Array.of(0), b);
  return concat(Uint8Array.of(0x02, b.length), b);
}

export function sm2EncodeDer(r: bigint, s: bigint): Uint8Array {
  const body = concat(derInt(r), derInt(s));
  return concat(Uint8Array.of(0x30, body.length), body);
}

/** Strict DER: SEQUENCE { INTEGER r, INTEGER s }, short lengths, minimal non-negative integers. */
export function sm2DecodeDer(sig: Uint8Array): { r: bigint; s: bigint } | null {
  if (sig.length < 8 || sig.length > 72 || sig[0] !== 0x30 || sig[1] !== sig.length - 2) return null;
  let off = 2;
  const int = (): bigint | null => {
    if (off + 2 > sig.length || sig[off] !== 0x02) return null;
    const len = sig[off + 1]!;
    if (len < 1 || len > 33 || off + 2 + len > sig.length) return null;
    const c = sig.subarray(off + 2, off + 2 + len);
    if (c[0]! & 0x80) return null; // negative
    if (len > 1 && c[0] === 0 && !(c[1]! & 0x80)) return null; // not minimal
    off += 2 + len;
    return bytesToNumberBE(c);
  };
  const r = int();
  const s = int();
  if (r === null || s === null || off !== sig.length) return null;
  return { r, s };
}

export function sm2Sign(secret: Uint8Array, message: Uint8Array, rand: (n: number) => Uint8Array = randomBytes): Uint8Array {
  const d = bytesToNumberBE(secret);
  const pub = sm2PublicKey(secret);
  const e = sm2E(pub, message);
  const dInv = invert(1n + d, SM2_N);
  for (;;) {
    // 384 random bits reduced into [1, n-1]: the bias is below 2^-128.
    const k = mod(bytesToNumberBE(rand(48)), SM2_N - 1n) + 1n;
    const x1 = Sm2Point.BASE.multiply(k).toAffine().x;
    const r = mod(e + x1, SM2_N);
    if (r === 0n || r + k === SM2_N) continue;
    const s = mod(dInv * (k - r * d), SM2_N);
    if (s === 0n) continue;
    return sm2EncodeDer(r, s);
  }
}

export function sm2Verify(publicKey: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  const rs = sm2DecodeDer(sig);
  if (!rs) return false;
  const { r, s } = rs;
  if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return false;
  let P;
  try {
    P = sm2PublicPoint(publicKey);
  } catch {
    return false;
  }
  const t = mod(r + s, SM2_N);
  if (t === 0n) return false;
  const X = Sm2Point.BASE.multiply(s).add(P.multiplyUnsafe(t));
  if (X.is0()) return false;
  return mod(sm2E(publicKey, message) + X.toAffine().x, SM2_N) === r;
}

// ---------------------------------------------------------------------------------------------
// secp256k1

const K1_N = secp256k1.Point.Fn.ORDER;

export function secp256k1PublicKey(secret: Uint8Array): Uint8Array {
  const d = bytesToNumberBE(secret);
  if (secret.length !== 32 || d < 1n || d >= K1_N) throw new Error('secp256k1 secret key is not a scalar in [1, n-1]');
  return secp256k1.getPublicKey(secret, false);
}

export function secp256k1Sign(secret: Uint8Array, message: Uint8Array): Uint8Array {
  // prehash: SHA-256(message); RFC 6979 nonces (no extra entropy), low-S, r || s.
  return secp256k1.sign(message, secret, { prehash: true, lowS: true, format: 'compact' });
}

export function secp256k1Verify(publicKey: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04 || sig.length !== 64) return false;
  const r = bytesToNumberBE(sig.subarray(0, 32));
  const s = bytesToNumberBE(sig.subarray(32));
  if (r < 1n || r >= K1_N || s < 1n || s >= K1_N) return false;
  try {
    return secp256k1.verify(sig, message, publicKey, { prehash: true, lowS: true, format: 'compact' });
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// One interface.

export function publicKeySize(scheme: Scheme): number {
  return scheme === 'ed25519' ? 32 : 65;
}

/** PublicKey::from_bytes: right length and prefix, and for SM2 / secp256k1 a point on the curve. */
export function checkPublicKey(scheme: Scheme, publicKey: Uint8Array): void {
  if (publicKey.length !== publicKeySize(scheme))
    throw new Error(`${scheme} public key must be ${publicKeySize(scheme)} bytes, got ${publicKey.length}`);
  if (scheme === 'sm2') sm2PublicPoint(publicKey);
  if (scheme === 'secp256k1') {
    if (publicKey[0] !== 0x04) throw new Error('secp256k1 public key must be uncompressed (04 || x || y)');
    secp256k1.Point.fromBytes(publicKey).assertValidity();
  }
}

export function publicKeyFromSecret(scheme: Scheme, secret: Uint8Array): Uint8Array {
  if (secret.length !== 32) throw new Error(`${scheme} secret key must be 32 bytes`);
  if (scheme === 'ed25519') return ed25519.getPublicKey(secret);
  if (scheme === 'sm2') return sm2PublicKey(secret);
  return secp256k1PublicKey(secret);
}

export function signMessage(scheme: Scheme, secret: Uint8Array, message: Uint8Array): Uint8Array {
  if (scheme === 'ed25519') return ed25519.sign(message, secret);
  if (scheme === 'sm2') return sm2Sign(secret, message);
  return secp256k1Sign(secret, message);
}

/** True only for a signature the scheme's rule (the node's) accepts; malformed input is false. */
export function verifySignature(scheme: Scheme, publicKey: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  try {
    if (scheme === 'ed25519') return ed25519Verify(publicKey, message, sig);
    if (scheme === 'sm2') return sm2Verify(publicKey, message, sig);
    if (scheme === 'secp256k1') return secp256k1Verify(publicKey, message, sig);
  } catch {
    return false;
  }
  return false;
}
