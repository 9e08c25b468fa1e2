// The shared vectors written by src/ledger/sdk_vectors_test.cpp: the SDK must agree with the
// C++ node byte for byte (encodings, ids, header hashes, addresses, keys, signatures, proofs).
import { describe, expect, it } from 'vitest';
import {
  PrivateKey, addressText, checkStateless, decodeHeader, decodeStateProof, decodeTransaction, encode,
  encodeHeader, encodeStateProof, encodeTransaction, encodeTxBody, fromHex, headerHash, merkleRoot,
  parseAddress, parseHashAlg, parseScheme, proofVerdict, toHex, TransferType, txId, verifyGetState,
  verifySignature, type HashAlg,
} from '../src/index.js';
import { readJson } from './helpers.js';

const txv = readJson('sdk/transactions.json');
const chainv = readJson('sdk/chain.json');

describe('transactions.json (C++ -> SDK)', () => {
  it('derives the same public keys and addresses from the fixed secrets', () => {
    expect(txv.keys.length).toBe(6);
    for (const k of txv.keys) {
      const key = PrivateKey.fromSecret(parseScheme(k.scheme), fromHex(k.secret));
      expect(key.publicKeyHex(), k.name).toBe(k.public_key);
      expect(key.address(), k.name).toBe(k.address);
      expect(toHex(key.addressBytes())).toBe(k.address_bytes);
      expect(toHex(parseAddress(k.address))).toBe(k.address_bytes);
      expect(addressText(k.address_bytes)).toBe(k.address);
    }
  });

  it('encodes bodies and transactions, computes ids, and verifies the C++ signatures', () => {
    expect(txv.transactions.length).toBeGreaterThanOrEqual(24);
    for (const t of txv.transactions) {
      const alg = parseHashAlg(t.hash_alg) as HashAlg;
      expect(toHex(encodeTxBody(t.body)), t.name).toBe(t.body_encoded);
      expect(toHex(txId(t.body, alg)), t.name).toBe(t.tx_id);
      const tx = { body: t.body, signature: t.signature };
      expect(toHex(encodeTransaction(tx)), t.name).toBe(t.tx_encoded);
      expect(decodeTransaction(fromHex(t.tx_encoded)), t.name).toEqual(tx);
      expect(addressText(t.body.sender)).toBe(t.sender_address);
      const scheme = parseScheme(t.scheme);
      expect(verifySignature(scheme, fromHex(t.body.public_key), fromHex(t.tx_id), fromHex(t.signature)), t.name).toBe(true);
      const check = checkStateless(tx, { chainId: t.body.chain_id, hashAlg: alg });
      expect(check.ok, t.name).toBe(true);
      // One flipped bit anywhere in the signature: refused.
      const bad = fromHex(t.signature);
      bad[bad.length >> 1]! ^= 0x01;
      expect(verifySignature(scheme, fromHex(t.body.public_key), fromHex(t.tx_id), bad), t.name).toBe(false);
      if (t.payload_transfer) {
        const { to_address, ...payload } = t.payload_transfer;
        expect(toHex(encode(TransferType, payload))).toBe(t.body.payload);
        expect(addressText(payload.to)).toBe(to_address);
      }
    }
  });

  it('makes byte-identical deterministic signatures (Ed25519 RFC 8032, secp256k1 RFC 6979)', () => {
    const secrets = new Map<string, string>(txv.keys.map((k: any) => [k.public_key, k.secret]));
    let n = 0;
    for (const t of txv.transactions) {
      if (!t.deterministic_signature) continue;
      const key = PrivateKey.fromSecret(parseScheme(t.scheme), fromHex(secrets.get(t.body.public_key)!));
      expect(toHex(key.sign(fromHex(t.tx_id))), t.name).toBe(t.signature);
      n++;
    }
    expect(n).toBe(16);
  });

  it('refuses what the node refuses', () => {
    const t = txv.transactions[0];
    const tx = { body: { ...t.body }, signature: t.signature };
    expect(checkStateless(tx, { chainId: 'other', hashAlg: 'sha256' })).toMatchObject({ ok: false, reason: 'wrong_chain' });
    expect(checkStateless({ ...tx, body: { ...tx.body, module: 'Bank' } }, { chainId: t.body.chain_id, hashAlg: 'sha256' })).toMatchObject({ ok: false, reason: 'bad_name' });
    expect(checkStateless({ ...tx, body: { ...tx.body, nonce: '1' } }, { chainId: t.body.chain_id, hashAlg: 'sha256' })).toMatchObject({ ok: false, reason: 'bad_signature' });
    const other = txv.keys[1];
    expect(checkStateless({ ...tx, body: { ...tx.body, public_key: other.public_key } }, { chainId: t.body.chain_id, hashAlg: 'sha256' })).toMatchObject({ ok: false, reason: 'sender_mismatch' });
    expect(checkStateless(tx, { chainId: t.body.chain_id, hashAlg: 'sha256', schemes: ['sm2'] })).toMatchObject({ ok: false, reason: 'scheme_not_allowed' });
    // Non-canonical wire bytes are refused by the decoder.
    expect(() => decodeTransaction(fromHex(t.tx_encoded + '00'))).toThrow(/trailing_bytes/);
  });
});

