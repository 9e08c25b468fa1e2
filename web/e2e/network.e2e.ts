// Finality in the browser against a real 4-validator network (BFT consensus, quorum 3):
// the Network page lists the validators (org, scheme) and each node's height/round/peers, live;
// explorer badges say "proof + quorum certificate (k of 4 validators)"; and a proxy that flips
// one byte of qc_encoded or block_encoded in get_certificate answers makes them NOT verified.
// Screenshots go to build/web-artifacts/ (network*.png, finality-*.png).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, FORMICA, artifact, cleanupAll, formica, freePort, rpcCall, startBrowser } from './harness.js';

const N = 4;
const mine: (() => Promise<void> | void)[] = [];
const procs: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of procs) if (c.exitCode === null && c.pid) try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
});

let dir = '';
let rpcs: string[] = [];
let browser: BrowserContext;
let page: Page;
let recipient = '';
let tx = { id: '', height: 0 };

async function transfer(amount: string): Promise<{ id: string; height: number }> {
  const out = await formica('pay', 'transfer', '--rpc', rpcs[0]!, '--key', join(dir, 'orgs/org0/treasury.key'), '--to', recipient, '--asset', 'FMC', '--amount', amount, '--wait');
  const m = /([0-9a-f]{64}) committed at height (\d+)/.exec(out);
  if (!m) throw new Error(`unexpected pay output: ${out}`);
  return { id: m[1]!, height: Number(m[2]) };
}

