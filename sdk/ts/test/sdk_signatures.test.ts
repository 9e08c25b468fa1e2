// SDK -> C++: transactions signed by the SDK, committed in tests/vectors/sdk/sdk_signatures.json
// and checked by src/ledger/sdk_vectors_test.cpp (SdkVectors.SdkSignaturesVerifyInCpp) with the
// node's check_stateless. The file is written once with `npm run write-vectors`
// (FORMICA_WRITE_SDK_VECTORS=1) and then only checked here, so it never churns.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PrivateKey, addressText, checkStateless, decodeTransaction, fromHex, parseHashAlg, parseScheme, signTransaction, toHex,
  transferPayload, type HashAlg, type Scheme,
} from '../src/index.js';
import { VECTORS, readJson } from './helpers.js';

const FILE = resolve(VECTORS, 'sdk/sdk_signatures.json');
const WRITE = process.env.FORMICA_WRITE_SDK_VECTORS === '1';

function make() {
  const out: any[] = [];
  const keys: [Scheme, string][] = [
    ['ed25519', '5a'.repeat(32)], ['ed25519', '5b'.repeat(32)],
    ['sm2', '6a'.repeat(32)], ['sm2', '6b'.repeat(32)],
    ['secp256k1', '7a'.repeat(32)], ['secp256k1', '7b'.repeat(32)],
  ];
  keys.forEach(([scheme, secret], i) => {
    const key = PrivateKey.fromSecret(scheme, fromHex(secret));
    const to = PrivateKey.fromSecret(keys[(i + 1) % keys.length]![0], fromHex(keys[(i + 1) % keys.length]![1])).address();
    for (const alg of ['sha256', 'sm3'] as HashAlg[]) {
      const { tx, id, encoded } = signTransaction(
        { chainId: 'sdk-signed', nonce: i * 7, module: 'bank', kind: 'transfer', payload: transferPayload(to, 'FMC', 1000n + BigInt(i)), expiryHeight: 5000 },
        key,
        alg,
      );
      out.push({
        name: `${scheme}-${i}/${alg}`, scheme, hash_alg: alg, secret, sender_address: addressText(tx.body.sender),
        tx_id: toHex(id), tx_encoded: toHex(encoded),
      });
    }
  });
  return out;
}

describe('sdk_signatures.json (SDK -> C++)', () => {
  it.runIf(WRITE)('writes the file (once)', () => {
    const doc = {
      about: 'Written ONCE by sdk/ts (npm run write-vectors) and committed; checked by src/ledger/sdk_vectors_test.cpp and sdk/ts/test/sdk_signatures.test.ts. Secrets are test-only.',
      transactions: make(),
    };
    writeFileSync(FILE, JSON.stringify(doc, null, 1) + '\n');
  });

  it('the committed SDK transactions verify, and deterministic ones are reproduced exactly', () => {
    expect(existsSync(FILE)).toBe(true);
    const doc = readJson('sdk/sdk_signatures.json');
    expect(doc.transactions.length).toBe(12);
    const fresh = new Map(make().map((t) => [t.name, t]));
    for (const t of doc.transactions) {
      const tx = decodeTransaction(fromHex(t.tx_encoded));
      const r = checkStateless(tx, { chainId: tx.body.chain_id, hashAlg: parseHashAlg(t.hash_alg) });
      expect(r.ok, t.name).toBe(true);
      if (r.ok) expect(toHex(r.id)).toBe(t.tx_id);
      const again = fresh.get(t.name)!;
      expect(again.tx_id).toBe(t.tx_id);
      if (parseScheme(t.scheme) !== 'sm2') expect(again.tx_encoded, t.name).toBe(t.tx_encoded);
    }
  });
});
