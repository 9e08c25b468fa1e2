// Signature and hash rules against public vectors: the same files and the same pinned
// verdicts as the C++ tests (src/crypto/*_vectors_test.cpp), so the browser applies the node's
// consensus rules exactly.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sm2 as smCryptoSm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import {
  PrivateKey, SM2_DEFAULT_ID, blake2b256, ed25519Verify, fromHex, keccak256, sha256, sm2DecodeDer, sm2EncodeDer, sm2Sign,
  sm2Verify, sm3, toHex, utf8, verifySignature, addressOf,
} from '../src/index.js';
import { readJson, readText } from './helpers.js';

describe('Ed25519 = libsodium strict', () => {
  it('Wycheproof: every vector gives its verdict', () => {
    const doc = readJson('crypto/wycheproof_ed25519_test.json');
    let count = 0;
    for (const g of doc.testGroups) {
      const pub = fromHex(g.publicKey.pk);
      for (const t of g.tests) {
        expect(ed25519Verify(pub, fromHex(t.msg), fromHex(t.sig)), `tcId ${t.tcId} ${t.comment}`).toBe(t.result === 'valid');
        count++;
      }
    }
    expect(count).toBe(doc.numberOfTests);
  });

  it('C2SP CCTV: accepts exactly the 43 vectors libsodium 1.0.18 accepts', () => {
    // Pinned in src/crypto/ed25519_vectors_test.cpp (kCctvAccepted).
    const expected = [7, 29, 50, 117, 139, 161, 182, 249, 305, 411, 425, 438, 465, 473, 481, 489, 497, 511, 525, 538, 565, 573,
      581, 589, 597, 611, 625, 638, 665, 673, 681, 689, 697, 711, 725, 738, 765, 773, 781, 789, 797, 832, 899];
    const doc = readJson('crypto/cctv_ed25519vectors.json');
    expect(doc.length).toBe(914);
    const accepted: number[] = [];
    for (const v of doc) if (ed25519Verify(fromHex(v.key), utf8(v.msg), fromHex(v.sig))) accepted.push(v.number);
    expect(accepted).toEqual(expected);
  });

  it('RFC 8032 test 1 key and address', () => {
    const k = PrivateKey.fromSecret('ed25519', fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
    expect(k.publicKeyHex()).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(toHex(k.sign(new Uint8Array()))).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
    expect(k.address()).toBe('fm1cba12ded2d4ee23c53117c71660b5b1e899429bb60fca6d0'); // docs/crypto.md
  });
});

describe('secp256k1 = libsecp256k1, low-S', () => {
  it('Wycheproof (Bitcoin variant): every vector gives its verdict', () => {
    const doc = readJson('crypto/wycheproof_ecdsa_secp256k1_sha256_bitcoin_test.json');
    let count = 0;
    for (const g of doc.testGroups) {
      const pub = fromHex(g.publicKey.uncompressed);
      for (const t of g.tests) {
        // Strict DER to r || s (the re-encoding must give the same bytes), as the C++ test does.
        let compact: Uint8Array | null = null;
        try {
          const sig = secp256k1.Signature.fromBytes(fromHex(t.sig), 'der');
          if (toHex(sig.toBytes('der')) === t.sig) compact = sig.toBytes('compact');
        } catch {
          compact = null;
        }
        const ok = compact !== null && verifySignature('secp256k1', pub, fromHex(t.msg), compact);
        expect(ok, `tcId ${t.tcId} ${t.comment}`).toBe(t.result === 'valid');
        count++;
      }
    }
    expect(count).toBe(doc.numberOfTests);
  });

  it('refuses high-S twins and compressed keys', () => {
    const k = PrivateKey.fromSecret('secp256k1', fromHex('03'.repeat(32)));
    const msg = utf8('hello');
    const sig = k.sign(msg);
    expect(verifySignature('secp256k1', k.publicKey, msg, sig)).toBe(true);
    const n = secp256k1.Point.Fn.ORDER;
    const s = BigInt('0x' + toHex(sig.subarray(32)));
    const high = fromHex(toHex(sig.subarray(0, 32)) + (n - s).toString(16).padStart(64, '0'));
    expect(verifySignature('secp256k1', k.publicKey, msg, high)).toBe(false);
    const compressed = secp256k1.getPublicKey(fromHex('03'.repeat(32)), true);
    expect(verifySignature('secp256k1', compressed, msg, sig)).toBe(false);
  });
});

describe('SM3 and SM2', () => {
  it('SM3: OpenSSL vectors (evpmd_sm3.txt)', () => {
    const text = readText('crypto/evpmd_sm3.txt');
    const blocks = text.split(/\n\s*\n/).filter((b) => /Digest = SM3/.test(b));
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const b of blocks) {
      const input = /Input = ([0-9A-Fa-f]*)/.exec(b)![1]!.toLowerCase();
      const output = /Output = ([0-9A-Fa-f]*)/.exec(b)![1]!.toLowerCase();
      expect(toHex(sm3(fromHex(input)))).toBe(output);
    }
  });

  it('hash known answers', () => {
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(keccak256(new Uint8Array()))).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    expect(toHex(blake2b256(utf8('abc')))).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
  });

  it('SM2: sign/verify round trip, strict DER, range checks', () => {
    const k = PrivateKey.fromSecret('sm2', fromHex('02'.repeat(32)));
    const msg = utf8('message digest');
    for (let i = 0; i < 5; i++) {
      const sig = k.sign(msg);
      expect(sig.length).toBeLessThanOrEqual(72);
      expect(sm2Verify(k.publicKey, msg, sig)).toBe(true);
      const rs = sm2DecodeDer(sig)!;
      expect(toHex(sm2EncodeDer(rs.r, rs.s))).toBe(toHex(sig));
      expect(sm2Verify(k.publicKey, utf8('message digesT'), sig)).toBe(false);
      // BER-style padding is refused.
      const body = sig.subarray(2);
      const padded = Uint8Array.from([0x30, body.length + 1, 0x02, body[1]! + 1, 0x00, ...body.subarray(2)]);
      expect(sm2Verify(k.publicKey, msg, padded)).toBe(false);
    }
    expect(sm2Verify(k.publicKey, msg, sm2EncodeDer(0n, 1n))).toBe(false);
  });

  it('SM2: interoperates with an independent implementation (sm-crypto-v2) under the default ID', () => {
    const secret = '0b'.repeat(32);
    const k = PrivateKey.fromSecret('sm2', fromHex(secret));
    const pubHex = k.publicKeyHex();
    expect(smCryptoSm2.getPublicKeyFromPrivateKey(secret)).toBe(pubHex);
    const msg = utf8('formica interop');
    // Theirs -> ours.
    const theirs = smCryptoSm2.doSignature(msg, secret, { hash: true, der: true, userId: SM2_DEFAULT_ID });
    expect(sm2Verify(k.publicKey, msg, fromHex(theirs))).toBe(true);
    // Ours -> theirs.
    const ours = toHex(sm2Sign(fromHex(secret), msg));
    expect(smCryptoSm2.doVerifySignature(msg, ours, pubHex, { hash: true, der: true, userId: SM2_DEFAULT_ID })).toBe(true);
    // A signature under another ID (e.g. OpenSSL 3.0's empty default) is refused.
    const otherId = smCryptoSm2.doSignature(msg, secret, { hash: true, der: true, userId: '' });
    expect(sm2Verify(k.publicKey, msg, fromHex(otherId))).toBe(false);
  });

  it('key generation gives valid keys of every scheme', () => {
    for (const s of ['ed25519', 'sm2', 'secp256k1'] as const) {
      const k = PrivateKey.generate(s);
      const msg = utf8('x');
      expect(verifySignature(s, k.publicKey, msg, k.sign(msg))).toBe(true);
      expect(k.address()).toBe(addressOf(s, k.publicKey));
      expect(k.address().startsWith(`fm${s === 'ed25519' ? 1 : s === 'sm2' ? 2 : 3}`)).toBe(true);
    }
  });
});
