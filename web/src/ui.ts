// Small DOM helpers: everything from the node goes through esc() or textContent.

import type { Verdict } from './verify.js';

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function short(h: string, n = 10): string {
  const s = String(h ?? '');
  return s.length > 2 * n + 1 ? `${s.slice(0, n)}…${s.slice(-6)}` : s;
}

export function hashHtml(h: string, href?: string): string {
  const inner = `<code class="hash" title="${esc(h)}">${esc(short(h))}</code>`;
  return href ? `<a href="${esc(href)}">${inner}</a>` : inner;
}

export function timeText(ms: string | number): string {
  const n = Number(ms);
  if (!Number.isFinite(n) || n === 0) return '—';
  return new Date(n).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** An integer amount in base units with `decimals` places: "25000", 2 -> "250.00". */
export function formatAmount(base: string, decimals: number): string {
  if (!/^\d+$/.test(base) || decimals <= 0) return base;
  const s = base.padStart(decimals + 1, '0');
  const whole = s.slice(0, -decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${s.slice(-decimals)}`;
}

/**
 * The verification badge every page shows. Green only when the light client checked what the
 * page displays; on the explorer pages that includes header finality (the quorum certificate
 * against the pinned validator set): "Verified: proof + quorum certificate (3 of 4 validators)".
 */
export function badge(v: Verdict | null, pending = false): string {
  if (pending || !v) return `<div class="badge pending" data-verified="pending"><span class="dot"></span><b>Verifying…</b></div>`;
  const list = v.checks
    .map((c) => `<li class="${c.ok ? 'ok' : 'bad'}">${c.ok ? '✔' : '✘'} ${esc(c.what)}${c.detail && !c.ok ? ` <small>(${esc(c.detail)})</small>` : ''}</li>`)
    .join('');
  const final = v.qc === 'verified' && v.finality;
  const qc = final
    ? `Header finality: ${v.finality}, checked against the pinned genesis validator set.`
    : v.qc === 'verified'
      ? 'Header finality: quorum certificate verified.'
      : 'Header finality: quorum certificate not checked on this page — proved against the header the node served.';
  if (v.verified)
    return `<details class="badge ok" data-verified="true" data-final="${final ? 'true' : 'false'}"><summary><span class="dot"></span><b>Verified${final ? ':' : ' by light client'}</b>${final ? ` <span class="fin">proof + ${esc(v.finality)}</span>` : ''} <span class="why">${esc(v.reason)}</span></summary><ul>${list}</ul><p class="qc">${esc(qc)}</p></details>`;
  return `<details class="badge bad" data-verified="false" open><summary><span class="dot"></span><b>NOT verified:</b> <span class="why">${esc(v.reason)}</span></summary><ul>${list}</ul></details>`;
}

export function notVerified(reason: string): string {
  return badge({ verified: false, checks: [{ what: reason, ok: false }], qc: 'unverified', reason });
}

export function kv(rows: [string, string][]): string {
  return `<dl class="kv">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

export function errorBox(e: unknown): string {
  return `<div class="error">${esc(e instanceof Error ? e.message : String(e))}</div>`;
}
