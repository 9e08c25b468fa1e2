// Formica web console: a shell with navigation, an explorer whose pages are checked by the
// SDK's light client in the browser, and a Scenarios page. Served by any node (static_dir).

import './style.css';
import {
  AccountRecordType, RpcClient, addressText, TransferType, WsClient, accountKey, balanceKey, decode, decodeBalance, fromHex,
  isAddress, parseHashAlg, schemeFromId, toHex, verifyGetState, type HashAlg, type NodeStatus,
} from '@formica/sdk';
import { badge, errorBox, esc, formatAmount, hashHtml, kv, notVerified, short, timeText } from './ui.js';
import { checkBalance, summarize, verifyBlock, verifyTx, type Verdict } from './verify.js';
import { checkFinality, pinnedValidators, withFinality } from './finality.js';

// ---------------------------------------------------------------------------------------------
// Connection: the node that served the page, unless ?rpc=URL (remembered) says otherwise.

function rpcUrl(): string {
  const q = new URLSearchParams(location.search).get('rpc');
  if (q) localStorage.setItem('formica.rpc', q);
  return q || localStorage.getItem('formica.rpc') || location.origin;
}
const RPC = rpcUrl();
const rpc = new RpcClient(RPC);
const ws = WsClient.fromHttp(RPC);
let wsReady: Promise<void> | null = null;
function socket(): Promise<void> {
  if (!wsReady) wsReady = ws.connect();
  return wsReady;
}
ws.onState = (s) => {
  const el = document.getElementById('live');
  if (el) {
    el.className = `live ${s}`;
    el.textContent = s === 'open' ? 'live' : 'reconnecting';
  }
};

let statusCache: NodeStatus | null = null;
async function status(): Promise<NodeStatus> {
  statusCache = await rpc.status();
  return statusCache;
}
async function alg(): Promise<HashAlg> {
  return parseHashAlg((statusCache ?? (await status())).hash_alg);
}

const decimalsCache = new Map<string, number>();
async function decimalsOf(code: string): Promise<number> {
  if (!decimalsCache.has(code)) {
    try {
      const a = await rpc.query('bank', 'asset', { code });
      decimalsCache.set(code, Number(a.result.decimals));
    } catch {
      decimalsCache.set(code, 0);
    }
  }
  return decimalsCache.get(code)!;
}

/**
 * Adds header finality to a page's verdict: the quorum certificate of the header (height, hash)
 * the page was proved against, checked against the pinned genesis validator set (finality.ts).
 */
async function final(v: Verdict, height: number | string, hash: string): Promise<Verdict> {
  if (!v.verified) return v; // already red: no need to ask for a certificate
  try {
    const st = statusCache ?? (await status());
    const pinned = await pinnedValidators(rpc, st);
    return withFinality(v, await checkFinality(rpc, pinned.set, height, hash));
  } catch (e) {
    return withFinality(v, e instanceof Error ? e : new Error(String(e)));
  }
}

// ---------------------------------------------------------------------------------------------
// Shell and router.

let cleanup: (() => void)[] = [];

function shell() {
  document.body.innerHTML = `
  <header class="top">
    <a class="brand" href="#/"><span class="logo">◆</span> Formica <span class="sub">console</span></a>
    <nav>
      <a href="#/" data-nav="overview">Overview</a>
      <a href="#/network" data-nav="network">Network</a>
      <a href="#/blocks" data-nav="blocks">Blocks</a>
      <a href="#/account" data-nav="account">Accounts</a>
      <a href="#/scenarios" data-nav="scenarios">Scenarios</a>
      <a href="./id.html">ID</a>
    </nav>
    <form id="search" autocomplete="off"><input id="q" placeholder="Height, transaction id or fm… address" aria-label="search"></form>
  </header>
  <main id="app"></main>
  <footer>Node <code>${esc(RPC)}</code> · light-client checks run in this browser (@formica/sdk) · <span id="live" class="live closed">connecting</span></footer>`;
  document.getElementById('search')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = (document.getElementById('q') as HTMLInputElement).value.trim();
    if (/^\d+$/.test(q)) location.hash = `#/block/${q}`;
    else if (/^[0-9a-f]{64}$/.test(q)) location.hash = `#/tx/${q}`;
    else if (q.startsWith('fm')) location.hash = `#/account/${q}`;
  });
}

