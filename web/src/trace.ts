// The consumer page (trace.html): scan a product's QR code (camera or photo), fetch its journey
// from the node's resolver (/trace/v1/trace), verify it in the browser with the SDK's light
// client, and show a timeline — origin, production, logistics with a temperature chart,
// inspection, retail — with the one-time-code claim status and a verification badge.
// Everything shown is decoded from proved state values (trace-verify.ts).

import './style.css';
import './trace.css';
import jsQR from 'jsqr';
import { RpcClient } from '@formica/sdk';
import { badge, esc, errorBox, short } from './ui.js';
import { claimState, shortVocab, temperatures, verifyTrace, type Reading, type VerifiedEvent, type VerifiedTrace } from './trace-verify.js';

function nodeUrl(): string {
  const q = new URLSearchParams(location.search).get('rpc');
  return q || location.origin;
}
const NODE = nodeUrl();
const app = document.getElementById('app')!;

function setReady(v: boolean) {
  document.body.dataset.ready = v ? 'true' : 'false';
}

// ---- scanning -------------------------------------------------------------------------------

function decodeImageData(img: ImageData): string | null {
  const r = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
  return r ? r.data : null;
}

async function decodeFile(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  // Large photos are scaled down: QR finder patterns stay well above jsQR's needs.
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

async function startCamera(video: HTMLVideoElement, onCode: (text: string) => void) {
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

function scanner(message = ''): void {
  stopCamera();
  app.innerHTML = `
    <section class="card scan">
      <h1>Where does this product come from?</h1>
      <p>Scan the QR code on the pack: its journey is read from the Formica blockchain and checked in your browser.</p>
      ${message ? errorBox(message) : ''}
      <div class="actions">
        <label class="button">Upload a photo of the QR code<input id="photo" type="file" accept="image/*" capture="environment" hidden /></label>
        <button id="camera" type="button">Use the camera</button>
      </div>
      <video id="video" playsinline muted hidden></video>
      <form id="manual"><input id="dl" placeholder="or paste a GS1 Digital Link, e.g. https://id.gs1.org/01/…/21/…" /><button>Show</button></form>
    </section>`;
  const go = (text: string) => show(text);
  (document.getElementById('photo') as HTMLInputElement).onchange = async (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      go(await decodeFile(f));
    } catch (e) {
      scanner((e as Error).message);
    }
  };
  document.getElementById('camera')!.onclick = async () => {
    const video = document.getElementById('video') as HTMLVideoElement;
    video.hidden = false;
    try {
      await startCamera(video, go);
    } catch (e) {
      scanner(`camera unavailable: ${(e as Error).message}`);
    }
  };
  (document.getElementById('manual') as HTMLFormElement).onsubmit = (ev) => {
    ev.preventDefault();
    const v = (document.getElementById('dl') as HTMLInputElement).value.trim();
    if (v) go(v);
  };
  setReady(true);
}

// ---- rendering ------------------------------------------------------------------------------

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
}

function stage(e: VerifiedEvent): { label: string; cls: string } {
  const step = shortVocab(e.event.biz_step);
  const type = String(e.event.type ?? '');
  if (step === 'commissioning') return { label: 'Origin — produced and labelled', cls: 'origin' };
  if (step === 'packing') return { label: 'Packed', cls: 'pack' };
  if (step === 'inspecting') return { label: 'Quality inspection', cls: 'inspect' };
  if (step === 'shipping' || step === 'transporting' || step === 'storing' || step === 'departing' || step === 'arriving')
    return { label: `Logistics — ${step}`, cls: 'logistics' };
  if (step === 'receiving' || step === 'unpacking' || step === 'stocking' || step === 'retail selling')
    return { label: `Retail — ${step}`, cls: 'retail' };
  if (type === 'TransformationEvent') return { label: 'Transformed', cls: 'pack' };
  return { label: step || type, cls: 'other' };
}

function ilmdRows(ilmd: any): string {
  if (!ilmd || typeof ilmd !== 'object') return '';
  return Object.entries(ilmd)
    .map(([k, v]) => `<li><span>${esc(k.replace(/([A-Z])/g, ' $1').toLowerCase())}</span> ${esc(typeof v === 'object' ? JSON.stringify(v) : v)}</li>`)
    .join('');
}

