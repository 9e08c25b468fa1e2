// The QR encoder (src/qr.ts) against an independent decoder (jsQR): every version 1..15 at
// level M, text lengths up to the largest capacity, and the challenge the ID page shows.
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { encodeQr } from '../src/qr.js';

function decode(text: string): { data: string; version: number } | null {
  const q = encodeQr(text);
  const scale = 4, n = (q.size + 8) * scale;
  const img = new Uint8ClampedArray(n * n * 4).fill(255);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const mx = Math.floor(x / scale) - 4, my = Math.floor(y / scale) - 4;
      if (q.dark(mx, my)) {
        const o = (y * n + x) * 4;
        img[o] = img[o + 1] = img[o + 2] = 0;
      }
    }
  const r = jsQR(img, n, n);
  return r ? { data: r.data, version: q.version } : null;
}

describe('qr encoder', () => {
  it('round-trips through jsQR for every version', () => {
    const seen = new Set<number>();
    for (const len of [1, 10, 14, 20, 26, 40, 60, 62, 84, 100, 106, 122, 140, 152, 180, 213, 230, 271, 300, 321, 367, 400, 412]) {
      const text = Array.from({ length: len }, (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789{}":,'[(i * 7 + len) % 41]).join('');
      const r = decode(text);
      expect(r?.data, `length ${len}`).toBe(text);
      seen.add(r!.version);
    }
    expect(seen.size).toBeGreaterThanOrEqual(12);
  });
  it('encodes a verifier challenge', () => {
    const c = JSON.stringify({ issuer: 'gov-id', verifier: 'internet-cafe-42', nonce: '8393e5b361aaa2ebc8983db17a0c058b', today: '2026-11-25', predicates: ['age>=18'], disclose: [] });
    expect(decode(c)?.data).toBe(c);
  });
  it('refuses text beyond version 15', () => {
    expect(() => encodeQr('x'.repeat(500))).toThrow();
  });
});