async function route() {
  for (const f of cleanup) f();
  cleanup = [];
  document.body.dataset.ready = 'false';
  const main = document.getElementById('app')!;
  const [, page = '', arg = ''] = location.hash.replace(/^#/, '').split('/');
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', (a as HTMLElement).dataset.nav === (page || 'overview')));
  main.innerHTML = `<div class="loading">Loading…</div>`;
  try {
    if (page === '' || page === 'overview') await overview(main);
    else if (page === 'blocks') await blocksPage(main);
    else if (page === 'block') await blockPage(main, arg);
    else if (page === 'tx') await txPage(main, arg);
    else if (page === 'account') await accountPage(main, decodeURIComponent(arg));
    else if (page === 'scenarios') await scenariosPage(main);
    else if (page === 'network') await networkPage(main);
    else main.innerHTML = errorBox(`no page '${page}'`);
  } catch (e) {
    main.innerHTML = errorBox(e);
  }
  document.body.dataset.page = page || 'overview';
  document.body.dataset.ready = 'true';
}

// ---------------------------------------------------------------------------------------------
// Overview: network status and the latest blocks, live.

function blockRow(b: any, v: Verdict | null): string {
  const mark = v === null ? '<span class="mini pending">…</span>' : v.verified ? '<span class="mini ok" title="verified">✔</span>' : `<span class="mini bad" title="${esc(v.reason)}">✘</span>`;
  return `<tr data-height="${esc(b.height)}"><td><a href="#/block/${esc(b.height)}">#${esc(b.height)}</a></td><td>${hashHtml(b.hash)}</td><td>${esc(b.tx_count)}</td><td>${esc(timeText(b.time_ms))}</td><td>${mark}</td></tr>`;
}

async function latestBlocks(tbody: HTMLElement, count: number, live: boolean) {
  const st = await status();
  const a = await alg();
  const rows = new Map<number, string>();
  const render = () => {
    tbody.innerHTML = [...rows.entries()].sort((x, y) => y[0] - x[0]).slice(0, count).map(([, r]) => r).join('') || '<tr><td colspan="5">no blocks</td></tr>';
  };
  const load = async (h: number) => {
    const b = await rpc.getBlock(h, true);
    rows.set(h, blockRow(b, verifyBlock(b, a)));
    render();
  };
  const top = Number(st.height);
  await Promise.all(Array.from({ length: Math.min(count, top + 1) }, (_, i) => load(top - i)));
  render();
  if (!live) return;
  await socket().catch(() => {});
  const unsub = await ws.onNewBlocks((h) => {
    rows.set(Number(h.height), blockRow(h, null));
    render();
    void load(Number(h.height));
  }).catch(() => null);
  if (unsub) cleanup.push(() => void unsub());
}

async function overview(main: HTMLElement) {
  const st = await status();
  const a = await alg();
  const head = await rpc.getBlock(st.height, false);
  const c = verifyBlock(head, a);
  const consistent = c.verified && head.hash === st.hash && head.state_root === st.state_root && head.chain_id === st.chain_id;
  const v: Verdict = await final(
    consistent
      ? { ...c, reason: `chain id, height, head hash and state root match head header #${st.height}` }
      : { ...c, verified: false, reason: c.verified ? 'status does not match the head header' : c.reason },
    head.height,
    head.hash,
  );
  const cons: any = (st as any).consensus;
  main.innerHTML = `
  <section class="grid">
    <div class="card">
      <h2>Network</h2>
      <div id="status-badge">${badge(v)}</div>
      ${kv([
        ['Chain id', `<b id="chain-id">${esc(st.chain_id)}</b>`],
        ['Height', `<b id="height">${esc(st.height)}</b>`],
        ['Head hash', hashHtml(st.hash, `#/block/${st.height}`)],
        ['State root', hashHtml(st.state_root)],
        ['Genesis hash', hashHtml(st.genesis_hash)],
        ['Hash algorithm', esc(st.hash_alg)],
        ['Validators', esc(cons?.validators ?? (st as any).validators ?? '—')],
        ['Node', `${esc(st.node)} <small>(${esc(st.org)})</small>`],
        ['Mempool', esc(st.mempool_size)],
      ])}
      <p class="note">Node name, organisation and mempool are the node's own report.</p>
    </div>
    <div class="card wide">
      <h2>Latest blocks <span id="live2" class="pill">live</span></h2>
      <table class="list"><thead><tr><th>Height</th><th>Hash</th><th>Txs</th><th>Time</th><th>Verified</th></tr></thead><tbody id="blocks"></tbody></table>
    </div>
  </section>`;
  await latestBlocks(document.getElementById('blocks')!, 10, true);
}

async function blocksPage(main: HTMLElement) {
  main.innerHTML = `<div class="card"><h2>Blocks</h2><table class="list"><thead><tr><th>Height</th><th>Hash</th><th>Txs</th><th>Time</th><th>Verified</th></tr></thead><tbody id="blocks"></tbody></table></div>`;
  await latestBlocks(document.getElementById('blocks')!, 25, true);
}

// ---------------------------------------------------------------------------------------------
// Block page.

async function blockPage(main: HTMLElement, arg: string) {
  const a = await alg();
  const b = await rpc.getBlock(/^\d+$/.test(arg) ? Number(arg) : 'latest', true);
  const v = await final(verifyBlock(b, a), b.height, b.hash);
  const receipts: any[] = b.receipts ?? [];
  const txRows = (b.tx_ids as string[])
    .map((id, i) => {
      const r = receipts[i];
      return `<tr><td>${i}</td><td>${hashHtml(id, `#/tx/${id}`)}</td><td>${r ? `<span class="pill ${r.status === 'ok' ? 'ok' : 'bad'}">${esc(r.status)}</span>` : '—'}</td><td>${r ? esc(r.events.map((e: any) => `${e.module}.${e.kind}`).join(', ')) : ''}</td></tr>`;
    })
    .join('');
  const h = Number(b.height);
  main.innerHTML = `
  <div class="card">
    <div class="title-row"><h2>Block #${esc(b.height)}</h2><span class="pager">${h > 0 ? `<a href="#/block/${h - 1}">← #${h - 1}</a>` : ''} <a href="#/block/${h + 1}">#${h + 1} →</a></span></div>
    ${badge(v)}
    ${kv([
      ['Hash', `<code class="hash full">${esc(b.hash)}</code>`],
      ['Parent', hashHtml(b.parent_hash, h > 0 ? `#/block/${h - 1}` : undefined)],
      ['Time', esc(timeText(b.time_ms))],
      ['Proposer', `<a href="#/account/${esc(b.proposer)}"><code>${esc(b.proposer)}</code></a>`],
      ['State root', `<code class="hash full">${esc(b.state_root)}</code>`],
      ['Tx root', `<code class="hash full">${esc(b.tx_root)}</code>`],
      ['Receipts root', `<code class="hash full">${esc(b.receipts_root)}</code>`],
      ['Round', esc(b.round)],
      ['Finality', v.finality ? `<span class="pill ok">final</span> ${esc(v.finality)}` : v.qc === 'invalid' ? `<span class="pill bad">not shown final</span> ${esc(v.checks.find((x) => !x.ok)?.detail ?? v.reason)}` : '<span class="pill muted">not checked</span> the block itself did not verify'],
    ])}
  </div>
  <div class="card"><h2>Transactions (${esc(b.tx_count)})</h2>
    <table class="list"><thead><tr><th>#</th><th>Id</th><th>Receipt</th><th>Events</th></tr></thead><tbody>${txRows || '<tr><td colspan="4">no transactions</td></tr>'}</tbody></table>
  </div>`;
}

// ---------------------------------------------------------------------------------------------
// Transaction page.

function eventsTable(events: any[]): string {
  if (!events.length) return '<p class="note">No events.</p>';
  return `<table class="list events"><thead><tr><th>Event</th><th>Attributes</th></tr></thead><tbody>${events
    .map(
      (e) =>
        `<tr><td><b>${esc(e.module)}.${esc(e.kind)}</b></td><td>${Object.entries(e.attributes ?? {})
          .map(([k, val]) => `<span class="attr"><i>${esc(k)}</i> ${String(val).startsWith('fm') && isAddress(String(val)) ? `<a href="#/account/${esc(val)}">${esc(short(String(val), 12))}</a>` : esc(val)}</span>`)
          .join(' ')}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

async function txPage(main: HTMLElement, id: string) {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error('a transaction id is 64 lowercase hex digits');
  const st = statusCache ?? (await status());
  const a = await alg();
  const t = await rpc.getTx(id);
  if (t.status !== 'committed') {
    main.innerHTML = `<div class="card"><h2>Transaction</h2>${notVerified(`status: ${t.status}`)}${kv([['Id', `<code>${esc(id)}</code>`]])}</div>`;
    return;
  }
  const block = await rpc.getBlock(t.height, true);
  const v = await final(verifyTx(t, block, a, st.chain_id), block.height, block.hash);
  const body = t.tx.body;
  let payload = `<code class="hash" title="${esc(body.payload)}">${esc(short(body.payload, 24))}</code>`;
  let amountLine = '';
  if (body.module === 'bank' && body.kind === 'transfer') {
    try {
      const p = decode<any>(TransferType, fromHex(body.payload));
      const to = addressText(p.to);
      const dec = await decimalsOf(p.asset);
      payload = kv([
        ['To', `<a href="#/account/${esc(to)}"><code>${esc(to)}</code></a>`],
        ['Asset', esc(p.asset)],
        ['Amount', `<b id="amount">${esc(formatAmount(p.amount, dec))} ${esc(p.asset)}</b> <small>(${esc(p.amount)} base units)</small>`],
      ]);
      amountLine = `${formatAmount(p.amount, dec)} ${p.asset}`;
    } catch {
      /* shown raw */
    }
  }
  const r = t.receipt;
  main.innerHTML = `
  <div class="card">
    <h2>Transaction ${amountLine ? `<small>${esc(body.module)}.${esc(body.kind)} · ${esc(amountLine)}</small>` : ''}</h2>
    ${badge(v)}
    ${kv([
      ['Id', `<code class="hash full" id="tx-id">${esc(t.tx_id)}</code>`],
      ['Status', `<span class="pill ok">${esc(t.status)}</span> in <a href="#/block/${esc(t.height)}">block #${esc(t.height)}</a>, index ${esc(t.index)}`],
      ['Sender', `<a href="#/account/${esc(body.sender_address)}"><code>${esc(body.sender_address)}</code></a>`],
      ['Module / kind', `${esc(body.module)} / ${esc(body.kind)}`],
      ['Nonce', esc(body.nonce)],
      ['Expiry height', esc(body.expiry_height)],
      ['Scheme', esc((() => { try { return schemeFromId(body.scheme); } catch { return body.scheme; } })())],
      ['Public key', `<code class="hash" title="${esc(body.public_key)}">${esc(short(body.public_key, 16))}</code>`],
      ['Signature', `<code class="hash" title="${esc(t.tx.signature)}">${esc(short(t.tx.signature, 16))}</code>`],
    ])}
    <h3>Payload</h3>${payload}
  </div>
  <div class="card" id="receipt">
    <h2>Receipt</h2>
    ${kv([
      ['Result', `<span class="pill ${r.status === 'ok' ? 'ok' : 'bad'}" id="receipt-status">${esc(r.status)}</span>${r.error ? ` <span class="err">${esc(r.error)}</span>` : ''}`],
      ['Height / index', `${esc(r.height)} / ${esc(r.index)}`],
    ])}
    <h3>Events</h3>${eventsTable(r.events ?? [])}
  </div>`;
}

// ---------------------------------------------------------------------------------------------
// Account page: balances from the bank query, each proved with get_state in the browser.

async function accountPage(main: HTMLElement, addr: string) {
  if (!addr) {
    const st = statusCache ?? (await status());
    main.innerHTML = `<div class="card"><h2>Accounts</h2><p>Enter an address in the search box, or open the block proposer:</p><p><a href="#/account/${esc(st.proposer)}"><code>${esc(st.proposer)}</code></a></p></div>`;
    return;
  }
  if (!isAddress(addr)) throw new Error(`'${addr}' is not a valid Formica address (checksum or format)`);
  const q = await rpc.query('bank', 'balance', { address: addr });
  const height = q.height;
  const balances: Record<string, string> = q.result.balances ?? {};
  const codes = Object.keys(balances).sort();
  const [states, acct] = await Promise.all([
    Promise.all(codes.map((code) => rpc.getState(toHex(balanceKey(addr, code)), height))),
    rpc.getState(toHex(accountKey(addr)), height),
  ]);
  const checks = codes.map((code, i) => checkBalance(code, balances[code]!, states[i], balanceKey(addr, code), decodeBalance));
  const acctCheck = verifyGetState(acct, accountKey(addr));
  let record: any = null;
  if (acctCheck.ok && acctCheck.value) {
    try {
      record = decode(AccountRecordType, acctCheck.value);
    } catch {
      record = null;
    }
  }
  const v0 = summarize(checks, [
    { what: acctCheck.ok && !acctCheck.inclusion ? 'account record proved absent' : 'account record proved', ok: acctCheck.ok, ...(acctCheck.ok ? {} : { detail: acctCheck.reason }) },
    { what: `proofs are against one header (block ${height})`, ok: states.every((x) => String(x.header?.hash) === String(acct.header?.hash)) },
  ]);
  if (v0.verified) v0.reason = `balances and account proved against block ${height}'s state root`;
  const v = await final(v0, height, String(acct.header?.hash ?? ''));
  const rows = await Promise.all(
    checks.map(async (c) => {
      const d = await decimalsOf(c.asset);
      return `<tr data-asset="${esc(c.asset)}"><td><b>${esc(c.asset)}</b></td><td class="num">${esc(formatAmount(c.claimed, d))}</td><td>${c.ok ? '<span class="mini ok">✔ proved</span>' : `<span class="mini bad" title="${esc(c.reason)}">✘ ${esc(c.reason)}</span>`}</td></tr>`;
    }),
  );
  let events: any[] = [];
  try {
    const [to, from] = await Promise.all([rpc.events(`bank.to=${addr}`, 0, 20), rpc.events(`bank.from=${addr}`, 0, 20)]);
    events = [...to.events, ...from.events].sort((x, y) => y.height - x.height || y.index - x.index).slice(0, 20);
    for (const e of events) if (e.attributes?.asset) await decimalsOf(e.attributes.asset);
  } catch {
    events = [];
  }
  main.innerHTML = `
  <div class="card">
    <h2>Account</h2>
    <div id="account-badge">${badge(v)}</div>
    ${kv([
      ['Address', `<code class="full" id="address">${esc(addr)}</code>`],
      ['Scheme', esc(schemeFromId(Number(addr[2])))],
      ['Organisation', record ? esc(record.org) : acctCheck.ok ? '<i>not registered</i>' : '—'],
      ['Roles', record ? esc(record.roles.join(', ') || '—') : '—'],
      ['Next nonce', record ? esc(record.nonce) : '—'],
      ['Frozen', q.result.frozen ? '<span class="pill bad">frozen</span>' : 'no'],
      ['At height', `<a href="#/block/${esc(height)}">#${esc(height)}</a>`],
    ])}
  </div>
  <div class="card"><h2>Balances</h2>
    <table class="list" id="balances"><thead><tr><th>Asset</th><th class="num">Balance</th><th>Proof</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="3">no assets</td></tr>'}</tbody></table>
  </div>
  <div class="card"><h2>Recent transfers</h2>
    <table class="list"><thead><tr><th>Block</th><th>Tx</th><th>Event</th></tr></thead><tbody>${
      events
        .map((e) => `<tr><td><a href="#/block/${esc(e.height)}">#${esc(e.height)}</a></td><td>${hashHtml(e.tx_id, `#/tx/${e.tx_id}`)}</td><td>${esc(e.attributes.from === addr ? 'sent' : 'received')} ${esc(formatAmount(e.attributes.amount, decimalsCache.get(e.attributes.asset) ?? 0))} ${esc(e.attributes.asset)} ${e.attributes.from === addr ? 'to' : 'from'} <a href="#/account/${esc(e.attributes.from === addr ? e.attributes.to : e.attributes.from)}">${esc(short(e.attributes.from === addr ? e.attributes.to : e.attributes.from, 12))}</a></td></tr>`)
        .join('') || '<tr><td colspan="3">none</td></tr>'
    }</tbody></table>
  </div>`;
  // Live: re-check when a transfer to or from this account lands.
  await socket().catch(() => {});
  const refresh = () => {
    if (location.hash === `#/account/${addr}`) void route();
  };
  for (const key of [`bank.to=${addr}`, `bank.from=${addr}`]) {
    const unsub = await ws.onEvents(key, refresh).catch(() => null);
    if (unsub) cleanup.push(() => void unsub());
  }
}

