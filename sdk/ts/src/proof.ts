// Light client: state proofs of the sparse Merkle state tree (docs/storage.md §2-3), checked
// exactly as storage::decode_state_proof / verify_state_proof in C++, and the full check of a
// get_state response: header encoding -> header hash -> state root -> proof -> value.
//
// Finality of the header itself (its quorum certificate) is consensus.ts: verifyHeaderCertified
// (async, walks parent hashes) or the synchronous hook verifyQuorumCert below. A state check
// without it must be presented as "proved against block N's header", not as "final".

import { concat, equalBytes, fromHex, toHex } from './bytes.js';
import { type HashAlg, hash, parseHashAlg } from './hash.js';
import { type BlockHeader, decodeHeader, headerHash } from './ledger.js';
import { type CertificateResponse, type ValidatorSet, verifyCertificate } from './consensus.js';

export const EMPTY_SUBTREE = new Uint8Array(32);
export const MAX_PROOF_DEPTH = 256;

export interface StateProof {
  leaf: { keyHash: Uint8Array; valueHash: Uint8Array } | null;
  siblings: Uint8Array[]; // siblings[i]: the other child at depth i, root side first
}

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

/** Strict decoder of the compact proof encoding; throws on anything C++ refuses. */
export function decodeStateProof(bytes: Uint8Array): StateProof {
  let off = 0;
  const take = (n: number): Uint8Array => {
    if (off + n > bytes.length) throw new Error('state proof truncated');
    const out = bytes.subarray(off, off + n);
    off += n;
    return out;
  };
  const kind = take(1)[0]!;
  if (kind > 1) throw new Error('state proof kind must be 0 or 1');
  let leaf: StateProof['leaf'] = null;
  if (kind === 1) {
    const l = take(64);
    leaf = { keyHash: l.slice(0, 32), valueHash: l.slice(32) };
  }
  const nb = take(2);
  const n = (nb[0]! << 8) | nb[1]!;
  if (n > MAX_PROOF_DEPTH) throw new Error('state proof deeper than 256');
  const bitmap = take(Math.ceil(n / 8));
  if (n % 8 !== 0 && (bitmap[bitmap.length - 1]! & (0xff >> n % 8)) !== 0) throw new Error('state proof bitmap padding is not zero');
  const siblings: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    if (bitmap[i >> 3]! & (0x80 >> i % 8)) {
      const s = take(32).slice();
      if (isZero(s)) throw new Error('state proof lists an empty sibling explicitly');
      siblings.push(s);
    } else siblings.push(EMPTY_SUBTREE);
  }
  if (n > 0 && isZero(siblings[n - 1]!)) throw new Error('state proof ends with an empty sibling');
  if (off !== bytes.length) throw new Error('state proof has trailing bytes');
  return { leaf, siblings };
}

export function encodeStateProof(p: StateProof): Uint8Array {
  const n = p.siblings.length;
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  const present: Uint8Array[] = [];
  p.siblings.forEach((s, i) => {
    if (!isZero(s)) {
      bitmap[i >> 3]! |= 0x80 >> i % 8;
      present.push(s);
    }
  });
  const head = p.leaf ? concat(Uint8Array.of(1), p.leaf.keyHash, p.leaf.valueHash) : Uint8Array.of(0);
  return concat(head, Uint8Array.of(n >> 8, n & 0xff), bitmap, ...present);
}

const bit = (h: Uint8Array, i: number) => (h[i >> 3]! >> (7 - (i % 8))) & 1;

/** verify_state_proof: value given = inclusion, null = non-inclusion. */
export function verifyStateProof(alg: HashAlg, root: Uint8Array, key: Uint8Array, value: Uint8Array | null, proof: StateProof): boolean {
  const n = proof.siblings.length;
  if (n > MAX_PROOF_DEPTH || (n > 0 && isZero(proof.siblings[n - 1]!))) return false;
  const kh = hash(alg, key);
  if (value !== null) {
    if (!proof.leaf || !equalBytes(proof.leaf.keyHash, kh) || !equalBytes(proof.leaf.valueHash, hash(alg, value))) return false;
  } else if (proof.leaf) {
    if (equalBytes(proof.leaf.keyHash, kh)) return false;
    for (let i = 0; i < n; i++) if (bit(proof.leaf.keyHash, i) !== bit(kh, i)) return false;
  }
  let cur = proof.leaf ? hash(alg, concat(Uint8Array.of(0), proof.leaf.keyHash, proof.leaf.valueHash)) : EMPTY_SUBTREE;
  for (let i = n - 1; i >= 0; i--) {
    const s = proof.siblings[i]!;
    cur = bit(kh, i) === 0 ? hash(alg, concat(Uint8Array.of(1), cur, s)) : hash(alg, concat(Uint8Array.of(1), s, cur));
  }
  return equalBytes(cur, root);
}

