// The consumer trace page against a real node (docs/trace.md): a farm and a carrier capture an
// egg carton's journey with the CLI; the page, given a photo of the carton's QR code, shows the
// timeline, the temperature chart and "verified"; the Digital Link resolver sends a browser to
// the page; a proxy that alters one proof makes it say NOT verified; a code claimed twice shows
// the counterfeit warning. Screenshots go to build/web-artifacts/.
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, cleanupAll, formica, freePort, startBrowser, startNetwork, type Network } from './harness.js';

let netw: Network;
let browser: BrowserContext;
let page: Page;
let proxyUrl = '';
let tampered = 0;
let work = '';

const GTIN = '04012345111118';
const DL1 = `https://id.gs1.org/01/${GTIN}/10/L260301/21/1001`;
const DL2 = `https://id.gs1.org/01/${GTIN}/10/L260301/21/1002`;
const C1 = 'urn:epc:id:sgtin:4012345.011111.1001';
const C2 = 'urn:epc:id:sgtin:4012345.011111.1002';
const PALLET = 'urn:epc:id:sscc:4012345.0000000001';
const FARM = 'urn:epc:id:sgln:4012345.00001.0';
const TRUCK = 'urn:epc:id:sgln:4098765.00007.0';
const CTX = {
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { cbvmda: 'urn:epcglobal:cbv:mda:' }],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-03-01T05:00:00Z',
};
const doc = (events: unknown[]) => JSON.stringify({ ...CTX, epcisBody: { eventList: events } });
const reading = (time: string, value: number) => ({
  sensorMetadata: { time },
  sensorReport: [{ type: 'Temperature', value, uom: 'CEL', time }],
});

async function capture(name: string, key: string, text: string, ...extra: string[]) {
  const f = join(work, `${name}.jsonld`);
  writeFileSync(f, text);
  return formica('trace', 'capture', f, '--rpc', netw.rpc, '--key', key, ...extra);
}

/** Forwards to the node; flips one byte of the first event's proved value in trace answers. */
async function startTraceTamperProxy(target: string): Promise<string> {
  const t = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (ur) => {
        const out: Buffer[] = [];
        ur.on('data', (c) => out.push(c));
        ur.on('end', () => {
          let payload = Buffer.concat(out);
          if (req.method === 'GET' && (req.url ?? '').startsWith('/trace/v1/trace')) {
            const j = JSON.parse(payload.toString('utf8'));
            const p = j.trace?.events?.[0]?.proof;
            if (p?.value) {
              const i = p.value.length - 2;
              p.value = p.value.slice(0, i) + ((parseInt(p.value.slice(i), 16) ^ 1).toString(16).padStart(2, '0'));
              tampered++;
            }
            payload = Buffer.from(JSON.stringify(j));
          }
          const headers = { ...ur.headers, 'content-length': String(payload.length) };
          delete headers['transfer-encoding'];
          res.writeHead(ur.statusCode ?? 502, headers);
          res.end(payload);
        });
      });
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      up.end(Buffer.concat(chunks));
    });
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  afterAll(() => new Promise<void>((ok) => {
    server.closeAllConnections?.();
    server.close(() => ok());
  }));
  return `http://127.0.0.1:${port}`;
}

async function waitReady(p: Page) {
  await p.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
}