/** `formica net init --validators 4`, every node started; node0 serves web/dist. */
async function startFourValidators(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'formica-web-bft-'));
  mine.push(() => rmSync(dir, { recursive: true, force: true }));
  let base = await freePort();
  if (base > 64_000) base = 20_000 + (base % 30_000);
  await formica('net', 'init', '--dir', dir, '--orgs', '2', '--validators', String(N), '--base-port', String(base));
  for (let i = 0; i < N; i++) {
    const cfgPath = join(dir, `nodes/node${i}/config.json`);
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
    cfg.rpc = { ...(cfg.rpc ?? {}), address: '127.0.0.1', port: await freePort() };
    if (i === 0) cfg.static_dir = DIST;
    writeFileSync(cfgPath, JSON.stringify(cfg, null, 2));
    rpcs.push(`http://127.0.0.1:${cfg.rpc.port}`);
    const child = spawn(FORMICA, ['node', '--config', cfgPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
    child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
    mine.push(async () => {
      writeFileSync(join(dir, `node${i}.stdout`), out);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([
        new Promise<boolean>((ok) => child.once('exit', () => ok(true))),
        new Promise<boolean>((ok) => setTimeout(() => ok(false), 10_000)),
      ]);
      if (!done && child.pid) process.kill(child.pid, 'SIGKILL');
    });
  }
  const deadline = Date.now() + 60_000;
  for (const url of rpcs) {
    for (;;) {
      try {
        await rpcCall(url, 'status');
        break;
      } catch {
        if (procs.some((p) => p.exitCode !== null)) throw new Error('a node exited at start');
        if (Date.now() > deadline) throw new Error(`${url} did not answer in 60 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  // All links up (each node sees its 3 peers connected).
  for (;;) {
    const sts = await Promise.all(rpcs.map((u) => rpcCall(u, 'status')));
    if (sts.every((s) => s.consensus.peers.filter((p: any) => p.connected).length === N - 1)) break;
    if (Date.now() > deadline) throw new Error('validators did not connect in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

function flipHexByte(h: string, at: number): string {
  const i = Math.max(0, Math.min(at, h.length / 2 - 1)) * 2;
  return h.slice(0, i) + (parseInt(h.slice(i, i + 2), 16) ^ 0x01).toString(16).padStart(2, '0') + h.slice(i + 2);
}

/** Forwards everything (WebSocket too) but flips one byte of `field` in every get_certificate answer. */
async function startCertProxy(target: string, field: 'qc_encoded' | 'block_encoded', at: number): Promise<{ url: string; tampered: () => number }> {
  const t = new URL(target);
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let method = '';
      try {
        method = req.method === 'POST' ? String(JSON.parse(body.toString()).method ?? '') : '';
      } catch {
        method = '';
      }
      const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (ur) => {
        const out: Buffer[] = [];
        ur.on('data', (c) => out.push(c));
        ur.on('end', () => {
          let payload = Buffer.concat(out);
          if (method === 'get_certificate') {
            try {
              const rs = JSON.parse(payload.toString());
              if (rs.result?.[field]) {
                rs.result[field] = flipHexByte(rs.result[field], at);
                count++;
                payload = Buffer.from(JSON.stringify(rs));
              }
            } catch {
              /* pass through */
            }
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
      up.end(body);
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(Number(t.port), t.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  mine.push(() => new Promise<void>((ok) => {
    server.closeAllConnections?.();
    server.close(() => ok());
  }));
  return { url: `http://127.0.0.1:${port}`, tampered: () => count };
}

async function open(url: string) {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
}

async function cleanupMine() {
  while (mine.length) {
    try {
      await mine.pop()!();
    } catch (e) {
      console.error('cleanup:', e);
    }
  }
}

beforeAll(async () => {
  try {
    await startFourValidators();
    recipient = (await formica('account', 'address', '--key', join(dir, 'orgs/org1/treasury.key'))).trim();
    tx = await transfer('12.50');
    browser = await startBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
  } catch (e) {
    await cleanupAll();
    await cleanupMine();
    throw e;
  }
});

afterAll(async () => {
  await cleanupAll();
  await cleanupMine();
});

const FINAL = /proof \+ quorum certificate \([34] of 4 validators/;

describe('a 4-validator network', () => {
  it('network page: validators with org and scheme, each node\'s height/round/peers, live', async () => {
    const nodes = rpcs.slice(1).join(',');
    await open(`${rpcs[0]}/?nodes=${encodeURIComponent(nodes)}#/network`);
    expect(await page.locator('#validators tr[data-index]').count()).toBe(4);
    const vals = await rpcCall(rpcs[0]!, 'get_validators');
    for (const v of vals.validators) {
      const row = await page.textContent(`#validators tr[data-index="${v.index}"]`);
      expect(row).toContain(v.name);
      expect(row).toContain(v.org);
      expect(row).toContain(v.scheme);
    }
    expect(await page.textContent('#validators tr[data-index="0"] td.link')).toContain('this node');
    await page.waitForFunction(() => [...document.querySelectorAll('#validators td.link')].filter((td) => td.textContent === 'connected').length === 3);
    expect(await page.locator('#set-hash').getAttribute('title')).toMatch(/^[0-9a-f]{64}$/);
    for (let i = 0; i < N; i++) {
      const row = page.locator(`#nodes tr[data-node="${i}"]`);
      await page.waitForFunction((k) => document.querySelector(`#nodes tr[data-node="${k}"] td.peers`)?.textContent === '3 / 3', i);
      expect(await row.textContent()).toContain(`node${i}`);
    }
    // Live: a new transfer moves every node's height without reloading.
    const count = Number(await page.getAttribute('#net-updated', 'data-count'));
    const next = await transfer('1.00');
    for (let i = 0; i < N; i++)
      await page.waitForFunction(([k, h]) => Number(document.querySelector(`#nodes tr[data-node="${k}"] td.height`)?.textContent) >= h, [i, next.height] as const, { timeout: 20_000 });
    expect(Number(await page.getAttribute('#net-updated', 'data-count'))).toBeGreaterThan(count);
    await page.screenshot({ path: artifact('network.png'), fullPage: true });
  });

  it('explorer pages: verified with proof + quorum certificate of the validators', async () => {
    for (const [hash, name] of [[`#/tx/${tx.id}`, 'tx'], [`#/block/${tx.height}`, 'block'], ['#/', 'overview'], [`#/account/${recipient}`, 'account']] as const) {
      await open(`${rpcs[0]}/${hash}`);
      await page.waitForSelector('[data-verified="true"][data-final="true"]');
      expect(await page.textContent('[data-verified="true"] summary'), name).toMatch(FINAL);
      if (name === 'tx') await page.screenshot({ path: artifact('finality-tx.png'), fullPage: true });
    }
  });

  it('the same block through a node that is not the proposer: its certificate checks out too', async () => {
    // node2 serves no console: node0's page is pointed at node2's RPC (?rpc=, CORS)
    await open(`${rpcs[0]}/?rpc=${encodeURIComponent(rpcs[2]!)}#/block/${tx.height}`);
    await page.waitForSelector('[data-verified="true"][data-final="true"]');
    await page.evaluate(() => localStorage.removeItem('formica.rpc'));
  });
});

describe('a proxy tampering with certificates', () => {
  for (const [field, at] of [['qc_encoded', 60], ['block_encoded', 3]] as const) {
    it(`a flipped byte in ${field} is shown as NOT verified`, async () => {
      const proxy = await startCertProxy(rpcs[0]!, field, at);
      await open(`${proxy.url}/#/tx/${tx.id}`);
      await page.waitForSelector('[data-verified="false"]');
      const text = (await page.textContent('.badge')) ?? '';
      expect(text).toContain('NOT verified');
      expect(text).toMatch(/header finality|quorum certificate/);
      expect(proxy.tampered()).toBeGreaterThan(0);
      await open(`${proxy.url}/#/block/${tx.height}`);
      await page.waitForSelector('[data-verified="false"]');
      await page.screenshot({ path: artifact(`finality-tampered-${field.replace('_encoded', '')}.png`), fullPage: true });
    });
  }
});
