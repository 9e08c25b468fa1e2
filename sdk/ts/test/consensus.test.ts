// The light client's finality check against tests/vectors/sdk/consensus.json, written by
// src/consensus/sdk_vectors_test.cpp: block ids, vote digests, certificate verdicts (valid,
// too few signatures, QC over another block, wrong chain, wrong validator set, malformed) and
// the parent-hash walk from a certified header down to an older one.
import { describe, expect, it } from 'vitest';
import {
  blockId, checkQuorumCert, decodeBlockHeaderOnly, decodeQuorumCert, encode, fromHex, headerHash, decodeHeader, BlockHeaderOnlyType,
  PrivateKey, parseScheme, proposalDigest, QuorumCertType, toHex, validatorSetFromJson, validatorSetHash, verifyCertificate,
  verifyHeaderCertified, verifyQuorumCert, verifySignature, voteDigest, type ValidatorSet,
} from '../src/index.js';
import { readJson } from './helpers.js';

const v = readJson('sdk/consensus.json');

function setOf(chain: any, which: 'genesis_set' | 'other_set'): ValidatorSet {
  return validatorSetFromJson({ chain_id: chain.chain_id, hash_alg: chain.hash_alg, quorum: chain[which].quorum, validators: chain[which].validators });
}

function flipHex(h: string, byte: number): string {
  const i = byte * 2;
  return h.slice(0, i) + (parseInt(h.slice(i, i + 2), 16) ^ 1).toString(16).padStart(2, '0') + h.slice(i + 2);
}