// ---------------------------------------------------------------------------------------------
// Network: the pinned validator set, and each node's consensus view (status.consensus), live.
// Nodes: the one serving the page plus any listed with ?nodes=url1,url2 (remembered).

function networkNodes(): string[] {
  const q = new URLSearchParams(location.search).get('nodes');
  if (q !== null) localStorage.setItem('formica.nodes', q);
  const extra = (q ?? localStorage.getItem('formica.nodes') ?? '').split(',').map((x) => x.trim()).filter((x) => /^https?:\/\/[^\s"'<>]+$/.test(x));
  return [RPC, ...extra.filter((x) => x !== RPC)];
}

async function networkPage(main: HTMLElement) {
  const st = await status();
  const pinned = await pinnedValidators(rpc, st);
  const vs = pinned.set;
  const urls = networkNodes();
  const clients = urls.map((u) => (u === RPC ? rpc : new RpcClient(u)));
  main.innerHTML = `
  <div class="card">
    <h2>Validators <small>${esc(vs.validators.length)} · quorum ${esc(vs.quorum)} · tolerates ${esc(Math.floor((vs.validators.length - 1) / 3))} faulty</small></h2>
    ${kv([
      ['Chain id', esc(vs.chainId)],
      ['Validator set', `<code class="hash" id="set-hash" title="${esc(pinned.hash)}">${esc(short(pinned.hash, 16))}</code> <small>pinned ${esc(pinned.pinnedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</small>`],
      ['Node agrees', pinned.nodeAgrees === null ? '—' : pinned.nodeAgrees ? '<span class="pill ok">same set</span>' : '<span class="pill bad">the node now reports another set: certificates are checked against the pinned one</span>'],
    ])}
    <p class="note">Trusted from genesis: the set was taken from the node's <code>get_validators</code> once and pinned in this browser; every quorum certificate is checked against it (a production light client ships the genesis validator set).</p>
    <table class="list" id="validators"><thead><tr><th>#</th><th>Name</th><th>Organisation</th><th>Scheme</th><th>Address</th><th>Public key</th><th>Link from ${esc(st.node)}</th></tr></thead><tbody>${vs.validators
      .map(
        (x) => `<tr data-index="${x.index}"><td>${x.index}</td><td><b>${esc(x.name)}</b></td><td>${esc(x.org)}</td><td><span class="pill">${esc(x.scheme)}</span></td><td><a href="#/account/${esc(x.address)}"><code>${esc(short(x.address, 10))}</code></a></td><td><code class="hash" title="${esc(toHex(x.publicKey))}">${esc(short(toHex(x.publicKey), 8))}</code></td><td class="link">…</td></tr>`,
      )
      .join('')}</tbody></table>
  </div>
  <div class="card wide">
    <h2>Nodes <span class="pill" id="net-live">live</span></h2>
    <table class="list" id="nodes"><thead><tr><th>Node</th><th>Org</th><th>Validator</th><th class="num">Height</th><th class="num">Certified</th><th class="num">Round</th><th class="num">High QC</th><th class="num">Committed</th><th class="num">Peers</th><th>RPC</th></tr></thead><tbody>${urls
      .map((u, i) => `<tr data-node="${i}"><td colspan="10">${esc(u)} …</td></tr>`)
      .join('')}</tbody></table>
    <p class="note">Each node's own report (<code>status</code>), refreshed every 2 s and on every new block. <span id="net-updated" data-count="0"></span></p>
  </div>`;
  let count = 0;
  const refresh = async () => {
    const all = await Promise.all(clients.map((c) => c.status().then((x) => x, (e: Error) => e)));
    if (!document.getElementById('nodes')) return;
    all.forEach((r, i) => {
      const row = document.querySelector<HTMLElement>(`#nodes tr[data-node="${i}"]`);
      if (!row) return;
      if (r instanceof Error) {
        row.innerHTML = `<td colspan="9"><span class="pill bad">unreachable</span> ${esc(r.message)}</td><td><code>${esc(urls[i])}</code></td>`;
        return;
      }
      const c = r.consensus;
      const peers = c?.peers ?? [];
      const idx = c?.index;
      row.innerHTML = `<td><b>${esc(r.node)}</b></td><td>${esc(r.org)}</td><td>${idx === null || idx === undefined ? 'no' : `#${esc(idx)} ${esc(vs.validators[idx]?.name ?? '?')}`}</td><td class="num height">${esc(r.height)}</td><td class="num">${esc(c?.certified_height ?? '—')}</td><td class="num round">${esc(c?.round ?? r.round)}</td><td class="num">${esc(c?.high_qc_round ?? '—')}</td><td class="num">${esc(c?.committed_round ?? '—')}</td><td class="num peers">${esc(peers.filter((p) => p.connected).length)} / ${esc(peers.length)}</td><td><code>${esc(short(urls[i]!, 14))}</code></td>`;
      if (i === 0) {
        for (const x of vs.validators) {
          const cell = document.querySelector<HTMLElement>(`#validators tr[data-index="${x.index}"] td.link`);
          if (!cell) continue;
          const p = peers.find((q) => Number(q.index) === x.index);
          cell.innerHTML = idx === x.index ? '<span class="pill ok">this node</span>' : p ? `<span class="pill ${p.connected ? 'ok' : 'bad'}">${p.connected ? 'connected' : 'disconnected'}</span>` : '—';
        }
      }
    });
    const u = document.getElementById('net-updated');
    if (u) {
      u.dataset.count = String(++count);
      u.textContent = `Updated ${new Date().toISOString().slice(11, 19)} UTC.`;
    }
  };
  await refresh();
  const timer = setInterval(() => void refresh(), 2000);
  cleanup.push(() => clearInterval(timer));
  await socket().catch(() => {});
  const unsub = await ws.onNewBlocks(() => void refresh()).catch(() => null);
  if (unsub) cleanup.push(() => void unsub());
}

// ---------------------------------------------------------------------------------------------
// Scenarios: a static list (scenarios.json, written by the demo and extended by applications).

async function scenariosPage(main: HTMLElement) {
  const res = await fetch('./scenarios.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`scenarios.json: HTTP ${res.status}`);
  const doc = await res.json();
  const list: any[] = doc.scenarios ?? [];
  main.innerHTML = `
  <div class="card"><h2>Scenarios</h2><p class="note">${esc(doc.about ?? '')}</p></div>
  <section class="scenarios">${list
    .map(
      (s) => `<article class="card scenario" data-id="${esc(s.id)}">
      <div class="title-row"><h3>${esc(s.title)}</h3><span class="pill ${s.status === 'ready' ? 'ok' : 'muted'}">${esc(s.status ?? 'planned')}</span></div>
      <p class="app">${esc(s.app ?? '')}</p>
      <p>${esc(s.description ?? '')}</p>
      ${Array.isArray(s.steps) && s.steps.length ? `<ol>${s.steps.map((x: string) => `<li>${esc(x)}</li>`).join('')}</ol>` : ''}
      ${Array.isArray(s.commands) && s.commands.length ? `<pre>${s.commands.map((x: string) => esc(x)).join('\n')}</pre>` : ''}
      ${Array.isArray(s.links) ? s.links.map((l: any) => `<a class="btn" href="${esc(String(l.href).startsWith('#/') || String(l.href).startsWith('./') ? l.href : '#/')}">${esc(l.label)}</a>`).join(' ') : ''}
    </article>`,
    )
    .join('')}</section>`;
}

// ---------------------------------------------------------------------------------------------

shell();
window.addEventListener('hashchange', () => void route());
void route();