describe('chain.json (C++ -> SDK light client)', () => {
  for (const ch of chainv.chains) {
    const alg = parseHashAlg(ch.hash_alg);
    it(`${ch.hash_alg}: headers encode and hash identically and link`, () => {
      expect(ch.headers.length).toBe(4);
      let parent = '00'.repeat(32);
      for (const h of ch.headers) {
        expect(toHex(encodeHeader(h.header))).toBe(h.header_encoded);
        expect(decodeHeader(fromHex(h.header_encoded))).toEqual(h.header);
        expect(toHex(headerHash(h.header, alg))).toBe(h.hash);
        expect(h.header.parent_hash).toBe(parent);
        expect(toHex(merkleRoot(alg, h.tx_ids.map(fromHex)))).toBe(h.header.tx_root);
        parent = h.hash;
      }
    });

    it(`${ch.hash_alg}: inclusion and non-inclusion proofs verify, also as get_state responses`, () => {
      let incl = 0;
      let nonIncl = 0;
      for (const p of ch.proofs) {
        const value = p.value === null ? null : fromHex(p.value);
        expect(proofVerdict(alg, fromHex(p.state_root), fromHex(p.key), value, fromHex(p.proof)), p.name).toBe('valid');
        expect(toHex(encodeStateProof(decodeStateProof(fromHex(p.proof))))).toBe(p.proof);
        const header = decodeHeader(fromHex(p.header_encoded));
        const res = verifyGetState({
          key: p.key, height: p.height, value: p.value, proof: p.proof, hash_alg: ch.hash_alg,
          header: { hash: p.header_hash, height: p.height, state_root: header.state_root }, header_encoded: p.header_encoded,
        }, fromHex(p.key));
        expect(res.ok, `${p.name}: ${res.reason}`).toBe(true);
        expect(res.qc).toBe('unverified');
        if (value) incl++;
        else nonIncl++;
      }
      expect(incl).toBeGreaterThanOrEqual(4);
      expect(nonIncl).toBeGreaterThanOrEqual(3);
    });

    it(`${ch.hash_alg}: forged proofs get the C++ verdict`, () => {
      expect(ch.forged_proofs.length).toBeGreaterThan(40);
      for (const f of ch.forged_proofs) {
        const value = f.value === null ? null : fromHex(f.value);
        expect(proofVerdict(alg, fromHex(f.state_root), fromHex(f.key), value, fromHex(f.proof)), f.name).toBe(f.cpp);
        expect(f.cpp).not.toBe('valid');
      }
    });

    it(`${ch.hash_alg}: every single-bit flip of a proof, root or value is refused`, () => {
      for (const p of ch.proofs.slice(0, 4)) {
        const proof = fromHex(p.proof);
        const value = p.value === null ? null : fromHex(p.value);
        const root = fromHex(p.state_root);
        for (let i = 0; i < proof.length * 8; i++) {
          const bad = Uint8Array.from(proof);
          bad[i >> 3]! ^= 0x80 >> (i % 8);
          expect(proofVerdict(alg, root, fromHex(p.key), value, bad), `${p.name} bit ${i}`).not.toBe('valid');
        }
        for (let i = 0; i < 256; i += 7) {
          const badRoot = Uint8Array.from(root);
          badRoot[i >> 3]! ^= 0x80 >> (i % 8);
          expect(proofVerdict(alg, badRoot, fromHex(p.key), value, proof)).toBe('invalid');
        }
      }
    });

    it(`${ch.hash_alg}: a tampered get_state response is not verified`, () => {
      const p = ch.proofs.find((x: any) => x.value !== null);
      const header = decodeHeader(fromHex(p.header_encoded));
      const base = {
        key: p.key, height: p.height, value: p.value, proof: p.proof, hash_alg: ch.hash_alg,
        header: { hash: p.header_hash, height: p.height, state_root: header.state_root }, header_encoded: p.header_encoded,
      };
      expect(verifyGetState(base).ok).toBe(true);
      const flipValue = { ...base, value: (p.value.slice(0, -2) + ((parseInt(p.value.slice(-2), 16) ^ 1).toString(16).padStart(2, '0'))) };
      expect(verifyGetState(flipValue).ok).toBe(false);
      // A node that also rewrites the header's state root: the header hash no longer matches.
      const hdr = fromHex(p.header_encoded);
      hdr[hdr.length - 30]! ^= 1;
      expect(verifyGetState({ ...base, header_encoded: toHex(hdr) }).ok).toBe(false);
      expect(verifyGetState({ ...base, header: { ...base.header, state_root: '00'.repeat(32) } }).ok).toBe(false);
      expect(verifyGetState(base, fromHex('00')).ok).toBe(false); // answered another key
      expect(verifyGetState({ ...base, proof: base.proof + '00' }).reason).toMatch(/malformed/);
    });
  }
});
