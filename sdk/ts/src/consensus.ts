// Light client for header finality: consensus block headers and quorum certificates
// (include/formica/consensus/types.h, verify.h; src/consensus/verify.cpp), checked exactly as
// `formica proof verify` does (src/cli/cmd_proof.cpp verify_certified):
//
//   1. decode BlockHeaderOnly and QuorumCert strictly (QC signers strictly ascending);
//   2. block id = hash_of(H, "formica/consensus/block/v1", {chain_id, round, justify, tc, exec,
//      time_ms, proposer, payload_hash}); the QC must name that id;
//   3. >= quorum (floor(2n/3)+1) distinct known signers, each signature valid in the
//      validator's own scheme over hash_of(H, "formica/consensus/vote/v1", {chain_id, block_id, round});
//   4. the block's exec = (height, header_hash) names a ledger header; walk parent hashes from
//      it down to the header being checked (each fetched header must hash to the expected hash).
//
// The validator set is trusted from genesis: a production light client ships it (or the genesis
// file) with the application; the console pins the one it first got (docs/web.md).

import { equalBytes, fromHex, toHex } from './bytes.js';
import { CodecError, T, decode } from './codec.js';
import { addressOf } from './address.js';
import { type HashAlg, hashOf, parseHashAlg } from './hash.js';
import { decodeHeader, headerHash } from './ledger.js';
import { type Scheme, parseScheme } from './schemes.js';
import { checkPublicKey, verifySignature } from './signature.js';

export const BLOCK_DOMAIN = 'formica/consensus/block/v1';
export const PROPOSAL_DOMAIN = 'formica/consensus/proposal/v1';
export const VOTE_DOMAIN = 'formica/consensus/vote/v1';
export const TIMEOUT_DOMAIN = 'formica/consensus/timeout/v1';
export const PAYLOAD_DOMAIN = 'formica/consensus/payload/v1';
export const VALIDATOR_SET_DOMAIN = 'formica/validator-set/v1'; // SDK-side fingerprint only
/** How far below a certified header `verifyHeaderCertified` walks (as formica proof verify). */
export const MAX_CERTIFIED_WALK = 10_000;

const Hash = T.fixed(32);

export const ExecRefType = T.struct('ExecRef', [
  ['height', T.u64],
  ['header_hash', Hash],
]);
export const QcSignatureType = T.struct('QcSignature', [
  ['signer', T.u32],
  ['signature', T.bytes],
]);
export const QuorumCertType = T.struct('QuorumCert', [
  ['block_id', Hash],
  ['round', T.u64],
  ['signatures', T.list(QcSignatureType)],
]);
export const TimeoutCertEntryType = T.struct('TimeoutCertEntry', [
  ['signer', T.u32],
  ['high_qc_round', T.u64],
  ['signature', T.bytes],
]);
export const TimeoutCertType = T.struct('TimeoutCert', [
  ['round', T.u64],
  ['entries', T.list(TimeoutCertEntryType)],
]);
export const BlockHeaderOnlyType = T.struct('BlockHeaderOnly', [
  ['round', T.u64],
  ['justify', QuorumCertType],
  ['tc', T.optional(TimeoutCertType)],
  ['exec', ExecRefType],
  ['time_ms', T.u64],
  ['proposer', T.u32],
  ['payload_hash', Hash],
  ['signature', T.bytes],
]);
const BlockIdDataType = T.struct('BlockIdData', [
  ['chain_id', T.string],
  ['round', T.u64],
  ['justify', QuorumCertType],
  ['tc', T.optional(TimeoutCertType)],
  ['exec', ExecRefType],
  ['time_ms', T.u64],
  ['proposer', T.u32],
  ['payload_hash', Hash],
]);
const ProposalSigDataType = T.struct('ProposalSigData', [
  ['chain_id', T.string],
  ['block_id', Hash],
]);
const VoteSigDataType = T.struct('VoteSigData', [
  ['chain_id', T.string],
  ['block_id', Hash],
  ['round', T.u64],
]);
const TimeoutSigDataType = T.struct('TimeoutSigData', [
  ['chain_id', T.string],
  ['round', T.u64],
  ['high_qc_round', T.u64],
]);

