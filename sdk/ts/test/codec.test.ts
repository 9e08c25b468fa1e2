// tests/vectors/codec/canonical.json: the contract of docs/codec.md, shared with C++.
import { describe, expect, it } from 'vitest';
import { CodecError, decode, encode, fromHex, parseType, toHex, uvarint } from '../src/index.js';
import { readJson } from './helpers.js';

const doc = readJson('codec/canonical.json');
const cache = {};
const type = (t: string) => parseType(t, doc.types, cache);

function kindOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CodecError) return e.kind;
    throw e;
  }
  return 'accepted';
}

describe('canonical.json', () => {
  it('valid vectors: encode and decode', () => {
    for (const v of doc.valid) {
      const t = type(v.type);
      expect(toHex(encode(t, v.json)), v.name).toBe(v.hex);
      expect(toHex(encode(t, decode(t, fromHex(v.hex)))), v.name).toBe(v.hex);
    }
  });
  it('invalid binary: the same failure kind', () => {
    for (const v of doc.invalid_binary) expect(kindOf(() => decode(type(v.type), fromHex(v.hex))), v.name).toBe(v.error);
  });
  it('invalid JSON values: the same failure kind', () => {
    for (const v of doc.invalid_json) expect(kindOf(() => encode(type(v.type), v.json)), v.name).toBe(v.error);
  });
  it('uvarint examples (§2.1)', () => {
    expect(toHex(uvarint(0))).toBe('00');
    expect(toHex(uvarint(127))).toBe('7f');
    expect(toHex(uvarint(128))).toBe('8001');
    expect(toHex(uvarint(300))).toBe('ac02');
    expect(toHex(uvarint(2n ** 64n - 1n))).toBe('ffffffffffffffffff01');
    expect(kindOf(() => decode(type('string'), fromHex('8000')))).toBe('non_canonical_varint');
    expect(kindOf(() => decode(type('bytes'), fromHex('ffffffffffffffffff02')))).toBe('varint_overflow');
  });
  it('limits', () => {
    let t = parseType('u8');
    for (let i = 0; i < 33; i++) t = { k: 'list', t };
    expect(kindOf(() => decode(t, new Uint8Array(40).fill(1)))).toBe('depth_limit');
    expect(kindOf(() => encode(parseType('list<u8>'), [1, 2, 3], { maxInput: 16 << 20, maxLength: 4 << 20, maxCount: 2, maxDepth: 32 }))).toBe('count_limit');
  });
});