for (const chain of v.chains) {
  const vs = setOf(chain, 'genesis_set');
  const other = setOf(chain, 'other_set');
  const headers: any[] = chain.headers;
  const fetchHeader = async (h: number) => headers[h].header_encoded as string;

  describe(`consensus.json ${chain.hash_alg}`, () => {
    it('derives the validator keys and addresses from the fixed secrets (all three schemes)', () => {
      expect(vs.validators.map((x) => x.scheme)).toEqual(['ed25519', 'sm2', 'secp256k1', 'ed25519']);
      expect(vs.quorum).toBe(3);
      for (const x of chain.genesis_set.validators) {
        const k = PrivateKey.fromSecret(parseScheme(x.scheme), fromHex(x.secret));
        expect(k.publicKeyHex()).toBe(x.public_key);
        expect(k.address()).toBe(x.address);
      }
      expect(validatorSetHash(vs)).not.toBe(validatorSetHash(other));
      expect(validatorSetHash(vs)).toBe(validatorSetHash(setOf(chain, 'genesis_set')));
    });

    it('decodes and re-encodes blocks and QCs byte for byte; block ids and digests as C++', () => {
      for (const b of chain.blocks) {
        const block = decodeBlockHeaderOnly(fromHex(b.block_encoded));
        expect(block, b.name).toEqual(b.block);
        expect(toHex(encode(BlockHeaderOnlyType, block))).toBe(b.block_encoded);
        const qc = decodeQuorumCert(fromHex(b.qc_encoded));
        expect(qc).toEqual(b.qc);
        expect(toHex(encode(QuorumCertType, qc))).toBe(b.qc_encoded);
        expect(toHex(blockId(vs, block)), b.name).toBe(b.block_id);
        expect(toHex(proposalDigest(vs, b.block_id))).toBe(b.proposal_digest);
        expect(toHex(voteDigest(vs, b.block_id, block.round))).toBe(b.vote_digest);
        if (b.name !== 'genesis-root') {
          const p = vs.validators[block.proposer]!;
          expect(verifySignature(p.scheme, p.publicKey, proposalDigest(vs, b.block_id), fromHex(block.signature))).toBe(true);
        }
      }
      expect(chain.blocks[3].block.tc.entries.length).toBe(3);
    });

    it('gives every certificate the C++ verdict (verify_qc and the block id check)', () => {
      expect(chain.certificates.length).toBeGreaterThanOrEqual(20);
      for (const c of chain.certificates) {
        const set = c.validator_set === 'genesis' ? vs : other;
        const r = verifyCertificate(set, c);
        expect(r.verdict, `${c.name}: ${r.reason}`).toBe(c.verdict);
        if (c.verdict === 'invalid' && /^QC|certifies/.test(c.reason)) expect(r.reason, c.name).toBe(c.reason);
      }
    });

    it('finality: a header is certified directly and through the parent-hash walk', async () => {
      const cert = chain.certificates.find((c: any) => c.name.startsWith('b3'));
      for (let h = 3; h >= 0; h--) {
        const r = await verifyHeaderCertified({ height: h, hash: headers[h].hash }, cert, vs, fetchHeader);
        expect(r.ok, r.reason).toBe(true);
        expect(r.reason).toContain('3 of 4 validators');
      }
      const direct = chain.certificates.find((c: any) => c.name.startsWith('b2'));
      const r = await verifyHeaderCertified({ height: 2, hash: headers[2].hash }, direct, vs);
      expect(r).toMatchObject({ ok: true, signers: 4, validators: 4, quorum: 3, certifiedHeight: '2' });
      expect(verifyQuorumCert(decodeHeader(fromHex(headers[2].header_encoded)), direct, vs)).toBe('verified');
      expect(verifyQuorumCert(decodeHeader(fromHex(headers[1].header_encoded)), direct, vs)).toBe('unverified');
      expect(verifyQuorumCert(decodeHeader(fromHex(headers[2].header_encoded)), direct, null)).toBe('unverified');
    });

    it('refuses a wrong validator set', async () => {
      const cert = chain.certificates.find((c: any) => c.name.startsWith('b1'));
      const r = await verifyHeaderCertified({ height: 1, hash: headers[1].hash }, cert, other, fetchHeader);
      expect(r.ok).toBe(false);
      expect(r.reason).toContain('bad signature');
      expect(verifyQuorumCert(decodeHeader(fromHex(headers[1].header_encoded)), cert, other)).toBe('invalid');
    });

    it('refuses a QC with too few signatures', async () => {
      const cert = chain.certificates.find((c: any) => c.name.startsWith('too few'));
      const r = await verifyHeaderCertified({ height: 1, hash: headers[1].hash }, cert, vs, fetchHeader);
      expect(r.ok).toBe(false);
      expect(r.reason).toContain('QC has 2 signatures, quorum is 3');
      const qc = decodeQuorumCert(fromHex(cert.qc_encoded));
      expect(checkQuorumCert(vs, qc).ok).toBe(false);
    });

    it('refuses a forged or foreign QC', async () => {
      for (const name of ['QC over another block', 'votes signed for another chain', 'QC made by a wrong validator set', 'flipped signature byte', 'signature attributed']) {
        const cert = chain.certificates.find((c: any) => c.name.startsWith(name));
        const h = Number(cert.certified_height);
        const r = await verifyHeaderCertified({ height: h, hash: headers[h].hash }, cert, vs, fetchHeader);
        expect(r.ok, name).toBe(false);
      }
      // A byte flipped anywhere in a valid certificate's block or QC encoding is never accepted.
      const good = chain.certificates.find((c: any) => c.name.startsWith('b3'));
      for (const field of ['block_encoded', 'qc_encoded'] as const) {
        for (let i = 0; i < good[field].length / 2; i += 7) {
          const bad = { ...good, [field]: flipHex(good[field], i) };
          const r = await verifyHeaderCertified({ height: 3, hash: headers[3].hash }, bad, vs, fetchHeader);
          if (r.ok) {
            // The only harmless flips are in the block's own proposer signature (not part of the id).
            const block = decodeBlockHeaderOnly(fromHex(bad.block_encoded));
            expect(field).toBe('block_encoded');
            expect(toHex(blockId(vs, block))).toBe(toHex(blockId(vs, decodeBlockHeaderOnly(fromHex(good.block_encoded)))));
          }
        }
      }
    });

    it('refuses a broken parent-hash chain and a header the certified chain does not contain', async () => {
      const cert = chain.certificates.find((c: any) => c.name.startsWith('b3'));
      // header 2 altered (state root byte): no longer hashes to header 3's parent hash
      const tampered = async (h: number) => (h === 2 ? flipHex(headers[2].header_encoded, 40) : headers[h].header_encoded);
      const r = await verifyHeaderCertified({ height: 1, hash: headers[1].hash }, cert, vs, tampered);
      expect(r).toMatchObject({ ok: false, reason: 'header chain broken at height 2' });
      // a node answering header 3 for height 2
      const wrong = async (h: number) => headers[h === 2 ? 3 : h].header_encoded;
      expect((await verifyHeaderCertified({ height: 1, hash: headers[1].hash }, cert, vs, wrong)).ok).toBe(false);
      // a header that is not on the certified chain
      const r2 = await verifyHeaderCertified({ height: 1, hash: headers[2].hash }, cert, vs, fetchHeader);
      expect(r2).toMatchObject({ ok: false, reason: 'the certified chain does not contain this header' });
      // a certificate below the header
      const low = chain.certificates.find((c: any) => c.name.startsWith('b1'));
      expect((await verifyHeaderCertified({ height: 3, hash: headers[3].hash }, low, vs, fetchHeader)).reason).toBe('the certificate is for a lower height');
      // no certificate at all
      expect((await verifyHeaderCertified({ height: 3, hash: headers[3].hash }, null, vs)).ok).toBe(false);
      // the header hashes as C++ says
      expect(toHex(headerHash(decodeHeader(fromHex(headers[3].header_encoded)), vs.hashAlg))).toBe(headers[3].hash);
    });

    it('refuses a malformed validator set', () => {
      const g = chain.genesis_set;
      const base = { chain_id: chain.chain_id, hash_alg: chain.hash_alg, validators: g.validators };
      expect(() => validatorSetFromJson({ ...base, quorum: 2 })).toThrow(/quorum/);
      expect(() => validatorSetFromJson({ ...base, validators: [] })).toThrow();
      expect(() => validatorSetFromJson({ ...base, validators: [g.validators[0], { ...g.validators[0], index: 1, name: 'x' }] })).toThrow(/duplicate/);
      expect(() => validatorSetFromJson({ ...base, validators: [{ ...g.validators[0], address: g.validators[1].address }] })).toThrow(/address/);
    });
  });
}
