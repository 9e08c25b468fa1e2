// Verification of a node's trace answer (GET /trace/v1/trace?id=…, docs/trace.md) in the browser.
// Pure functions: unit-tested without a node (test/trace.test.ts).
//
// What is checked: the header encoding hashes to the block hash given; every event record and
// the item record are proved (get_state proof format) against that header's state root, under
// the key their identity gives (trace/e/<event hash>, trace/i/<item>); what the page shows is
// decoded from the proved bytes, never from the node's JSON. What cannot be checked from one
// answer: that the node left no event out (completeness) — stated on the page.

import { T, decode, fromHex, toHex, utf8, verifyGetState, verifyQuorumCert, type QcVerdict } from '@formica/sdk';
import type { Verdict } from './verify.js';

const Address = T.fixed(21);
export const TraceEventRecordType = T.struct('TraceEventRecord', [
  ['hash_id', T.string],
  ['org', T.string],
  ['capturer', Address],
  ['height', T.u64],
  ['tx_id', T.fixed(32)],
  ['event_time', T.string],
  ['event_json', T.string],
  ['error_json', T.string],
  ['error_height', T.u64],
]);
export const TraceItemRecordType = T.struct('TraceItemRecord', [
  ['id', T.string],
  ['org', T.string],
  ['commissioned_height', T.u64],
  ['secret_hash', T.bytes],
  ['claims', T.u64],
  ['first_claim_height', T.u64],
  ['first_claimer', Address],
  ['last_claim_height', T.u64],
  ['bad_code_claims', T.u64],
]);

export interface TraceEventRecord {
  hash_id: string;
  org: string;
  capturer: string;
  height: string;
  tx_id: string;
  event_time: string;
  event_json: string;
  error_json: string;
  error_height: string;
}
export interface TraceItemRecord {
  id: string;
  org: string;
  commissioned_height: string;
  secret_hash: string;
  claims: string;
  first_claim_height: string;
  first_claimer: string;
  last_claim_height: string;
  bad_code_claims: string;
}

export interface VerifiedEvent {
  record: TraceEventRecord;
  event: any; // parsed from the proved record
  declaration: any | null;
  relation: string;
  via: string;
}

export interface VerifiedTrace {
  verdict: Verdict;
  height: string;
  item: string;
  lot: string | null;
  events: VerifiedEvent[];
  itemRecord: TraceItemRecord | null;
}

const HASH_ID = /^ni:\/\/\/sha-256;([0-9a-f]{64})\?ver=CBV2\.0$/;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function eventKey(hashId: string): Uint8Array | null {
  const m = HASH_ID.exec(hashId);
  return m ? concat(utf8('trace/e/'), fromHex(m[1]!)) : null;
}
export function itemKey(item: string): Uint8Array {
  return concat(utf8('trace/i/'), utf8(item));
}

/** The item a Digital Link names, as the node's canonical id: https://id.gs1.org/01/<gtin>/21/<serial>. */
export function expectedItem(dl: string): string | null {
  try {
    const u = new URL(dl);
    const parts = u.pathname.split('/').filter(Boolean);
    let gtin = '';
    let serial = '';
    for (let i = 0; i + 1 < parts.length; i += 2) {
      if (parts[i] === '01' || parts[i] === 'gtin') gtin = decodeURIComponent(parts[i + 1]!);
      if (parts[i] === '21' || parts[i] === 'ser') serial = decodeURIComponent(parts[i + 1]!);
    }
    if (!/^\d{8,14}$/.test(gtin)) return null;
    gtin = gtin.padStart(14, '0');
    return serial ? `https://id.gs1.org/01/${gtin}/21/${serial}` : `https://id.gs1.org/01/${gtin}`;
  } catch {
    return null;
  }
}

