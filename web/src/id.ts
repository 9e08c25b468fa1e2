// Universal ID pages (id.html, docs/id.md).
//
// #verify  the verifier's page (a café, an embassy): pick the issuer and the statement, make a
//          fresh challenge (verifier id, nonce, date), read the phone's presentation (paste, photo
//          or camera QR) and show "18 or older ✓" or the precise reason it failed. The check is
//          the node's (`query id/check` against the issuer key and minimum epoch on chain): the
//          browser does not run the U-Prove/Bulletproofs verifier itself yet.
// #holder  the holder's page: load the wallet file and a challenge, and see, attribute by
//          attribute, what the verifier will learn and what stays hidden — before presenting.

import './style.css';
import './id.css';
import jsQR from 'jsqr';
import { RpcClient } from '@formica/sdk';
import { errorBox, esc } from './ui.js';
import { qrSvg } from './qr.js';

const NODE = new URLSearchParams(location.search).get('rpc') || location.origin;
const rpc = new RpcClient(NODE);
const app = document.getElementById('app')!;

interface Challenge {
  issuer: string;
  verifier: string;
  nonce: string;
  today: string;
  predicates: string[];
  disclose: string[];
}

interface Issuer {
  issuer_id: string;
  organisation: string;
  attrs: { name: string; type: string }[];
  min_epoch: number;
}

function setReady(v: boolean) {
  document.body.dataset.ready = v ? 'true' : 'false';
}

function todayText(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function freshNonce(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** "age>=18" -> "18 or older"; "property_value>=300000" -> "property_value ≥ 300000". */
export function statementText(p: string): string {
  const s = p.trim();
  let m = /^age\s*>=\s*(\d+)$/.exec(s);
  if (m) return `${m[1]} or older`;
  m = /^([a-z0-9_]+)\s*>=\s*(\S+)$/.exec(s);
  if (m) return `${m[1]} ≥ ${m[2]}`;
  m = /^([a-z0-9_]+)\s*<=\s*(\S+)$/.exec(s);
  if (m) return `${m[1]} ≤ ${m[2]}`;
  m = /^([a-z0-9_]+)\s+in\s+\[\s*([^,\]]+)\s*,\s*([^\]]+)\]$/.exec(s);
  if (m) return `${m[1]} between ${m[2].trim()} and ${m[3].trim()}`;
  return s;
}

function predicateAttr(p: string): string {
  const s = p.trim();
  if (/^age\s*>=/.test(s)) return 'birth_date';
  const m = /^([a-z0-9_]+)/.exec(s);
  return m ? m[1] : '';
}

function splitList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
}

function proveCommand(c: Challenge): string {
  const preds = c.predicates.map((p) => `--predicate '${p}'`).join(' ');
  const disc = c.disclose.map((d) => `--disclose ${d}`).join(' ');
  return `formica id prove --wallet WALLET.json ${preds} ${disc} --verifier ${c.verifier} --today ${c.today} --nonce ${c.nonce} --out presentation.bin`
    .replace(/\s+/g, ' ');
}

function tabs(active: 'verify' | 'holder'): string {
  return `<nav class="idtabs"><a href="#verify" class="${active === 'verify' ? 'active' : ''}">Verifier</a><a href="#holder" class="${active === 'holder' ? 'active' : ''}">My ID wallet</a><a href="./index.html">Console</a></nav>`;
}

// ---- QR reading (presentations as base64url in a QR code) ------------------------------------

function decodeImageData(img: ImageData): string | null {
  const r = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
  return r ? r.data : null;
}

async function decodePhoto(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const text = decodeImageData(ctx.getImageData(0, 0, canvas.width, canvas.height));
  if (!text) throw new Error('no QR code found in the photo');
  return text;
}