// Values in the codec's JSON mapping (u64 as decimal strings, bytes/hashes as lowercase hex).
export interface ExecRef { height: string; header_hash: string }
export interface QcSignature { signer: number; signature: string }
export interface QuorumCert { block_id: string; round: string; signatures: QcSignature[] }
export interface TimeoutCertEntry { signer: number; high_qc_round: string; signature: string }
export interface TimeoutCert { round: string; entries: TimeoutCertEntry[] }
export interface BlockHeaderOnly {
  round: string;
  justify: QuorumCert;
  tc: TimeoutCert | null;
  exec: ExecRef;
  time_ms: string;
  proposer: number;
  payload_hash: string;
  signature: string;
}

function ascending(signers: number[], what: string): void {
  for (let i = 1; i < signers.length; i++)
    if (signers[i - 1]! >= signers[i]!) throw new CodecError('invalid_value', '<top>', 0, `${what} signers not strictly ascending`);
}
function checkQcShape(qc: QuorumCert): void {
  ascending(qc.signatures.map((s) => s.signer), 'QC');
}
function checkTcShape(tc: TimeoutCert | null): void {
  if (tc) ascending(tc.entries.map((e) => e.signer), 'TC');
}

/** Strict, as codec::decode<QuorumCert> (formica_codec_check: signers strictly ascending). */
export function decodeQuorumCert(bytes: Uint8Array): QuorumCert {
  const qc = decode<QuorumCert>(QuorumCertType, bytes);
  checkQcShape(qc);
  return qc;
}
/** Strict, as codec::decode<BlockHeaderOnly> (the nested justify QC and TC checked too). */
export function decodeBlockHeaderOnly(bytes: Uint8Array): BlockHeaderOnly {
  const b = decode<BlockHeaderOnly>(BlockHeaderOnlyType, bytes);
  checkQcShape(b.justify);
  checkTcShape(b.tc);
  return b;
}

export interface ChainParams { chainId: string; hashAlg: HashAlg }

export function blockId(c: ChainParams, b: BlockHeaderOnly): Uint8Array {
  return hashOf(c.hashAlg, BLOCK_DOMAIN, BlockIdDataType, {
    chain_id: c.chainId, round: b.round, justify: b.justify, tc: b.tc, exec: b.exec, time_ms: b.time_ms, proposer: b.proposer, payload_hash: b.payload_hash,
  });
}
export function proposalDigest(c: ChainParams, id: Uint8Array | string): Uint8Array {
  return hashOf(c.hashAlg, PROPOSAL_DOMAIN, ProposalSigDataType, { chain_id: c.chainId, block_id: id });
}
export function voteDigest(c: ChainParams, id: Uint8Array | string, round: string | number | bigint): Uint8Array {
  return hashOf(c.hashAlg, VOTE_DOMAIN, VoteSigDataType, { chain_id: c.chainId, block_id: id, round: BigInt(round) });
}
export function timeoutDigest(c: ChainParams, round: string | number | bigint, highQcRound: string | number | bigint): Uint8Array {
  return hashOf(c.hashAlg, TIMEOUT_DOMAIN, TimeoutSigDataType, { chain_id: c.chainId, round: BigInt(round), high_qc_round: BigInt(highQcRound) });
}

/** payload_hash = hash_of(H, "formica/consensus/payload/v1", payload bytes). */
export function payloadHash(c: ChainParams, payload: Uint8Array): Uint8Array {
  return hashOf(c.hashAlg, PAYLOAD_DOMAIN, T.bytes, payload);
}

// ---- Validator set ----------------------------------------------------------------------------

export interface Validator {
  index: number;
  name: string;
  org: string;
  scheme: Scheme;
  publicKey: Uint8Array;
  address: string;
}
export interface ValidatorSet extends ChainParams {
  validators: Validator[];
  quorum: number; // floor(2n/3) + 1
}

export function quorumOf(n: number): number {
  return Math.floor((2 * n) / 3) + 1;
}

/**
 * The validator set from a `get_validators` answer (or a genesis file's list in that shape:
 * {chain_id, hash_alg, validators: [{name, org, scheme, public_key}]}). Checked like
 * ValidatorSet::create: not empty, keys parse, no shared key or name; addresses are derived
 * here (a given address must match), the quorum is computed here (a given one must match).
 */