/** Checks a /trace/v1/trace answer; `dl` is what the consumer scanned. `cert` is get_certificate's answer (or null). */
export function verifyTrace(answer: any, dl: string, cert: unknown = null): VerifiedTrace {
  const checks: Verdict['checks'] = [];
  const add = (what: string, ok: boolean, detail?: string) => {
    checks.push(detail === undefined ? { what, ok } : { what, ok, detail });
    return ok;
  };
  const t = answer?.trace ?? {};
  const events: VerifiedEvent[] = [];
  let itemRecord: TraceItemRecord | null = null;
  let qc: QcVerdict = 'unverified';
  const base = {
    height: answer?.height,
    hash_alg: answer?.hash_alg,
    header: answer?.header,
    header_encoded: answer?.header_encoded,
  };
  const want = expectedItem(dl);
  add('the trace is for the item scanned', want !== null && t.item === want, `${t.item} vs ${want}`);
  const list: any[] = Array.isArray(t.events) ? t.events : [];
  let proved = 0;
  let firstBad = '';
  for (const e of list) {
    const key = eventKey(String(e?.hash_id ?? ''));
    if (!key) {
      firstBad ||= `event id ${String(e?.hash_id)} is not a CBV 2.0 hash ID`;
      continue;
    }
    const r = verifyGetState({ ...base, key: e?.proof?.key, value: e?.proof?.value, proof: e?.proof?.proof } as any, key);
    if (!r.ok || !r.value) {
      firstBad ||= `event ${String(e.hash_id).slice(14, 30)}…: ${r.ok ? 'proved absent' : r.reason}`;
      continue;
    }
    qc = r.qc;
    try {
      const rec = decode<TraceEventRecord>(TraceEventRecordType, r.value);
      if (rec.hash_id !== e.hash_id) {
        firstBad ||= 'a proved record names another event';
        continue;
      }
      events.push({
        record: rec,
        event: JSON.parse(rec.event_json),
        declaration: rec.error_json ? JSON.parse(rec.error_json) : null,
        relation: String(e.relation ?? ''),
        via: String(e.via ?? ''),
      });
      proved++;
    } catch (err) {
      firstBad ||= `event record does not decode: ${(err as Error).message}`;
    }
  }
  add(`every event is proved against the header (${proved} of ${list.length})`, list.length > 0 && proved === list.length, firstBad || undefined);
  if (want !== null) {
    const p = t.item_proof ?? {};
    const r = verifyGetState({ ...base, key: p.key, value: p.value, proof: p.proof } as any, itemKey(want));
    if (add('the claim record is proved (or proved absent)', r.ok, r.reason) && r.value) {
      try {
        itemRecord = decode<TraceItemRecord>(TraceItemRecordType, r.value);
      } catch (err) {
        add('the claim record decodes', false, (err as Error).message);
      }
    }
    if (r.ok && r.header) {
      qc = verifyQuorumCert(r.header, cert, null);
      add('header finality (quorum certificate) is not refuted', qc !== 'invalid');
    }
  }
  events.sort((a, b) => (a.record.event_time < b.record.event_time ? -1 : a.record.event_time > b.record.event_time ? 1 : a.record.hash_id < b.record.hash_id ? -1 : 1));
  const bad = checks.find((c) => !c.ok);
  const verdict: Verdict = {
    verified: !bad,
    checks,
    qc,
    reason: bad ? `${bad.what}${bad.detail ? `: ${bad.detail}` : ''}` : `${proved} events proved at block ${answer?.height}`,
  };
  return { verdict, height: String(answer?.height ?? ''), item: String(t.item ?? ''), lot: t.lot ?? null, events, itemRecord };
}

// ---- presentation helpers (pure) ------------------------------------------------------------

export function shortVocab(uri: string | undefined): string {
  if (!uri) return '';
  const m = /^https:\/\/ref\.gs1\.org\/cbv\/[A-Za-z]+-(.+)$/.exec(uri);
  return (m ? m[1]! : uri).replace(/_/g, ' ');
}

export interface Reading {
  time: string;
  value: number;
  uom: string;
}

/** Temperature readings of the trace, in time order (from the proved events only). */
export function temperatures(events: VerifiedEvent[]): Reading[] {
  const out: Reading[] = [];
  for (const e of events)
    for (const se of e.event.sensor_elements ?? [])
      for (const r of se.reports ?? []) {
        if (!/Temperature$/.test(String(r.type ?? ''))) continue;
        const v = Number(r.value);
        if (!Number.isFinite(v)) continue;
        out.push({ time: String(r.time ?? se.metadata?.time ?? e.event.event_time), value: v, uom: String(r.uom ?? '') });
      }
  out.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return out;
}

export type ClaimState = 'no_code' | 'unclaimed' | 'claimed' | 'counterfeit' | 'unknown_item';

export function claimState(rec: TraceItemRecord | null): ClaimState {
  if (!rec) return 'unknown_item';
  if (BigInt(rec.claims) > 1n || BigInt(rec.bad_code_claims) > 0n) return 'counterfeit';
  if (rec.secret_hash === '' || rec.secret_hash === undefined) return 'no_code';
  return BigInt(rec.claims) === 1n ? 'claimed' : 'unclaimed';
}

export { toHex };
