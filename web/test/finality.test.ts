// The badge and verdict merge for header finality (finality.ts, ui.ts), without a node.
import { describe, expect, it } from 'vitest';
import { withFinality } from '../src/finality.js';
import { badge } from '../src/ui.js';
import type { Verdict } from '../src/verify.js';

const proved: Verdict = { verified: true, checks: [{ what: 'header hashes to the block hash', ok: true }], qc: 'unverified', reason: 'block 7 consistent with its header hash' };
const fin = (ok: boolean, reason: string) => ({ ok, reason, signers: ok ? 3 : 0, validators: 4, quorum: 3, round: '9', certifiedHeight: '7', blockId: null });

describe('finality in the badge', () => {
  it('green only with proof + quorum certificate, and says how many validators signed', () => {
    const v = withFinality(proved, fin(true, 'quorum certificate (3 of 4 validators)'));
    expect(v).toMatchObject({ verified: true, qc: 'verified', finality: 'quorum certificate (3 of 4 validators)' });
    const html = badge(v);
    expect(html).toContain('data-verified="true"');
    expect(html).toContain('data-final="true"');
    expect(html).toContain('proof + quorum certificate (3 of 4 validators)');
  });

  it('a failed certificate check turns a proved page red and names the check', () => {
    const v = withFinality(proved, fin(false, 'quorum certificate invalid: QC has 2 signatures, quorum is 3'));
    expect(v.verified).toBe(false);
    expect(v.qc).toBe('invalid');
    expect(v.reason).toBe('header finality: quorum certificate invalid: QC has 2 signatures, quorum is 3');
    const html = badge(v);
    expect(html).toContain('data-verified="false"');
    expect(html).toContain('NOT verified');
    expect(html).toContain('QC has 2 signatures');
  });

  it('an error while asking (no validator set, node down) is not verified either', () => {
    const v = withFinality(proved, new Error('no validator set'));
    expect(v.verified).toBe(false);
    expect(badge(v)).toContain('no validator set');
  });

  it('a page that failed before finality keeps its own reason', () => {
    const bad: Verdict = { ...proved, verified: false, checks: [{ what: 'state proof', ok: false }], reason: 'state proof' };
    expect(withFinality(bad, fin(true, 'quorum certificate (4 of 4 validators)')).reason).toBe('state proof');
  });

  it('pages that do not check finality say so in a green badge', () => {
    const html = badge(proved);
    expect(html).toContain('data-final="false"');
    expect(html).toContain('not checked on this page');
  });
});
