import { describe, expect, it } from 'vitest';
import { claimState, eventKey, expectedItem, itemKey, shortVocab, temperatures, verifyTrace } from '../src/trace-verify.js';

describe('trace page checks', () => {
  it('derives the item a Digital Link names', () => {
    expect(expectedItem('https://id.gs1.org/01/04012345111118/10/L260301/21/1001')).toBe('https://id.gs1.org/01/04012345111118/21/1001');
    expect(expectedItem('http://127.0.0.1:9/01/4012345111118/21/A%2FB')).toBe('https://id.gs1.org/01/04012345111118/21/A/B');
    expect(expectedItem('not a url')).toBeNull();
  });
  it('keys events by their CBV hash and items by their id', () => {
    const k = eventKey(`ni:///sha-256;${'ab'.repeat(32)}?ver=CBV2.0`)!;
    expect(k.length).toBe('trace/e/'.length + 32);
    expect(eventKey('ni:///sha-256;zz?ver=CBV2.0')).toBeNull();
    expect(new TextDecoder().decode(itemKey('x'))).toBe('trace/i/x');
  });
  it('reads claim states', () => {
    const rec = { id: '', org: '', commissioned_height: '1', secret_hash: 'aa', claims: '0', first_claim_height: '0', first_claimer: '', last_claim_height: '0', bad_code_claims: '0' };
    expect(claimState(null)).toBe('unknown_item');
    expect(claimState(rec)).toBe('unclaimed');
    expect(claimState({ ...rec, claims: '1' })).toBe('claimed');
    expect(claimState({ ...rec, claims: '2' })).toBe('counterfeit');
    expect(claimState({ ...rec, bad_code_claims: '1' })).toBe('counterfeit');
    expect(claimState({ ...rec, secret_hash: '' })).toBe('no_code');
  });
  it('collects temperature readings in time order', () => {
    const ev = (reports: any[]) => ({ record: {} as any, declaration: null, relation: 'self', via: '', event: { sensor_elements: [{ metadata: {}, reports }] } });
    const t = temperatures([
      ev([{ type: 'https://gs1.org/voc/MeasurementType-Temperature', value: '5.5', uom: 'CEL', time: '2026-03-01T10:00:00Z' }]),
      ev([{ type: 'https://gs1.org/voc/MeasurementType-Temperature', value: '4', uom: 'CEL', time: '2026-03-01T09:00:00Z' }, { type: 'Humidity', value: '3' }]),
    ]);
    expect(t.map((r) => r.value)).toEqual([4, 5.5]);
    expect(shortVocab('https://ref.gs1.org/cbv/BizStep-retail_selling')).toBe('retail selling');
  });
  it('never calls a malformed answer verified', () => {
    const dl = 'https://id.gs1.org/01/04012345111118/21/1001';
    expect(verifyTrace({}, dl).verdict.verified).toBe(false);
    expect(verifyTrace({ trace: { item: 'https://id.gs1.org/01/04012345111118/21/1001', events: [] } }, dl).verdict.verified).toBe(false);
    const forged = { height: 3, hash_alg: 'sha256', header: { hash: '00', height: 3, state_root: '00' }, header_encoded: '00',
      trace: { item: 'https://id.gs1.org/01/04012345111118/21/1001', events: [{ hash_id: `ni:///sha-256;${'ab'.repeat(32)}?ver=CBV2.0`, proof: { key: '', value: '00', proof: '00' } }] } };
    expect(verifyTrace(forged, dl).verdict.verified).toBe(false);
  });
});
