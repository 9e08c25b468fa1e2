// The console against a real node: a CLI transfer shows up verified in the explorer (tx page
// with receipt, account balance proved in the browser, live blocks), and a tampering proxy
// makes the same pages say NOT verified. Screenshots go to build/web-artifacts/.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, cleanupAll, formica, rpcCall, startBrowser, startNetwork, startTamperProxy, type Network } from './harness.js';

let netw: Network;
let browser: BrowserContext;
let page: Page;
let proxy: { url: string; tampered: () => number };
let txId = '';
let txHeight = 0;
let recipient = '';

function formatAmount(base: string, decimals: number): string {
  const s = base.padStart(decimals + 1, '0');
  return `${s.slice(0, -decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${s.slice(-decimals)}`;
}

async function transfer(amount: string): Promise<{ id: string; height: number }> {
  const out = await formica('pay', 'transfer', '--rpc', netw.rpc, '--key', netw.key('org0', 'treasury'), '--to', recipient, '--asset', 'FMC', '--amount', amount, '--wait');
  const m = /([0-9a-f]{64}) committed at height (\d+)/.exec(out);
  if (!m) throw new Error(`unexpected pay output: ${out}`);
  return { id: m[1]!, height: Number(m[2]) };
}

async function open(base: string, hash: string) {
  await page.goto('about:blank'); // a full load per page, so no state of the previous page is matched
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
}

beforeAll(async () => {
  try {
    netw = await startNetwork();
    recipient = (await formica('account', 'address', '--key', netw.key('org1', 'treasury'))).trim();
    ({ id: txId, height: txHeight } = await transfer('250.00'));
    proxy = await startTamperProxy(netw.rpc);
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

describe('explorer on an honest node', () => {
  it('overview: network status verified against the head header, latest blocks live', async () => {
    await open(netw.rpc, '#/');
    await page.waitForSelector('#status-badge [data-verified="true"]');
    expect(await page.textContent('#chain-id')).toBe('formica-local');
    expect(Number(await page.textContent('#height'))).toBeGreaterThanOrEqual(txHeight);
    await page.waitForSelector(`#blocks tr[data-height="${txHeight}"] .mini.ok`);
    // A new block arrives through the new_blocks subscription, without reloading.
    await page.waitForSelector('.live.open');
    const next = await transfer('1.00');
    await page.waitForSelector(`#blocks tr[data-height="${next.height}"] .mini.ok`, { timeout: 20_000 });
    await page.screenshot({ path: artifact('overview.png'), fullPage: true });
  });

  it('transaction page: the transfer with its receipt and events, verified', async () => {
    await open(netw.rpc, `#/tx/${txId}`);
    await page.waitForSelector('[data-verified="true"]');
    expect(await page.textContent('#tx-id')).toBe(txId);
    expect(await page.textContent('#amount')).toContain('250.00 FMC');
    expect(await page.textContent('#receipt-status')).toBe('ok');
    // Finality: the single validator's quorum certificate, checked against the pinned set.
    expect(await page.textContent('[data-verified="true"] summary')).toContain('proof + quorum certificate (1 of 1 validators)');
    expect(await page.textContent('#receipt')).toContain('bank.transfer');
    await page.screenshot({ path: artifact('tx.png'), fullPage: true });
  });

  it('block page: header, transactions and receipts verified', async () => {
    await open(netw.rpc, `#/block/${txHeight}`);
    await page.waitForSelector('[data-verified="true"]');
    expect(await page.textContent('main')).toContain(txId.slice(0, 10));
    await page.screenshot({ path: artifact('block.png'), fullPage: true });
  });

  it('account page: the balance is proved in the browser and equals the node\'s', async () => {
    const q = await rpcCall(netw.rpc, 'query', { module: 'bank', path: 'balance', params: { address: recipient } });
    const asset = await rpcCall(netw.rpc, 'query', { module: 'bank', path: 'asset', params: { code: 'FMC' } });
    await open(netw.rpc, `#/account/${recipient}`);
    await page.waitForSelector('#account-badge [data-verified="true"]');
    const row = await page.textContent('#balances tr[data-asset="FMC"]');
    expect(row).toContain(formatAmount(q.result.balances.FMC, Number(asset.result.decimals)));
    expect(row).toContain('proved');
    await page.screenshot({ path: artifact('account.png'), fullPage: true });
  });

  it('account page: refreshes live on an events:bank.to=<address> notification, still verified', async () => {
    await open(netw.rpc, `#/account/${recipient}`);
    await page.waitForSelector('#account-badge [data-verified="true"]');
    await page.waitForSelector('.live.open');
    const before = await page.textContent('#balances tr[data-asset="FMC"]');
    await transfer('2.50');
    const q = await rpcCall(netw.rpc, 'query', { module: 'bank', path: 'balance', params: { address: recipient } });
    const expected = formatAmount(q.result.balances.FMC, 2);
    await page.waitForFunction((text) => document.querySelector('#balances tr[data-asset="FMC"]')?.textContent?.includes(text), expected, { timeout: 20_000 });
    await page.waitForSelector('#account-badge [data-verified="true"]');
    expect(await page.textContent('#balances tr[data-asset="FMC"]')).not.toBe(before);
  });

  it('scenarios page lists the scenarios file', async () => {
    await open(netw.rpc, '#/scenarios');
    await page.waitForSelector('.scenario[data-id="ledger-transfers"]');
    expect(await page.locator('.scenario').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: artifact('scenarios.png'), fullPage: true });
  });
});

describe('explorer behind a tampering proxy', () => {
  it('account page: a flipped byte in the state answer is shown as NOT verified', async () => {
    const before = proxy.tampered();
    await open(proxy.url, `#/account/${recipient}`);
    await page.waitForSelector('#account-badge [data-verified="false"]');
    expect(await page.textContent('#account-badge')).toContain('NOT verified');
    expect(proxy.tampered()).toBeGreaterThan(before);
    await page.screenshot({ path: artifact('account-tampered.png'), fullPage: true });
  });

  it('transaction page: a rewritten receipt is shown as NOT verified', async () => {
    await open(proxy.url, `#/tx/${txId}`);
    await page.waitForSelector('[data-verified="false"]');
    expect(await page.textContent('main')).toContain('NOT verified');
    await page.screenshot({ path: artifact('tx-tampered.png'), fullPage: true });
  });
});