export function validatorSetFromJson(j: any): ValidatorSet {
  if (!j || typeof j !== 'object' || !Array.isArray(j.validators) || j.validators.length === 0) throw new Error('validator set: no validators');
  if (typeof j.chain_id !== 'string' || !j.chain_id) throw new Error('validator set: chain_id missing');
  const hashAlg = parseHashAlg(String(j.hash_alg ?? 'sha256'));
  if (hashAlg !== 'sha256' && hashAlg !== 'sm3') throw new Error(`validator set: unexpected hash '${j.hash_alg}'`);
  const names = new Set<string>();
  const keys = new Set<string>();
  const validators: Validator[] = j.validators.map((v: any, i: number) => {
    if (v.index !== undefined && Number(v.index) !== i) throw new Error(`validator set: index ${v.index} at position ${i}`);
    const scheme = parseScheme(String(v.scheme));
    const publicKey = fromHex(String(v.public_key));
    checkPublicKey(scheme, publicKey);
    const address = addressOf(scheme, publicKey);
    if (v.address !== undefined && v.address !== address) throw new Error(`validator set: ${v.name}'s address does not match its key`);
    const name = String(v.name ?? '');
    if (names.has(name) || keys.has(toHex(publicKey))) throw new Error(`validator set: duplicate name or key (${name})`);
    names.add(name);
    keys.add(toHex(publicKey));
    return { index: i, name, org: String(v.org ?? ''), scheme, publicKey, address };
  });
  const quorum = quorumOf(validators.length);
  if (j.quorum !== undefined && Number(j.quorum) !== quorum) throw new Error(`validator set: quorum ${j.quorum} given, ${quorum} expected`);
  return { chainId: j.chain_id, hashAlg, validators, quorum };
}

const SetFingerprintType = T.struct('ValidatorSetFingerprint', [
  ['chain_id', T.string],
  ['validators', T.list(T.struct('ValidatorEntry', [['name', T.string], ['org', T.string], ['scheme', T.string], ['public_key', T.bytes]]))],
]);
/** A short fingerprint to show and compare a pinned set: SHA-256 hash_of over chain id and (name, org, scheme, key). */
export function validatorSetHash(vs: ValidatorSet): string {
  return toHex(
    hashOf('sha256', VALIDATOR_SET_DOMAIN, SetFingerprintType, {
      chain_id: vs.chainId,
      validators: vs.validators.map((v) => ({ name: v.name, org: v.org, scheme: v.scheme, public_key: v.publicKey })),
    }),
  );
}

// ---- Quorum certificates ----------------------------------------------------------------------

export type Check = { ok: true; reason: string } | { ok: false; reason: string };

/** verify_qc: >= quorum signatures, signers known, strictly ascending, each valid over the vote digest. */
export function checkQuorumCert(vs: ValidatorSet, qc: QuorumCert): Check {
  const n = qc.signatures.length;
  if (n < vs.quorum) return { ok: false, reason: `QC has ${n} signatures, quorum is ${vs.quorum}` };
  for (let i = 0; i < n; i++) {
    const s = qc.signatures[i]!.signer;
    if (s >= vs.validators.length) return { ok: false, reason: `QC: unknown signer ${s}` };
    if (i > 0 && qc.signatures[i - 1]!.signer >= s) return { ok: false, reason: `QC: duplicate or unsorted signer ${s}` };
  }
  const d = voteDigest(vs, qc.block_id, qc.round);
  for (const s of qc.signatures) {
    const v = vs.validators[s.signer]!;
    let good = false;
    try {
      good = verifySignature(v.scheme, v.publicKey, d, fromHex(s.signature));
    } catch {
      good = false;
    }
    if (!good) return { ok: false, reason: `QC: bad signature by ${s.signer}` };
  }
  return { ok: true, reason: `${n} of ${vs.validators.length} validators signed` };
}

/** A `get_certificate` answer (only the encodings are trusted after checking). */
export interface CertificateResponse {
  height?: number | string;
  header_hash?: string;
  block_id?: string;
  round?: number | string;
  signers?: number;
  block_encoded: string;
  qc_encoded: string;
}

export type CertificateVerdict = 'valid' | 'invalid' | 'malformed';
export interface CertificateCheck {
  verdict: CertificateVerdict;
  reason: string;
  block: BlockHeaderOnly | null;
  qc: QuorumCert | null;
  blockId: string | null;
  signers: number;
}

