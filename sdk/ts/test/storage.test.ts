// docs/storage.md known answers: the two-key tree and the example proof, both hash functions.
import { describe, expect, it } from 'vitest';
import { concat, decodeStateProof, fromHex, hash, proofVerdict, toHex, utf8, type HashAlg } from '../src/index.js';

const bit = (h: Uint8Array, i: number) => (h[i >> 3]! >> (7 - (i % 8))) & 1;
function root(alg: HashAlg, pairs: [Uint8Array, Uint8Array][], d = 0): Uint8Array {
  if (pairs.length === 0) return new Uint8Array(32);
  if (pairs.length === 1) return hash(alg, concat(Uint8Array.of(0), pairs[0]![0], pairs[0]![1]));
  return hash(alg, concat(Uint8Array.of(1), root(alg, pairs.filter((p) => !bit(p[0], d)), d + 1), root(alg, pairs.filter((p) => bit(p[0], d)), d + 1)));
}

describe('state tree known answers', () => {
  const kv: [string, string][] = [['alice', '100'], ['bob', '50']];
  it('roots', () => {
    for (const [alg, expected] of [
      ['sha256', 'ce45b1a9cca8cea75d3995c51b14cbea8ed0c53730c92e99040fa6ff38ada2c8'],
      ['sm3', '553d188d804a425e7963550e02cdc9949e884569b460d10dece02f1412daaabd'],
    ] as const) {
      expect(toHex(root(alg, kv.map(([k, v]) => [hash(alg, utf8(k)), hash(alg, utf8(v))])))).toBe(expected);
    }
  });
  it('the example proof for alice', () => {
    const proof = fromHex(
      '01' + '2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90' + 'ad57366865126e55649ecb23ae1d48887544976efea46a48eb5d85a6eeb4d306' +
        '0001' + '80' + '8630a0219da60d715f3ef7cfe2686421a3a41fc82a4ab67c7947b79f425fc5f1',
    );
    const r = fromHex('ce45b1a9cca8cea75d3995c51b14cbea8ed0c53730c92e99040fa6ff38ada2c8');
    expect(decodeStateProof(proof).siblings.length).toBe(1);
    expect(proofVerdict('sha256', r, utf8('alice'), utf8('100'), proof)).toBe('valid');
    expect(proofVerdict('sha256', r, utf8('alice'), utf8('101'), proof)).toBe('invalid');
    expect(proofVerdict('sha256', r, utf8('alice'), null, proof)).toBe('invalid');
    // Non-zero padding bits, an explicit empty sibling: malformed.
    expect(proofVerdict('sha256', r, utf8('alice'), utf8('100'), concat(proof.subarray(0, 67), Uint8Array.of(0xc0), proof.subarray(68)))).toBe('malformed');
  });
});