let stream: MediaStream | null = null;
function stopCamera() {
  stream?.getTracks().forEach((t) => t.stop());
  stream = null;
}
async function startCamera(video: HTMLVideoElement, onCode: (t: string) => void) {
  stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  video.srcObject = stream;
  await video.play();
  const canvas = document.createElement('canvas');
  const tick = () => {
    if (!stream) return;
    if (video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(video, 0, 0);
      const text = decodeImageData(ctx.getImageData(0, 0, canvas.width, canvas.height));
      if (text) {
        stopCamera();
        onCode(text);
        return;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

// ---- verifier --------------------------------------------------------------------------------

let current: Challenge | null = null;

async function verifierPage(): Promise<void> {
  setReady(false);
  stopCamera();
  let issuers: Issuer[] = [];
  let loadError = '';
  try {
    issuers = (await rpc.query('id', 'issuers', {})).result as Issuer[];
  } catch (e) {
    loadError = `cannot list the issuers on chain: ${(e as Error).message}`;
  }
  const saved = JSON.parse(localStorage.getItem('formica.id.verifier') ?? '{}');
  app.innerHTML = `${tabs('verify')}
    <section class="card">
      <h1>Check an ID</h1>
      <p>Ask the visitor's phone for one statement. You learn whether it holds — nothing else: no name, no birth date, no ID number.</p>
      ${loadError ? errorBox(loadError) : ''}
      <div class="idform">
        <label for="issuer">Issuer</label>
        <select id="issuer">${issuers.map((i) => `<option value="${esc(i.issuer_id)}">${esc(i.organisation)} (${esc(i.issuer_id)})</option>`).join('')}</select>
        <label for="verifier">Your verifier id</label><input id="verifier" value="${esc(saved.verifier ?? 'internet-cafe-42')}" />
        <label for="statement">Statement(s), ; between</label><input id="statement" value="${esc(saved.statement ?? 'age>=18')}" />
        <label for="disclose">Also disclose</label><input id="disclose" placeholder="attribute names, comma-separated (usually none)" value="${esc(saved.disclose ?? '')}" />
      </div>
      <div class="idactions"><button id="new">New challenge</button></div>
      <div id="challenge-box"></div>
    </section>
    <section class="card">
      <h2>The phone's answer</h2>
      <textarea id="presentation" class="idtext" placeholder="paste the presentation (base64url), or read its QR code"></textarea>
      <div class="idactions">
        <button id="check">Verify</button>
        <label class="button">Photo of the QR code<input id="photo" type="file" accept="image/*" hidden /></label>
        <button id="camera" type="button">Camera</button>
      </div>
      <video id="video" playsinline muted hidden></video>
      <div id="result"></div>
    </section>`;
  const val = (id: string) => (document.getElementById(id) as HTMLInputElement).value.trim();
  const showChallenge = () => {
    const box = document.getElementById('challenge-box')!;
    if (!current) {
      box.innerHTML = '';
      return;
    }
    box.innerHTML = `<p>Show this challenge to the phone (it is bound into the answer, so an answer made for anyone else, or earlier, is refused):</p>
      <div id="challenge-qr" class="qr">${qrSvg(JSON.stringify(current), 3)}</div>
      <pre class="challenge" id="challenge">${esc(JSON.stringify(current))}</pre>
      <p class="completeness">From the command line: <code id="prove-cmd">${esc(proveCommand(current))}</code></p>`;
  };
  document.getElementById('new')!.onclick = () => {
    current = {
      issuer: val('issuer'),
      verifier: val('verifier'),
      nonce: freshNonce(),
      today: todayText(),
      predicates: val('statement').split(';').map((x) => x.trim()).filter((x) => x.length > 0),
      disclose: splitList(val('disclose')),
    };
    localStorage.setItem('formica.id.verifier', JSON.stringify({ verifier: current.verifier, statement: val('statement'), disclose: val('disclose') }));
    localStorage.setItem('formica.id.challenge', JSON.stringify(current));
    showChallenge();
    document.getElementById('result')!.innerHTML = '';
  };
  const check = async (text: string) => {
    const out = document.getElementById('result')!;
    if (!current) {
      out.innerHTML = errorBox('make a challenge first');
      return;
    }
    out.innerHTML = '<p>Checking…</p>';
    const clean = text.trim().replace(/\s+/g, '');
    try {
      const r = (
        await rpc.query('id', 'check', {
          issuer_id: current.issuer,
          predicates: current.predicates,
          disclose: current.disclose,
          verifier: current.verifier,
          nonce: current.nonce,
          today: current.today,
          presentation: clean,
        })
      ).result;
      const statements = current.predicates.map(statementText).join(', ') || 'a valid ID';
      if (r.valid) {
        const disclosed = Object.entries(r.disclosed ?? {}) as [string, string][];
        out.innerHTML = `<div class="verdict ok" data-valid="true">${esc(statements)} ✓
            <small>issued by ${esc(r.issuer_id)} · token epoch ${esc(r.token_epoch)} · valid until ${esc(r.token_expires)} · checked by the node ${esc(NODE)}</small></div>
          ${disclosed.length ? `<table class="kv">${disclosed.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>` : '<p>Nothing else was revealed.</p>'}`;
      } else {
        out.innerHTML = `<div class="verdict bad" data-valid="false">✗ Not verified<small id="reason">${esc(r.reason)}</small></div>`;
      }
    } catch (e) {
      out.innerHTML = `<div class="verdict bad" data-valid="false">✗ Not verified<small id="reason">${esc((e as Error).message)}</small></div>`;
    }
  };
  document.getElementById('check')!.onclick = () => check(val('presentation'));
  (document.getElementById('photo') as HTMLInputElement).onchange = async (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      const t = await decodePhoto(f);
      (document.getElementById('presentation') as HTMLTextAreaElement).value = t;
      await check(t);
    } catch (e) {
      document.getElementById('result')!.innerHTML = errorBox((e as Error).message);
    }
  };
  document.getElementById('camera')!.onclick = async () => {
    const video = document.getElementById('video') as HTMLVideoElement;
    video.hidden = false;
    try {
      await startCamera(video, (t) => {
        video.hidden = true;
        (document.getElementById('presentation') as HTMLTextAreaElement).value = t;
        void check(t);
      });
    } catch (e) {
      document.getElementById('result')!.innerHTML = errorBox(`camera unavailable: ${(e as Error).message}`);
    }
  };
  showChallenge();
  setReady(true);
}

// ---- holder ----------------------------------------------------------------------------------

interface WalletView {
  format: string;
  issuer_id: string;
  attributes: Record<string, string>;
  types: Record<string, string>;
  tokens_left: number;
  expires: string;
}

/** The age the birth date gives at `today` (both YYYY-MM-DD). */
export function ageAt(birth: string, today: string): number {
  const b = birth.split('-').map(Number), t = today.split('-').map(Number);
  let age = t[0] - b[0];
  if (t[1] < b[1] || (t[1] === b[1] && t[2] < b[2])) age--;
  return age;
}

/** Whether the wallet satisfies the statement (the phone refuses false ones anyway). */
export function holds(p: string, w: WalletView, today: string): boolean | null {
  const s = p.trim();
  let m = /^age\s*>=\s*(\d+)$/.exec(s);
  const num = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? Number(v.replace(/-/g, '')) : Number(v));
  if (m) return w.attributes.birth_date ? ageAt(w.attributes.birth_date, today) >= Number(m[1]) : null;
  m = /^([a-z0-9_]+)\s*(>=|<=)\s*(\S+)$/.exec(s);
  if (m && w.attributes[m[1]] !== undefined) {
    const x = num(w.attributes[m[1]]);
    return m[2] === '>=' ? x >= num(m[3]) : x <= num(m[3]);
  }
  m = /^([a-z0-9_]+)\s+in\s+\[\s*([^,\]]+)\s*,\s*([^\]]+)\]$/.exec(s);
  if (m && w.attributes[m[1]] !== undefined) {
    const x = num(w.attributes[m[1]]);
    return x >= num(m[2].trim()) && x <= num(m[3].trim());
  }
  return null;
}

function holderPage(): void {
  setReady(false);
  stopCamera();
  const lastChallenge = localStorage.getItem('formica.id.challenge') ?? '';
  app.innerHTML = `${tabs('holder')}
    <section class="card">
      <h1>My ID wallet</h1>
      <p>Before you answer a verifier, see exactly what it will learn. Your wallet stays on this device: nothing here is sent anywhere.</p>
      <div class="idactions"><label class="button">Open wallet file<input id="wallet-file" type="file" accept=".json,application/json" hidden /></label></div>
      <textarea id="wallet" class="idtext" placeholder="or paste the wallet file (formica id issue … --out wallet.json)"></textarea>
      <h3>The verifier's challenge</h3>
      <div class="idactions"><label class="button">Photo of the verifier's QR code<input id="challenge-photo" type="file" accept="image/*" hidden /></label></div>
      <textarea id="challenge-in" class="idtext" placeholder='{"issuer": …, "verifier": …, "nonce": …, "today": …, "predicates": ["age>=18"], "disclose": []}'>${esc(lastChallenge)}</textarea>
      <div class="idactions"><button id="preview">What will be revealed?</button></div>
      <div id="preview-out"></div>
    </section>`;
  (document.getElementById('wallet-file') as HTMLInputElement).onchange = async (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) (document.getElementById('wallet') as HTMLTextAreaElement).value = await f.text();
  };
  (document.getElementById('challenge-photo') as HTMLInputElement).onchange = async (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      (document.getElementById('challenge-in') as HTMLTextAreaElement).value = await decodePhoto(f);
    } catch (e) {
      document.getElementById('preview-out')!.innerHTML = errorBox((e as Error).message);
    }
  };
  document.getElementById('preview')!.onclick = () => {
    const out = document.getElementById('preview-out')!;
    let w: WalletView, c: Challenge;
    try {
      w = JSON.parse((document.getElementById('wallet') as HTMLTextAreaElement).value);
      if (w.format !== 'formica-id-wallet-v1') throw new Error('not a Formica ID wallet');
    } catch (e) {
      out.innerHTML = errorBox(`wallet: ${(e as Error).message}`);
      return;
    }
    try {
      c = JSON.parse((document.getElementById('challenge-in') as HTMLTextAreaElement).value);
      if (!Array.isArray(c.predicates)) throw new Error('no statements');
    } catch (e) {
      out.innerHTML = errorBox(`challenge: ${(e as Error).message}`);
      return;
    }
    const proven = new Map<string, string[]>();
    for (const p of c.predicates) {
      const a = predicateAttr(p);
      proven.set(a, [...(proven.get(a) ?? []), statementText(p)]);
    }
    const rows = Object.entries(w.attributes).map(([name, value]) => {
      if (c.disclose.includes(name)) return `<tr data-attr="${esc(name)}" data-revealed="true"><th>${esc(name)}</th><td class="shown">revealed: ${esc(value)}</td></tr>`;
      if (proven.has(name))
        return `<tr data-attr="${esc(name)}" data-revealed="false"><th>${esc(name)}</th><td class="hidden">hidden — only “${esc(proven.get(name)!.join(', '))}” is proven</td></tr>`;
      return `<tr data-attr="${esc(name)}" data-revealed="false"><th>${esc(name)}</th><td class="hidden">hidden</td></tr>`;
    });
    const truth = c.predicates.map((p) => ({ p, ok: holds(p, w, c.today) }));
    const bad = truth.filter((t) => t.ok === false);
    const issuerOk = !c.issuer || c.issuer === w.issuer_id;
    out.innerHTML = `
      <p><b>${esc(c.verifier || 'The verifier')}</b> asks about your <b>${esc(w.issuer_id)}</b> credential on ${esc(c.today)}.</p>
      ${issuerOk ? '' : errorBox(`this wallet is from ${w.issuer_id}, the verifier asks for ${c.issuer}`)}
      <table class="kv reveal" id="reveal">${rows.join('')}</table>
      <p>Also visible: the issuer (${esc(w.issuer_id)}), the token epoch and expiry (${esc(w.expires)}) — the same for every holder of this issuer.</p>
      <p>Each answer uses a fresh token (${esc(w.tokens_left)} left), so two verifiers comparing answers cannot tell they saw you.</p>
      ${bad.length ? `<div class="verdict bad" id="false-statement">✗ ${esc(bad.map((t) => statementText(t.p)).join(', '))} is not true for this wallet: your phone will refuse to answer.</div>` : ''}
      <p class="completeness">Answer from the command line: <code>${esc(proveCommand(c).replace('WALLET.json', 'wallet.json'))}</code></p>`;
    setReady(true);
  };
  setReady(true);
}

function route(): void {
  if (location.hash === '#holder') holderPage();
  else void verifierPage();
}
window.addEventListener('hashchange', route);
route();