beforeAll(async () => {
  try {
    work = mkdtempSync(join(tmpdir(), 'formica-trace-e2e-'));
    netw = await startNetwork();
    const farm = netw.key('org0', 'admin');
    const carrier = netw.key('org1', 'admin');
    await formica('trace', 'register', '--rpc', netw.rpc, '--key', farm, '--name', 'Sunny Hill Farm', '--prefix', '4012345', '--gln', '4012345000016');
    await formica('trace', 'register', '--rpc', netw.rpc, '--key', carrier, '--name', 'ColdLine', '--prefix', '4098765', '--gln', '4098765000072');
    writeFileSync(join(work, 'secrets.json'), JSON.stringify({ [C1]: 'CODE-1001', [C2]: 'CODE-1002' }));
    await capture('farm', farm, doc([
      { type: 'ObjectEvent', eventTime: '2026-03-01T06:10:00+01:00', eventTimeZoneOffset: '+01:00', epcList: [C1, C2], action: 'ADD',
        bizStep: 'commissioning', readPoint: { id: FARM }, bizLocation: { id: FARM },
        ilmd: { 'cbvmda:lotNumber': 'L260301', 'cbvmda:itemExpirationDate': '2026-03-29' } },
      { type: 'AggregationEvent', eventTime: '2026-03-01T07:00:00+01:00', eventTimeZoneOffset: '+01:00', parentID: PALLET,
        childEPCs: [C1, C2], action: 'ADD', bizStep: 'packing', readPoint: { id: FARM } },
    ]), '--secrets', join(work, 'secrets.json'));
    await capture('carrier', carrier, doc([
      { type: 'ObjectEvent', eventTime: '2026-03-01T08:00:00+01:00', eventTimeZoneOffset: '+01:00', epcList: [PALLET], action: 'OBSERVE',
        bizStep: 'shipping', readPoint: { id: TRUCK } },
      { type: 'ObjectEvent', eventTime: '2026-03-01T11:00:00+01:00', eventTimeZoneOffset: '+01:00', epcList: [PALLET], action: 'OBSERVE',
        bizStep: 'transporting', readPoint: { id: TRUCK },
        sensorElementList: [reading('2026-03-01T09:00:00+01:00', 4.2), reading('2026-03-01T10:00:00+01:00', 5.1), reading('2026-03-01T11:00:00+01:00', 4.6)] },
    ]));
    // Carton 1002's code is claimed twice (a cloned label).
    const claimer = netw.key('org1', 'treasury');
    await formica('trace', 'claim', '--rpc', netw.rpc, '--key', claimer, '--secret', 'CODE-1002');
    await formica('trace', 'claim', '--rpc', netw.rpc, '--key', claimer, '--secret', 'CODE-1002').catch(() => 'exit 1 expected');
    await formica('trace', 'qr', DL1, '--out', join(work, 'carton-1001.png'));
    proxyUrl = await startTraceTamperProxy(netw.rpc);
    browser = await startBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
  } catch (e) {
    await cleanupAll();
    throw e;
  }
});

afterAll(async () => {
  await cleanupAll();
});

describe('consumer trace page', () => {
  it('shows the verified journey from an uploaded QR photo', async () => {
    await page.goto(`${netw.rpc}/trace.html`);
    await waitReady(page);
    await page.setInputFiles('#photo', join(work, 'carton-1001.png'));
    await page.waitForSelector('#timeline', { timeout: 60_000 });
    await waitReady(page);
    expect(await page.getAttribute('.badge', 'data-verified')).toBe('true');
    const steps = await page.$$eval('#timeline li.ev', (els) => els.map((e) => e.getAttribute('data-step')));
    expect(steps).toEqual(['commissioning', 'packing', 'shipping', 'transporting']);
    expect(await page.getAttribute('#temperature-chart', 'data-points')).toBe('3');
    expect(await page.getAttribute('.claim', 'data-claim')).toBe('unclaimed');
    expect(await page.textContent('.product')).toContain('L260301');
    await page.screenshot({ path: artifact('trace-verified.png'), fullPage: true });
  });

  it('is where the Digital Link resolver sends a browser', async () => {
    await page.goto('about:blank');
    await page.goto(`${netw.rpc}/01/${GTIN}/10/L260301/21/1001`);
    await page.waitForSelector('#timeline', { timeout: 60_000 });
    await waitReady(page);
    expect(page.url()).toContain('/trace.html?dl=');
    expect(await page.getAttribute('.badge', 'data-verified')).toBe('true');
  });

  it('says NOT verified when a proof is altered on the way', async () => {
    await page.goto('about:blank');
    await page.goto(`${netw.rpc}/trace.html?dl=${encodeURIComponent(DL1)}&rpc=${encodeURIComponent(proxyUrl)}`);
    await page.waitForSelector('.badge[data-verified="false"]', { timeout: 60_000 });
    expect(tampered).toBeGreaterThan(0);
    expect(await page.textContent('.badge')).toContain('NOT verified');
    await page.screenshot({ path: artifact('trace-tampered.png'), fullPage: true });
  });

  it('warns when the one-time code was claimed twice', async () => {
    await page.goto('about:blank');
    await page.goto(`${netw.rpc}/trace.html?dl=${encodeURIComponent(DL2)}`);
    await page.waitForSelector('.claim', { timeout: 60_000 });
    expect(await page.getAttribute('.claim', 'data-claim')).toBe('counterfeit');
    expect(await page.getAttribute('.badge', 'data-verified')).toBe('true');
    await page.screenshot({ path: artifact('trace-counterfeit.png'), fullPage: true });
  });
});
