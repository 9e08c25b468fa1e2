// Ledger structures (include/formica/ledger/*.h) and their hashes. Field order and types are
// the C++ FORMICA_CODEC_FIELDS declarations; values use the codec's JSON mapping, which is
// also what the node's RPC returns.

import { concat, fromHex, toHex, utf8 } from './bytes.js';
import { type CodecType, T, decode, encode } from './codec.js';
import { addressBytesOf, addressText, parseAddress } from './address.js';
import { type HashAlg, hash, hashOf } from './hash.js';
import type { PrivateKey } from './keys.js';
import { SCHEME_IDS, type Scheme, schemeFromId } from './schemes.js';
import { checkPublicKey, verifySignature } from './signature.js';

export const TX_DOMAIN = 'formica/tx/v1';
export const HEADER_DOMAIN = 'formica/header/v1';
export const RECEIPT_DOMAIN = 'formica/receipt/v1';
export const MAX_TX_BYTES = 64 * 1024;
export const MAX_PAYLOAD_BYTES = 60 * 1024;

const Address = T.fixed(21);
const Hash = T.fixed(32);

export const TxBodyType = T.struct('TxBody', [
  ['chain_id', T.string],
  ['sender', Address],
  ['nonce', T.u64],
  ['module', T.string],
  ['kind', T.string],
  ['payload', T.bytes],
  ['expiry_height', T.u64],
  ['scheme', T.u8],
  ['public_key', T.bytes],
]);
export const TransactionType = T.struct('Transaction', [
  ['body', TxBodyType],
  ['signature', T.bytes],
]);
export const BlockHeaderType = T.struct('BlockHeader', [
  ['chain_id', T.string],
  ['height', T.u64],
  ['parent_hash', Hash],
  ['state_root', Hash],
  ['tx_root', Hash],
  ['receipts_root', Hash],
  ['tx_count', T.u32],
  ['round', T.u64],
  ['time_ms', T.u64],
  ['proposer', Address],
]);
export const EventType = T.struct('Event', [
  ['module', T.string],
  ['kind', T.string],
  ['attributes', T.map(T.string, T.string)],
]);
export const ReceiptType = T.struct('Receipt', [
  ['tx_id', Hash],
  ['height', T.u64],
  ['index', T.u32],
  ['status', T.enumU8([0, 1])],
  ['error', T.string],
  ['events', T.list(EventType)],
]);
/** bank/transfer payload (include/formica/apps/bank.h). */
export const TransferType = T.struct('Transfer', [
  ['to', Address],
  ['asset', T.string],
  ['amount', T.u128],
]);
/** accounts/register payload (include/formica/ledger/accounts.h). */
export const RegisterAccountType = T.struct('RegisterAccount', [
  ['address', Address],
  ['roles', T.set(T.string)],
]);
/** The account record at accounts/a/<address>. */
export const AccountRecordType = T.struct('AccountRecord', [
  ['org', T.string],
  ['roles', T.set(T.string)],
  ['nonce', T.u64],
]);
/** A bank balance at bank/b/<address><code>: a transparent u128. */
export const BalanceType = T.transparent('Balance', ['value', T.u128]);

// JSON-mapping shapes (what decode returns and the node sends).
export interface TxBody {
  chain_id: string;
  sender: string; // 21-byte address, hex
  nonce: string; // u64 decimal
  module: string;
  kind: string;
  payload: string; // hex
  expiry_height: string; // u64 decimal
  scheme: number;
  public_key: string; // hex
}
export interface Transaction {
  body: TxBody;
  signature: string;
}
export interface BlockHeader {
  chain_id: string;
  height: string;
  parent_hash: string;
  state_root: string;
  tx_root: string;
  receipts_root: string;
  tx_count: number;
  round: string;
  time_ms: string;
  proposer: string;
}

// ---------------------------------------------------------------------------------------------

export function encodeTxBody(body: unknown): Uint8Array {
  return encode(TxBodyType, body);
}
export function encodeTransaction(tx: unknown): Uint8Array {
  return encode(TransactionType, tx);
}
/** Decodes wire bytes (canonical only), the size limit first, as ledger::decode_transaction. */
export function decodeTransaction(wire: Uint8Array): Transaction {
  if (wire.length > MAX_TX_BYTES) throw new Error('transaction over 64 KiB');
  return decode<Transaction>(TransactionType, wire);
}
export function encodeHeader(h: unknown): Uint8Array {
  return encode(BlockHeaderType, h);
}
export function decodeHeader(bytes: Uint8Array): BlockHeader {
  return decode<BlockHeader>(BlockHeaderType, bytes);
}

/** The transaction id = the signing hash: hash_of(alg, "formica/tx/v1", body). */
export function txId(body: unknown, alg: HashAlg = 'sha256'): Uint8Array {
  return hashOf(alg, TX_DOMAIN, TxBodyType, body);
}
export function headerHash(header: unknown, alg: HashAlg = 'sha256'): Uint8Array {
  return hashOf(alg, HEADER_DOMAIN, BlockHeaderType, header);
}
export function receiptHash(receipt: unknown, alg: HashAlg = 'sha256'): Uint8Array {
  return hashOf(alg, RECEIPT_DOMAIN, ReceiptType, receipt);
}