/** Steps 1-3: the QC certifies this consensus block, under the trusted validator set. */
export function verifyCertificate(vs: ValidatorSet, cert: Pick<CertificateResponse, 'block_encoded' | 'qc_encoded'>): CertificateCheck {
  const out = (verdict: CertificateVerdict, reason: string, block: BlockHeaderOnly | null = null, qc: QuorumCert | null = null, id: string | null = null): CertificateCheck => ({
    verdict, reason, block, qc, blockId: id, signers: qc?.signatures.length ?? 0,
  });
  let block: BlockHeaderOnly;
  let qc: QuorumCert;
  try {
    block = decodeBlockHeaderOnly(fromHex(String(cert.block_encoded)));
  } catch (e) {
    return out('malformed', `block: ${(e as Error).message}`);
  }
  try {
    qc = decodeQuorumCert(fromHex(String(cert.qc_encoded)));
  } catch (e) {
    return out('malformed', `qc: ${(e as Error).message}`, block);
  }
  const id = toHex(blockId(vs, block));
  if (qc.block_id !== id) return out('invalid', 'the QC certifies another block', block, qc, id);
  const c = checkQuorumCert(vs, qc);
  if (!c.ok) return out('invalid', c.reason, block, qc, id);
  return out('valid', c.reason, block, qc, id);
}

export interface FinalityCheck {
  ok: boolean;
  reason: string; // what failed, or e.g. "quorum certificate (3 of 4 validators)"
  signers: number;
  validators: number;
  quorum: number;
  round: string | null;
  certifiedHeight: string | null; // the header the QC's block names (>= the header checked)
  blockId: string | null;
}

/** Fetches a ledger header's encoding by height (get_block's header_encoded). */
export type HeaderFetcher = (height: number) => Promise<string | Uint8Array>;

/**
 * The light client's finality check of ledger header (height, hash): the certificate is valid
 * under `vs` (steps 1-3), and its block's exec names this header or a later one that links to it
 * by parent hashes (headers fetched with `fetchHeader`, each hashing to the expected hash).
 */
export async function verifyHeaderCertified(
  header: { height: number | string | bigint; hash: string | Uint8Array },
  certificate: CertificateResponse | null | undefined,
  vs: ValidatorSet,
  fetchHeader?: HeaderFetcher,
): Promise<FinalityCheck> {
  const res = (ok: boolean, reason: string, c?: CertificateCheck): FinalityCheck => ({
    ok, reason, signers: c?.signers ?? 0, validators: vs.validators.length, quorum: vs.quorum,
    round: c?.block?.round ?? null, certifiedHeight: c?.block?.exec.height ?? null, blockId: c?.blockId ?? null,
  });
  if (!certificate || typeof certificate !== 'object') return res(false, 'no quorum certificate for this header');
  const c = verifyCertificate(vs, certificate);
  if (c.verdict !== 'valid') return res(false, `quorum certificate ${c.verdict}: ${c.reason}`, c);
  const want = typeof header.hash === 'string' ? header.hash : toHex(header.hash);
  const h = BigInt(header.height);
  let at = BigInt(c.block!.exec.height);
  let expect = c.block!.exec.header_hash;
  if (at < h) return res(false, 'the certificate is for a lower height', c);
  if (at - h > BigInt(MAX_CERTIFIED_WALK)) return res(false, 'the certified header is too far above this one', c);
  while (at > h) {
    if (!fetchHeader) return res(false, `header ${at} needed to link the certified header`, c);
    let hdrBytes: Uint8Array;
    try {
      const got = await fetchHeader(Number(at));
      hdrBytes = typeof got === 'string' ? fromHex(got) : got;
    } catch (e) {
      return res(false, `header ${at} unavailable: ${(e as Error).message}`, c);
    }
    let ok = false;
    let parent = '';
    try {
      const hdr = decodeHeader(hdrBytes);
      ok = toHex(headerHash(hdr, vs.hashAlg)) === expect && BigInt(hdr.height) === at;
      parent = hdr.parent_hash;
    } catch {
      ok = false;
    }
    if (!ok) return res(false, `header chain broken at height ${at}`, c);
    expect = parent;
    at -= 1n;
  }
  if (expect !== want) return res(false, 'the certified chain does not contain this header', c);
  const through = BigInt(c.block!.exec.height) === h ? '' : `, through height ${c.block!.exec.height}`;
  return res(true, `quorum certificate (${c.signers} of ${vs.validators.length} validators${through})`, c);
}

/** True when two byte strings or hex strings are equal (helper for callers). */
export function sameHash(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? fromHex(a) : a;
  const y = typeof b === 'string' ? fromHex(b) : b;
  return equalBytes(x, y);
}
