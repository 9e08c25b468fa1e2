// End-to-end harness: a real 1-validator Formica network from build/formica, a tampering
// proxy, and Debian's chromium through playwright-core (no browser download). Everything it
// starts is registered for cleanup, which runs on success, failure and process exit.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FORMICA = process.env.FORMICA_BIN ?? join(ROOT, 'build/formica');
export const DIST = join(ROOT, 'web/dist');
export const ARTIFACTS = process.env.WEB_ARTIFACTS ?? join(ROOT, 'build/web-artifacts');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
const children = new Set<ChildProcess>();

// Last resort: if the test process exits without running cleanup (crash, Ctrl-C, SIGTERM), kill
// the node processes we started (by their pid, nothing else).
function killChildren() {
  for (const c of children) if (c.exitCode === null && c.pid) try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
}
process.on('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(sig, () => {
    killChildren();
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
  });

export async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    const f = cleanups.pop()!;
    try {
      await f();
    } catch (e) {
      console.error('cleanup:', e);
    }
  }
}

/** A port the OS says is free now (bound then released), so parallel runs do not collide. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => ok(port));
    });
  });
}

export async function formica(...args: string[]): Promise<string> {
  const { stdout } = await run(FORMICA, args, { timeout: 120_000 });
  return stdout;
}

export async function rpcCall(url: string, method: string, params: unknown = {}): Promise<any> {
  const res = await fetch(url + '/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const j = await res.json();
  if (j.error) throw new Error(`${method}: ${j.error.message}`);
  return j.result;
}

export interface Network {
  dir: string;
  rpc: string;
  key(org: string, name: string): string;
}

/** `formica net init --orgs 2`, the node's static_dir set to web/dist, ports from the OS, node started. */
export async function startNetwork(): Promise<Network> {
  if (!existsSync(FORMICA)) throw new Error(`${FORMICA} is missing: run make build`);
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST} is missing: run npm run build in web/`);
  const dir = mkdtempSync(join(tmpdir(), 'formica-web-e2e-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  await formica('net', 'init', '--dir', dir, '--orgs', '2', '--base-port', String(await freePort()));
  const cfgPath = join(dir, 'nodes/node0/config.json');
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
  const port = await freePort();
  cfg.rpc = { ...(cfg.rpc ?? {}), address: '127.0.0.1', port };
  if (cfg.p2p) cfg.p2p.port = await freePort();
  cfg.static_dir = DIST;
  writeFileSync(cfgPath, JSON.stringify(cfg, null, 2));
  const log = join(dir, 'node.stdout');
  const child = spawn(FORMICA, ['node', '--config', cfgPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  cleanups.push(async () => {
    writeFileSync(log, out);
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([
      new Promise<boolean>((ok) => child.once('exit', () => ok(true))),
      new Promise<boolean>((ok) => setTimeout(() => ok(false), 10_000)),
    ]);
    if (!done) child.kill('SIGKILL');
    children.delete(child);
  });
  const rpc = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await rpcCall(rpc, 'status');
      break;
    } catch (e) {
      if (child.exitCode !== null) throw new Error(`node exited (${child.exitCode}): ${out.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`node did not answer RPC in 60 s: ${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { dir, rpc, key: (org, name) => join(dir, 'orgs', org, `${name}.key`) };
}

function flipHexByte(h: string, at: number): string {
  const i = Math.max(0, Math.min(at, h.length / 2 - 1)) * 2;
  const b = (parseInt(h.slice(i, i + 2), 16) ^ 0x01).toString(16).padStart(2, '0');
  return h.slice(0, i) + b + h.slice(i + 2);
}

/**
 * A dishonest middlebox: forwards everything (static files, JSON-RPC, the /ws upgrade) to the
 * node, but flips one byte of every get_state answer (the value if there is one, else the proof)
 * and changes the amount in every get_tx receipt's events. The console must say NOT verified.
 */
export async function startTamperProxy(target: string): Promise<{ url: string; tampered: () => number }> {
  const t = new URL(target);
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const up = http.request(
        { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } },
        (ur) => {
          const out: Buffer[] = [];
          ur.on('data', (c) => out.push(c));
          ur.on('end', () => {
            let payload = Buffer.concat(out);
            if (req.method === 'POST' && (ur.headers['content-type'] ?? '').includes('json')) {
              try {
                const rq = JSON.parse(body.toString('utf8'));
                const rs = JSON.parse(payload.toString('utf8'));
                const r = rs.result;
                if (rq.method === 'get_state' && r) {
                  if (r.value) r.value = flipHexByte(r.value, r.value.length / 2 - 1);
                  else r.proof = flipHexByte(r.proof, r.proof.length / 2 - 1);
                  count++;
                }
                if (rq.method === 'get_tx' && r?.receipt?.events?.length) {
                  const ev = r.receipt.events[0];
                  if (ev.attributes.amount) ev.attributes.amount = String(BigInt(ev.attributes.amount) * 10n);
                  count++;
                }
                payload = Buffer.from(JSON.stringify(rs));
              } catch {
                /* not JSON-RPC: pass through */
              }
            }
            const headers = { ...ur.headers, 'content-length': String(payload.length) };
            delete headers['transfer-encoding'];
            res.writeHead(ur.statusCode ?? 502, headers);
            res.end(payload);
          });
        },
      );
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      up.end(body);
    });
  });
  // WebSocket: pass the upgrade through untouched.
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
  cleanups.push(
    () =>
      new Promise<void>((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  );
  return { url: `http://127.0.0.1:${port}`, tampered: () => count };
}

/** Debian's chromium, headless, fresh profile, nothing fetched from the network by the browser itself. */
export async function startBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium chromium-driver`);
  const profile = mkdtempSync(join(tmpdir(), 'formica-chromium-'));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  cleanups.push(() => ctx.close());
  return ctx;
}

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