function sensorSummary(e: VerifiedEvent): string {
  const temps = temperatures([e]);
  if (!temps.length) return '';
  const vals = temps.map((t) => t.value);
  return `<div class="sensor">${temps.length} temperature reading${temps.length > 1 ? 's' : ''}: ${Math.min(...vals)}–${Math.max(...vals)} ${esc(temps[0]!.uom === 'CEL' ? '°C' : temps[0]!.uom)}</div>`;
}

export function chartSvg(readings: Reading[], limit = 6): string {
  if (readings.length < 2) return '';
  const W = 640, H = 200, P = 36;
  const ts = readings.map((r) => Date.parse(r.time));
  const vs = readings.map((r) => r.value);
  const t0 = Math.min(...ts), t1 = Math.max(...ts);
  const v0 = Math.min(0, ...vs, limit), v1 = Math.max(...vs, limit) + 1;
  const x = (t: number) => P + ((t - t0) / Math.max(1, t1 - t0)) * (W - 2 * P);
  const y = (v: number) => H - P + ((v0 - v) / (v1 - v0)) * (H - 2 * P);
  const pts = readings.map((r, i) => `${x(ts[i]!).toFixed(1)},${y(r.value).toFixed(1)}`).join(' ');
  const dots = readings
    .map((r, i) => `<circle cx="${x(ts[i]!).toFixed(1)}" cy="${y(r.value).toFixed(1)}" r="3.5" class="${r.value > limit ? 'hot' : ''}"><title>${esc(when(r.time))}: ${r.value}</title></circle>`)
    .join('');
  const ticks = [v0, (v0 + v1) / 2, v1]
    .map((v) => `<text x="4" y="${(y(v) + 4).toFixed(1)}">${v.toFixed(0)}°</text>`)
    .join('');
  return `<svg class="chart" id="temperature-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="temperature during transport" data-points="${readings.length}">
    <line x1="${P}" y1="${y(limit).toFixed(1)}" x2="${W - P}" y2="${y(limit).toFixed(1)}" class="limit"><title>cold-chain limit ${limit} °C</title></line>
    <polyline points="${pts}" class="line" />${dots}${ticks}
    <text x="${P}" y="${H - 8}">${esc(when(readings[0]!.time))}</text>
    <text x="${W - P}" y="${H - 8}" text-anchor="end">${esc(when(readings[readings.length - 1]!.time))}</text>
  </svg>`;
}

function claimHtml(v: VerifiedTrace): string {
  const s = claimState(v.itemRecord);
  const r = v.itemRecord;
  switch (s) {
    case 'counterfeit':
      return `<div class="claim warn" data-claim="counterfeit"><b>⚠ Warning: this code has been used before.</b> Its one-time code was claimed ${esc(r?.claims)} time(s)${
        r && BigInt(r.bad_code_claims) > 0n ? ` and ${esc(r.bad_code_claims)} wrong code(s) were presented for it` : ''
      }. The product may be counterfeit — ask the shop.</div>`;
    case 'claimed':
      return `<div class="claim ok" data-claim="claimed">Genuine: its one-time code was claimed once (block ${esc(r?.first_claim_height)}). If that was not you, this pack may be a copy.</div>`;
    case 'unclaimed':
      return `<div class="claim ok" data-claim="unclaimed">Genuine item, one-time code not yet claimed: scratch the panel to claim it.</div>`;
    case 'no_code':
      return `<div class="claim" data-claim="no_code">This item carries no one-time code.</div>`;
    default:
      return `<div class="claim warn" data-claim="unknown">⚠ This identifier was never commissioned on the chain.</div>`;
  }
}