/** RFC 6962-style Merkle root: leaf H(0x00||x), node H(0x01||l||r), odd node promoted, empty = zeros. */
export function merkleRoot(alg: HashAlg, items: Uint8Array[]): Uint8Array {
  if (items.length === 0) return new Uint8Array(32);
  let level = items.map((x) => hash(alg, concat(Uint8Array.of(0), x)));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hash(alg, concat(Uint8Array.of(1), level[i]!, level[i + 1]!)));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** A receipt as the node's RPC prints it (receipt_json) turned into the codec form. */
export interface RpcReceipt {
  tx_id: string;
  height: number | string;
  index: number;
  status: 'ok' | 'rejected';
  error: string;
  events: { module: string; kind: string; attributes: Record<string, string> }[];
}
export function receiptFromRpc(r: RpcReceipt): unknown {
  return {
    tx_id: r.tx_id,
    height: String(r.height),
    index: r.index,
    status: r.status === 'ok' ? 0 : 1,
    error: r.error,
    events: r.events.map((e) => ({ module: e.module, kind: e.kind, attributes: e.attributes })),
  };
}

// ---------------------------------------------------------------------------------------------
// Building and signing transactions.

export interface TxFields {
  chainId: string;
  nonce: bigint | number | string;
  module: string;
  kind: string;
  payload: Uint8Array;
  expiryHeight: bigint | number | string;
}

/** Fills scheme, public key and sender from `key`, then signs the id (as ledger::sign_transaction). */
export function signTransaction(fields: TxFields, key: PrivateKey, alg: HashAlg = 'sha256'): { tx: Transaction; id: Uint8Array; encoded: Uint8Array } {
  const body: TxBody = {
    chain_id: fields.chainId,
    sender: toHex(key.addressBytes()),
    nonce: BigInt(fields.nonce).toString(),
    module: fields.module,
    kind: fields.kind,
    payload: toHex(fields.payload),
    expiry_height: BigInt(fields.expiryHeight).toString(),
    scheme: SCHEME_IDS[key.scheme],
    public_key: key.publicKeyHex(),
  };
  const id = txId(body, alg);
  const tx: Transaction = { body, signature: toHex(key.sign(id)) };
  return { tx, id, encoded: encodeTransaction(tx) };
}

export function transferPayload(to: string, asset: string, amount: bigint | string): Uint8Array {
  return encode(TransferType, { to: toHex(parseAddress(to)), asset, amount: BigInt(amount) });
}

export type TxReject =
  | 'malformed'
  | 'too_large'
  | 'wrong_chain'
  | 'scheme_not_allowed'
  | 'bad_public_key'
  | 'sender_mismatch'
  | 'bad_name'
  | 'bad_signature';

export interface ChainRules {
  chainId: string;
  hashAlg: HashAlg;
  schemes?: Scheme[];
}

const IDENT = /^[a-z0-9_]{1,32}$/;

/** The node's stateless checks (ledger::check_stateless), in the same order. Returns the id. */
export function checkStateless(tx: Transaction, rules: ChainRules): { ok: true; id: Uint8Array } | { ok: false; reason: TxReject; message: string } {
  const no = (reason: TxReject, message: string) => ({ ok: false as const, reason, message });
  const b = tx.body;
  if (b.payload.length / 2 > MAX_PAYLOAD_BYTES) return no('too_large', 'payload over 60 KiB');
  if (b.chain_id !== rules.chainId) return no('wrong_chain', `chain id '${b.chain_id}' is not '${rules.chainId}'`);
  if (!IDENT.test(b.module) || !IDENT.test(b.kind)) return no('bad_name', 'module and kind are 1..32 characters of [a-z0-9_]');
  let scheme: Scheme;
  try {
    scheme = schemeFromId(b.scheme);
  } catch {
    return no('bad_public_key', `unknown scheme id ${b.scheme}`);
  }
  if (!(rules.schemes ?? ['ed25519', 'sm2', 'secp256k1']).includes(scheme)) return no('scheme_not_allowed', `${scheme} is not allowed on this network`);
  const pk = fromHex(b.public_key);
  try {
    checkPublicKey(scheme, pk);
  } catch (e) {
    return no('bad_public_key', (e as Error).message);
  }
  if (toHex(addressBytesOf(scheme, pk)) !== b.sender) return no('sender_mismatch', 'sender is not the address of the public key');
  let id: Uint8Array;
  try {
    if (encodeTransaction(tx).length > MAX_TX_BYTES) return no('too_large', 'transaction over 64 KiB');
    id = txId(b, rules.hashAlg);
  } catch (e) {
    return no('malformed', (e as Error).message);
  }
  if (!verifySignature(scheme, pk, id, fromHex(tx.signature))) return no('bad_signature', 'signature does not verify');
  return { ok: true, id };
}

// ---------------------------------------------------------------------------------------------
// State keys (docs/ledger.md "bank").

export function accountKey(address: string): Uint8Array {
  return concat(utf8('accounts/a/'), parseAddress(address));
}
export function balanceKey(address: string, asset: string): Uint8Array {
  return concat(utf8('bank/b/'), parseAddress(address), utf8(asset));
}
/** A balance value (canonical u128) to a decimal string. */
export function decodeBalance(value: Uint8Array): string {
  return decode<string>(BalanceType, value);
}
export { addressText };
