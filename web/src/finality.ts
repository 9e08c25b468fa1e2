// Header finality in the console: the pinned validator set and the quorum-certificate check
// (sdk consensus.ts verifyHeaderCertified) of the header a page was proved against.
//
// Trust model (docs/web.md): the validator set is trusted from genesis. A production light client
// ships the genesis validator set with the application; this console, served by a node, takes it
// from that node's `get_validators` the first time it sees a chain (by genesis hash), pins it in
// localStorage, shows its fingerprint on the Network page, and never re-reads it silently: a node
// later reporting another set is flagged, and every certificate is checked against the pinned set.

import {
  type FinalityCheck, type RpcClient, type ValidatorSet, validatorSetFromJson, validatorSetHash, verifyHeaderCertified,
} from '@formica/sdk';
import type { Verdict } from './verify.js';

export interface Pinned {
  set: ValidatorSet;
  raw: any; // the get_validators answer pinned
  hash: string; // validatorSetHash(set)
  pinnedAt: string; // ISO time
  nodeAgrees: boolean | null; // the node's current answer equals the pinned one (null: not asked)
}

const pins = new Map<string, Promise<Pinned>>();
const storageKey = (genesisHash: string) => `formica.validators.${genesisHash}`;

function load(genesisHash: string): { raw: any; pinnedAt: string } | null {
  try {
    const s = localStorage.getItem(storageKey(genesisHash));
    return s ? JSON.parse(s) : null;
  } catch {
    return null;
  }
}

/** The pinned validator set of the chain with this genesis hash (pins the node's answer the first time). */
export function pinnedValidators(rpc: RpcClient, st: { chain_id: string; hash_alg: string; genesis_hash: string }): Promise<Pinned> {
  const key = `${st.genesis_hash}`;
  let p = pins.get(key);
  if (!p) {
    p = (async () => {
      const stored = load(st.genesis_hash);
      let current: any = null;
      try {
        current = await rpc.getValidators();
      } catch {
        current = null;
      }
      const raw = stored?.raw ?? current;
      if (!raw) throw new Error('no validator set: the node does not answer get_validators');
      const set = validatorSetFromJson(raw);
      if (set.chainId !== st.chain_id) throw new Error(`the validator set is for chain ${set.chainId}, the node is on ${st.chain_id}`);
      const pinnedAt = stored?.pinnedAt ?? new Date().toISOString();
      if (!stored) {
        try {
          localStorage.setItem(storageKey(st.genesis_hash), JSON.stringify({ raw, pinnedAt }));
        } catch {
          /* private mode: pinned for this page only */
        }
      }
      let nodeAgrees: boolean | null = null;
      if (current) {
        try {
          nodeAgrees = validatorSetHash(validatorSetFromJson(current)) === validatorSetHash(set);
        } catch {
          nodeAgrees = false;
        }
      }
      return { set, raw, hash: validatorSetHash(set), pinnedAt, nodeAgrees };
    })();
    p.catch(() => pins.delete(key));
    pins.set(key, p);
  }
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The finality check of ledger header (height, hash): the node's certificate for that height (or
 * the nearest one above; the newest header is certified a moment after it is executed, so a
 * missing one is asked again for up to `waitMs`), checked against the pinned set, linked down by
 * parent hashes with get_block.
 */
export async function checkFinality(rpc: RpcClient, set: ValidatorSet, height: number | string, hash: string, waitMs = 8000): Promise<FinalityCheck> {
  const deadline = Date.now() + waitMs;
  let cert: any = null;
  let lastErr = '';
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    try {
      cert = await rpc.getCertificate(height);
      break;
    } catch (e) {
      lastErr = (e as Error).message;
      if (Date.now() + delay > deadline) break;
      await sleep(delay);
    }
  }
  if (!cert)
    return { ok: false, reason: `no quorum certificate for block ${height} (${lastErr})`, signers: 0, validators: set.validators.length, quorum: set.quorum, round: null, certifiedHeight: null, blockId: null };
  return verifyHeaderCertified({ height: String(height), hash }, cert, set, async (h) => {
    const b = await rpc.getBlock(h, false);
    return String(b.header_encoded);
  });
}

/** Adds the finality check to a page's verdict: green needs proof AND quorum certificate. */
export function withFinality(v: Verdict, f: FinalityCheck | Error): Verdict {
  const checks = [...v.checks];
  if (f instanceof Error) {
    checks.push({ what: 'header finality (quorum certificate)', ok: false, detail: f.message });
    return { ...v, checks, verified: false, qc: 'invalid', reason: v.verified ? `header finality: ${f.message}` : v.reason };
  }
  checks.push(f.ok ? { what: `header is final: ${f.reason}`, ok: true } : { what: 'header finality (quorum certificate)', ok: false, detail: f.reason });
  const verified = v.verified && f.ok;
  return {
    ...v,
    checks,
    verified,
    qc: f.ok ? 'verified' : 'invalid',
    ...(f.ok ? { finality: f.reason } : {}),
    reason: verified ? v.reason : v.verified ? `header finality: ${f.reason}` : v.reason,
  };
}