function render(dl: string, v: VerifiedTrace) {
  const origin = v.events.find((e) => shortVocab(e.event.biz_step) === 'commissioning' && e.relation === 'self') ?? v.events[0];
  const ilmd = origin?.event.ilmd;
  const temps = temperatures(v.events);
  const items = v.events
    .map((e) => {
      const st = stage(e);
      const where = e.event.biz_location ?? e.event.read_point ?? '';
      const relName: Record<string, string> = { parent: 'in container', lot: 'for its lot', input: 'from input', output: 'into output' };
      const rel = e.relation && e.relation !== 'self' ? `<small class="via">${esc(relName[e.relation] ?? e.relation)} <code>${esc(e.via)}</code></small>` : '';
      const extra = e.event.ilmd ? `<ul class="ilmd">${ilmdRows(e.event.ilmd)}</ul>` : '';
      const decl = e.declaration ? `<div class="declared">Declared erroneous by its author: ${esc(shortVocab(e.declaration.reason))}</div>` : '';
      const ext = Object.entries(e.event.extensions ?? {})
        .map(([k, val]) => `<div class="note">${esc(k.replace(/([A-Z])/g, ' $1').toLowerCase())}: ${esc(typeof val === 'object' ? JSON.stringify(val) : val)}</div>`)
        .join('');
      return `<li class="ev ${st.cls}" data-step="${esc(shortVocab(e.event.biz_step))}">
        <div class="when">${esc(when(e.record.event_time))}</div>
        <div class="what"><b>${esc(st.label)}</b> ${rel}
          <div class="who">${esc(e.record.org)}${where ? ` · <code>${esc(where)}</code>` : ''}</div>
          ${extra}${sensorSummary(e)}${ext}${decl}
          <div class="proof">event <code title="${esc(e.record.hash_id)}">${esc(short(e.record.hash_id.slice(14), 8))}</code> · block ${esc(e.record.height)}</div>
        </div></li>`;
    })
    .join('');
  app.innerHTML = `
    <section class="card product">
      <div class="title-row"><h1>Product journey</h1><a href="${esc(location.pathname)}" id="rescan">Scan another</a></div>
      <p class="dl"><code>${esc(dl)}</code></p>
      ${badge(v.verdict)}
      <p class="completeness">Each event below is proved against block ${esc(v.height)}'s state root. The node chose which events to send: proofs show they are genuine, not that none is missing.</p>
      ${claimHtml(v)}
      ${ilmd ? `<h3>Origin</h3><ul class="ilmd">${ilmdRows(ilmd)}</ul>` : ''}
    </section>
    ${temps.length ? `<section class="card"><h2>Cold chain <small>${temps.length} readings</small></h2>${chartSvg(temps)}</section>` : ''}
    <section class="card"><h2>Timeline <small>${v.events.length} events</small></h2><ol class="timeline" id="timeline">${items || '<li>No events on chain for this item.</li>'}</ol></section>`;
  setReady(true);
}

async function show(dl: string) {
  stopCamera();
  setReady(false);
  history.replaceState(null, '', `${location.pathname}?dl=${encodeURIComponent(dl)}${new URLSearchParams(location.search).get('rpc') ? `&rpc=${encodeURIComponent(NODE)}` : ''}`);
  app.innerHTML = `<section class="card"><h1>Product journey</h1><p class="dl"><code>${esc(dl)}</code></p>${badge(null, true)}</section>`;
  try {
    const res = await fetch(`${NODE}/trace/v1/trace?id=${encodeURIComponent(dl)}`);
    const answer = await res.json();
    if (!res.ok) throw new Error(answer?.message ?? `HTTP ${res.status}`);
    let cert: unknown = null;
    try {
      cert = await new RpcClient(NODE).call('get_certificate', { height: Number(answer.height) });
    } catch {
      cert = null; // not every node serves certificates yet; the badge says finality is not checked
    }
    render(dl, verifyTrace(answer, dl, cert));
  } catch (e) {
    app.innerHTML = `<section class="card"><h1>Product journey</h1><p class="dl"><code>${esc(dl)}</code></p>${badge({
      verified: false,
      checks: [{ what: 'the trace could be fetched', ok: false, detail: (e as Error).message }],
      qc: 'unverified',
      reason: (e as Error).message,
    })}<p><a href="${esc(location.pathname)}">Scan another</a></p></section>`;
    setReady(true);
  }
}

const initial = new URLSearchParams(location.search).get('dl');
if (initial) void show(initial);
else scanner();