/** 'valid' | 'invalid' (decodes, does not verify) | 'malformed' (the decoder refuses it). */
export function proofVerdict(alg: HashAlg, root: Uint8Array, key: Uint8Array, value: Uint8Array | null, proofBytes: Uint8Array): 'valid' | 'invalid' | 'malformed' {
  let p: StateProof;
  try {
    p = decodeStateProof(proofBytes);
  } catch {
    return 'malformed';
  }
  return verifyStateProof(alg, root, key, value, p) ? 'valid' : 'invalid';
}

// ---------------------------------------------------------------------------------------------

/** A get_state response as the node returns it. */
export interface GetStateResponse {
  key: string;
  height: number | string;
  value: string | null;
  proof: string;
  hash_alg: string;
  header: { hash: string; height: number | string; state_root: string; [k: string]: unknown };
  header_encoded: string;
}

export type QcVerdict = 'verified' | 'unverified' | 'invalid';

export interface StateCheck {
  ok: boolean; // the value (or absence) is proved against the header's state root
  reason: string; // why not, or what was proved
  height: string | null;
  headerHash: string | null;
  header: BlockHeader | null;
  value: Uint8Array | null;
  inclusion: boolean;
  qc: QcVerdict; // finality of the header itself (verifyQuorumCert with the certificate and set given)
}

/**
 * Checks a get_state response without trusting the node: the header encoding hashes to the
 * block hash given, the response's state root is the header's, and the proof leads from the
 * key (and value) to that root. `expectKey` guards against a node answering another key.
 */
export function verifyGetState(r: GetStateResponse, expectKey?: Uint8Array, qc?: unknown, validatorSet?: ValidatorSet | null): StateCheck {
  const fail = (reason: string, header: BlockHeader | null = null): StateCheck => ({
    ok: false, reason, height: header?.height ?? null, headerHash: null, header, value: null, inclusion: false, qc: 'unverified',
  });
  try {
    const alg = parseHashAlg(r.hash_alg);
    if (alg !== 'sha256' && alg !== 'sm3') return fail(`unexpected state hash '${r.hash_alg}'`);
    const header = decodeHeader(fromHex(r.header_encoded));
    const hh = toHex(headerHash(header, alg));
    if (hh !== r.header.hash) return fail('the header does not hash to the block hash given', header);
    if (header.state_root !== r.header.state_root) return fail("the response's state root is not the header's", header);
    if (String(r.header.height) !== header.height || String(r.height) !== header.height) return fail('height mismatch', header);
    const key = fromHex(r.key);
    if (expectKey && !equalBytes(key, expectKey)) return fail('the node answered for another key', header);
    const value = r.value === null ? null : fromHex(r.value);
    const verdict = proofVerdict(alg, fromHex(header.state_root), key, value, fromHex(r.proof));
    if (verdict !== 'valid') return fail(`state proof ${verdict === 'malformed' ? 'is malformed' : 'does not lead to the state root'}`, header);
    return {
      ok: true,
      reason: `${value ? 'inclusion' : 'non-inclusion'} proved against block ${header.height}'s state root`,
      height: header.height,
      headerHash: hh,
      header,
      value,
      inclusion: value !== null,
      qc: verifyQuorumCert(header, qc, validatorSet),
    };
  } catch (e) {
    return fail(`malformed response: ${(e as Error).message}`);
  }
}

/**
 * The synchronous finality hook of a state check: `certificate` is a `get_certificate` answer,
 * `validatorSet` the trusted (genesis) set. 'verified' when the certificate is valid (QC of a
 * quorum over the block id, consensus/verifyCertificate) and its block's exec names exactly
 * this header; 'invalid' when the certificate is refuted (malformed, QC for another block, too
 * few or bad signatures, another header at this height); 'unverified' when it cannot be decided
 * here: no set or no certificate, or a certificate for a later header (linking needs fetches:
 * use the async verifyHeaderCertified).
 */
export function verifyQuorumCert(header: BlockHeader, certificate: unknown, validatorSet: ValidatorSet | null | undefined): QcVerdict {
  if (!validatorSet || !certificate || typeof certificate !== 'object') return 'unverified';
  const c = verifyCertificate(validatorSet, certificate as CertificateResponse);
  if (c.verdict !== 'valid') return 'invalid';
  const at = BigInt(c.block!.exec.height);
  if (at < BigInt(header.height)) return 'invalid';
  if (at > BigInt(header.height)) return 'unverified';
  return c.block!.exec.header_hash === toHex(headerHash(header, validatorSet.hashAlg)) ? 'verified' : 'invalid';
}
