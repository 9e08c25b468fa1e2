// The Universal ID pages against a real node (docs/id.md): an ID authority registers its key on
// chain and issues a wallet with the CLI; the café's page makes a challenge, the phone (the CLI)
// answers it, and the page shows "18 or older ✓"; a replayed answer, an answer for another
// verifier and an under-age wallet's relabelled proof show their reasons; the holder page shows
// what is revealed and what stays hidden. Screenshots go to build/web-artifacts/.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, cleanupAll, formica, startBrowser, startNetwork, type Network } from './harness.js';

let netw: Network;
let browser: BrowserContext;
let page: Page;
let work = '';

function yearsAgo(n: number, dayShift = 0): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() - n);
  d.setDate(d.getDate() + dayShift);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

async function wallet(name: string, birth: string): Promise<string> {
  const attrs = join(work, `${name}.json`);
  writeFileSync(attrs, JSON.stringify({ name, id_number: `ID-${name}`, birth_date: birth, city: 'Lyon' }));
  const out = join(work, `${name}-wallet.json`);
  await formica('id', 'issue', '--issuer', join(work, 'gov-id'), '--attrs', attrs, '--count', '5', '--out', out, '--rpc', netw.rpc);
  return out;
}

async function challenge(): Promise<{ verifier: string; nonce: string; today: string; predicates: string[] }> {
  await page.click('#new');
  await page.waitForSelector('#challenge');
  return JSON.parse((await page.textContent('#challenge'))!);
}

async function prove(walletPath: string, c: { verifier: string; nonce: string; today: string }, pred = 'age>=18'): Promise<string> {
  const out = join(work, `p-${c.nonce}-${pred.replace(/\W/g, '')}.bin`);
  const j = JSON.parse(
    await formica('id', 'prove', '--wallet', walletPath, '--predicate', pred, '--verifier', c.verifier, '--today', c.today,
      '--nonce', c.nonce, '--out', out, '--json'),
  );
  return j.base64url as string;
}

async function submit(text: string): Promise<{ valid: string | null; text: string }> {
  await page.fill('#presentation', text);
  await page.click('#check');
  await page.waitForSelector('.verdict');
  const el = await page.$('.verdict');
  return { valid: await el!.getAttribute('data-valid'), text: (await el!.textContent()) ?? '' };
}

describe('Universal ID pages', () => {
  beforeAll(async () => {
    netw = await startNetwork();
    work = mkdtempSync(join(tmpdir(), 'formica-id-e2e-'));
    await formica('id', 'issuer', 'init', '--out', join(work, 'gov-id'), '--attrs', 'name,id_number,birth_date,city');
    await formica('id', 'register', '--rpc', netw.rpc, '--key', netw.key('org0', 'admin'), '--issuer', join(work, 'gov-id'),
      '--organisation', 'National ID Authority', '--wait');
    browser = await startBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await cleanupAll();
  });

  it('the café page verifies "18 or older" and learns nothing else', async () => {
    const adult = await wallet('amira', yearsAgo(30));
    await page.goto(`${netw.rpc}/id.html#verify`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.$eval('#issuer', (e) => (e as HTMLSelectElement).value)).toBe('gov-id');
    const c = await challenge();
    expect(c.verifier).toBe('internet-cafe-42');
    // The challenge QR code decodes (independent decoder) to the same challenge.
    const img = await page.evaluate(async () => {
      const svg = document.querySelector('#challenge-qr svg')!;
      const im = new Image();
      im.src = 'data:image/svg+xml;base64,' + btoa(svg.outerHTML);
      await im.decode();
      const cv = document.createElement('canvas');
      cv.width = im.width;
      cv.height = im.height;
      const ctx = cv.getContext('2d')!;
      ctx.drawImage(im, 0, 0);
      return { w: cv.width, h: cv.height, data: Array.from(ctx.getImageData(0, 0, cv.width, cv.height).data) };
    });
    expect(jsQR(Uint8ClampedArray.from(img.data), img.w, img.h)?.data).toBe(await page.textContent('#challenge'));
    expect(c.predicates).toEqual(['age>=18']);
    const pres = await prove(adult, c);
    expect(pres.length).toBeLessThan(2000); // fits a QR code
    const r = await submit(pres);
    expect(r.valid).toBe('true');
    expect(r.text).toContain('18 or older ✓');
    expect(await page.textContent('#result')).toContain('Nothing else was revealed');
    expect(await page.textContent('#result')).not.toContain('amira');
    await page.screenshot({ path: artifact('id-verifier-ok.png'), fullPage: true });

    // The phone shows its answer as a QR code; the café reads a photo of it.
    const c2 = await challenge();
    const png = join(work, 'answer.png');
    await formica('id', 'prove', '--wallet', adult, '--predicate', 'age>=18', '--verifier', c2.verifier, '--today', c2.today,
      '--nonce', c2.nonce, '--out', join(work, 'answer.bin'), '--qr', png);
    await page.fill('#presentation', '');
    await page.setInputFiles('#photo', png);
    await page.waitForSelector('.verdict');
    expect(await page.$eval('.verdict', (e) => e.getAttribute('data-valid'))).toBe('true');
    expect(await page.textContent('.verdict')).toContain('18 or older ✓');

    // The same answer against a new challenge: replayed.
    await challenge();
    const again = await submit(pres);
    expect(again.valid).toBe('false');
    expect(await page.textContent('#reason')).toContain('replayed');
    await page.screenshot({ path: artifact('id-verifier-replay.png'), fullPage: true });
  });

  it('shows the precise reason for another verifier, an under-age relabel and garbage', async () => {
    await page.goto(`${netw.rpc}/id.html#verify`);
    await page.waitForSelector('body[data-ready="true"]');
    const c = await challenge();
    const adult = await wallet('bo', yearsAgo(40));
    const other = await prove(adult, { ...c, verifier: 'embassy-fr' });
    await submit(other);
    expect(await page.textContent('#reason')).toContain('another verifier');

    // A 17-year-old's phone refuses age>=18; a proof of age>=17 presented for age>=18 is rejected.
    const kid = await wallet('kid', yearsAgo(18, 1));
    await expect(prove(kid, c)).rejects.toThrow();
    const weaker = await prove(kid, c, 'age>=17');
    await submit(weaker);
    expect(await page.textContent('#reason')).toContain('other statements');

    await submit('AAAA');
    expect(await page.$eval('.verdict', (e) => e.getAttribute('data-valid'))).toBe('false');
  });

  it('the holder page shows what will be revealed before presenting', async () => {
    const w = await wallet('cleo', yearsAgo(25));
    await page.goto(`${netw.rpc}/id.html#verify`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#disclose', 'city');
    await challenge();
    await page.goto(`${netw.rpc}/id.html#holder`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#wallet', readFileSync(w, 'utf8'));
    await page.click('#preview');
    await page.waitForSelector('#reveal');
    const revealed = await page.$$eval('#reveal tr', (rows) => rows.map((r) => [r.getAttribute('data-attr'), r.getAttribute('data-revealed'), r.textContent]));
    const by = Object.fromEntries(revealed.map(([a, rev, t]) => [a, { rev, t }]));
    expect(by.city.rev).toBe('true');
    expect(by.birth_date.rev).toBe('false');
    expect(by.birth_date.t).toContain('18 or older');
    expect(by.name.rev).toBe('false');
    expect(by.id_number.rev).toBe('false');
    expect(await page.$('#false-statement')).toBeNull();
    await page.screenshot({ path: artifact('id-holder.png'), fullPage: true });
  });
});
