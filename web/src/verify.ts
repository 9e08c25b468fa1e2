// What the console checks in the browser before it calls something "verified". Pure functions
// over the node's JSON-RPC answers, so they are unit-tested without a node (test/verify.test.ts).
//
// Every check below proves that what a page shows is consistent with ONE block header (its
// hash, its roots). Whether that header was finalised by the validators is the quorum-
// certificate check (finality.ts, withFinality), which the explorer pages add before a badge
// turns green.

import {
  addressTextOrHex, checkStateless, decodeHeader, fromHex, headerHash, merkleRoot, receiptFromRpc, receiptHash, toHex, txId,
  verifyGetState, verifyQuorumCert, type BlockHeader, type GetStateResponse, type HashAlg, type QcVerdict,
} from '@formica/sdk';

export interface Verdict {
  verified: boolean;
  checks: { what: string; ok: boolean; detail?: string }[];
  qc: QcVerdict;
  reason: string; // the first failed check, or a summary
  finality?: string; // e.g. "quorum certificate (3 of 4 validators)" once the header's QC is checked (finality.ts)
}

class Checks {
  list: Verdict['checks'] = [];
  add(what: string, ok: boolean, detail?: string): boolean {
    this.list.push(detail === undefined ? { what, ok } : { what, ok, detail });
    return ok;
  }
  verdict(summary: string, qc: QcVerdict = 'unverified'): Verdict {
    const bad = this.list.find((c) => !c.ok);
    return { verified: !bad && this.list.length > 0, checks: this.list, qc, reason: bad ? `${bad.what}${bad.detail ? `: ${bad.detail}` : ''}` : summary };
  }
}

function safe<T>(f: () => T): T | Error {
  try {
    return f();
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** The header the node describes in `block` (get_block / get_state header), checked against its encoding. */
export function checkHeader(c: Checks, block: any, alg: HashAlg): BlockHeader | null {
  const header = safe(() => decodeHeader(fromHex(block.header_encoded)));
  if (header instanceof Error) {
    c.add('header encoding decodes', false, header.message);
    return null;
  }
  const hash = toHex(headerHash(header, alg));
  if (!c.add('header hashes to the block hash', hash === block.hash, `${hash.slice(0, 16)}… vs ${String(block.hash).slice(0, 16)}…`)) return null;
  const shown: [string, string][] = [
    ['height', String(block.height)],
    ['parent_hash', block.parent_hash],
    ['state_root', block.state_root],
    ['tx_root', block.tx_root],
    ['receipts_root', block.receipts_root],
    ['tx_count', String(block.tx_count)],
    ['time_ms', String(block.time_ms)],
  ];
  const wrong = shown.filter(([k, v]) => v !== undefined && String((header as any)[k]) !== v).map(([k]) => k);
  if (block.proposer !== undefined && addressTextOrHex(header.proposer) !== block.proposer) wrong.push('proposer');
  if (block.chain_id !== undefined && block.chain_id !== header.chain_id) wrong.push('chain_id');
  c.add('displayed header fields match the hashed header', wrong.length === 0, wrong.join(', '));
  return header;
}

/** A get_block answer: header, tx list (tx_root) and, when present, receipts (receipts_root). */
export function verifyBlock(block: any, alg: HashAlg): Verdict {
  const c = new Checks();
  const header = checkHeader(c, block, alg);
  if (header) {
    const ids: string[] = block.tx_ids ?? [];
    const ok = safe(() => toHex(merkleRoot(alg, ids.map(fromHex))) === header.tx_root);
    c.add('transaction ids lead to tx_root', ok === true);
    c.add('tx_count matches', ids.length === header.tx_count);
    if (Array.isArray(block.receipts)) {
      const r = safe(() => toHex(merkleRoot(alg, block.receipts.map((x: any) => receiptHash(receiptFromRpc(x), alg)))));
      c.add('receipts lead to receipts_root', r === header.receipts_root);
    }
  }
  return c.verdict(`block ${block.height} consistent with its header hash`, header ? verifyQuorumCert(header, block.qc, null) : 'unverified');
}

/** A get_tx answer, with the get_block (receipts: true) of its height. */
export function verifyTx(tx: any, block: any, alg: HashAlg, chainId: string): Verdict {
  const c = new Checks();
  if (tx.status !== 'committed') {
    c.add('transaction is committed', false, `status ${tx.status}`);
    return c.verdict('');
  }
  const body = { ...tx.tx.body };
  delete body.sender_address; // added by the node for display, not part of the body
  const wire = { body, signature: tx.tx.signature };
  const id = safe(() => toHex(txId(body, alg)));
  c.add('body hashes to the transaction id', id === tx.tx_id);
  const st = safe(() => checkStateless(wire as any, { chainId, hashAlg: alg }));
  c.add('signature and sender verify (node rules)', !(st instanceof Error) && st.ok, st instanceof Error ? st.message : st.ok ? undefined : st.message);
  const bv = verifyBlock(block, alg);
  for (const ch of bv.checks) c.add(`block ${block.height}: ${ch.what}`, ch.ok, ch.detail);
  c.add('block height matches', String(block.height) === String(tx.height));
  c.add('the block lists this transaction at its index', (block.tx_ids ?? [])[tx.index] === tx.tx_id);
  if (tx.receipt && Array.isArray(block.receipts)) {
    const mine = safe(() => toHex(receiptHash(receiptFromRpc(tx.receipt), alg)));
    const theirs = safe(() => toHex(receiptHash(receiptFromRpc(block.receipts[tx.index]), alg)));
    c.add('receipt is the one under receipts_root', typeof mine === 'string' && mine === theirs);
  } else c.add('receipt available', false, 'no receipt to check');
  return c.verdict(`transaction and receipt proved against block ${block.height}'s header`, bv.qc);
}

export interface BalanceCheck {
  asset: string;
  claimed: string; // what the bank query said
  proved: string | null; // what the proof says (null: proof failed)
  ok: boolean;
  reason: string;
}

/**
 * A balance from `query bank balance` checked with `get_state bank/b/<address><asset>` at the
 * same height: the proof must verify, and the proved value must equal what the query claimed
 * (an absent key is a zero balance).
 */
export function checkBalance(asset: string, claimed: string, state: GetStateResponse, key: Uint8Array, decodeValue: (v: Uint8Array) => string): BalanceCheck {
  const r = verifyGetState(state, key);
  if (!r.ok) return { asset, claimed, proved: null, ok: false, reason: r.reason };
  const proved = r.value === null ? '0' : safe(() => decodeValue(r.value!));
  if (proved instanceof Error) return { asset, claimed, proved: null, ok: false, reason: `balance value malformed: ${proved.message}` };
  if (proved !== claimed) return { asset, claimed, proved, ok: false, reason: `the proof says ${proved}, the query said ${claimed}` };
  return { asset, claimed, proved, ok: true, reason: r.reason };
}

export function summarize(checks: BalanceCheck[], extra: Verdict['checks'] = []): Verdict {
  const c = new Checks();
  for (const e of extra) c.add(e.what, e.ok, e.detail);
  for (const b of checks) c.add(`${b.asset} balance proved`, b.ok, b.ok ? undefined : b.reason);
  return c.verdict('balances proved against the header state root');
}
