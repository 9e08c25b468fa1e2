// The console's verification rules on the shared C++ vectors (tests/vectors/sdk/chain.json),
// shaped like the node's get_block / get_state answers.
import { readFileSync } from 'node:fs';
import { addressTextOrHex, decodeHeader, fromHex, balanceKey, toHex } from '@formica/sdk';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../src/ui.js';
import { checkBalance, verifyBlock } from '../src/verify.js';

const chain = JSON.parse(readFileSync(new URL('../../tests/vectors/sdk/chain.json', import.meta.url), 'utf8'));

function asGetBlock(h: any) {
  const header = decodeHeader(fromHex(h.header_encoded));
  return { ...header, height: Number(header.height), proposer: addressTextOrHex(header.proposer), hash: h.hash, header_encoded: h.header_encoded, tx_ids: h.tx_ids, qc: null };
}

describe('verifyBlock', () => {
  for (const ch of chain.chains) {
    it(`${ch.hash_alg}: honest blocks verify, tampered ones do not`, () => {
      for (const h of ch.headers) {
        const b = asGetBlock(h);
        const v = verifyBlock(b, ch.hash_alg);
        expect(v.verified, v.reason).toBe(true);
        expect(v.qc).toBe('unverified');
        expect(verifyBlock({ ...b, state_root: '00'.repeat(32) }, ch.hash_alg).verified).toBe(false);
        expect(verifyBlock({ ...b, hash: '11'.repeat(32) }, ch.hash_alg).verified).toBe(false);
        expect(verifyBlock({ ...b, tx_ids: [...b.tx_ids, '22'.repeat(32)] }, ch.hash_alg).verified).toBe(false);
        expect(verifyBlock({ ...b, header_encoded: b.header_encoded + '00' }, ch.hash_alg).verified).toBe(false);
      }
    });
  }
});

describe('checkBalance', () => {
  it('accepts a proved value equal to the claim and refuses the rest', () => {
    const ch = chain.chains[0];
    const p = ch.proofs.find((x: any) => x.value !== null);
    const header = decodeHeader(fromHex(p.header_encoded));
    const state = { key: p.key, height: p.height, value: p.value, proof: p.proof, hash_alg: ch.hash_alg, header: { hash: p.header_hash, height: p.height, state_root: header.state_root }, header_encoded: p.header_encoded };
    const asText = (v: Uint8Array) => toHex(v);
    expect(checkBalance('X', p.value, state, fromHex(p.key), asText).ok).toBe(true);
    expect(checkBalance('X', '1', state, fromHex(p.key), asText).ok).toBe(false);
    expect(checkBalance('X', p.value, { ...state, value: p.value.replace(/.$/, (c: string) => (c === '0' ? '1' : '0')) }, fromHex(p.key), asText).ok).toBe(false);
    expect(checkBalance('X', p.value, state, balanceKey('fm1cba12ded2d4ee23c53117c71660b5b1e899429bb60fca6d0', 'FMC'), asText).ok).toBe(false);
  });
});

describe('formatAmount', () => {
  it('places the decimal point', () => {
    expect(formatAmount('25000', 2)).toBe('250.00');
    expect(formatAmount('5', 2)).toBe('0.05');
    expect(formatAmount('100025000', 2)).toBe('1,000,250.00');
    expect(formatAmount('7', 0)).toBe('7');
  });
});
