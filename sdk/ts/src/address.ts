// Account addresses (include/formica/crypto/address.h, docs/crypto.md "Addresses").
//
//   account hash = BLAKE2b-256("formica/address/v1" || scheme id || public key)[0..20)
//   binary       = scheme id (1 byte) || account hash (20 bytes)
//   checksum     = SHA-256("formica/address-checksum/v1" || binary)[0..4)
//   text         = "fm" || decimal scheme id || hex(account hash) || hex(checksum)   (51 chars)

import { concat, equalBytes, fromHex, toHex, utf8 } from './bytes.js';
import { blake2b256, sha256 } from './hash.js';
import { type Scheme, SCHEME_IDS, schemeFromId } from './schemes.js';

export const ADDRESS_BYTES = 21;
export const ADDRESS_TEXT_LENGTH = 51;

function checksum(binary: Uint8Array): Uint8Array {
  return sha256(concat(utf8('formica/address-checksum/v1'), binary)).subarray(0, 4);
}

/** The 21-byte binary address of a public key. */
export function addressBytesOf(scheme: Scheme, publicKey: Uint8Array): Uint8Array {
  const id = SCHEME_IDS[scheme];
  const h = blake2b256(concat(utf8('formica/address/v1'), Uint8Array.of(id), publicKey)).subarray(0, 20);
  return concat(Uint8Array.of(id), h);
}

/** "fm…" text form of a 21-byte binary address (hex string or bytes). Throws for an unknown scheme. */
export function addressText(binary: Uint8Array | string): string {
  const b = typeof binary === 'string' ? fromHex(binary) : binary;
  if (b.length !== ADDRESS_BYTES) throw new Error(`an address is ${ADDRESS_BYTES} bytes`);
  schemeFromId(b[0]!);
  return `fm${b[0]}${toHex(b.subarray(1))}${toHex(checksum(b))}`;
}

export function addressOf(scheme: Scheme, publicKey: Uint8Array): string {
  return addressText(addressBytesOf(scheme, publicKey));
}

/** Strict parse of the text form (lowercase, exact length, known scheme, checksum) to 21 bytes. */
export function parseAddress(text: string): Uint8Array {
  if (text.length !== ADDRESS_TEXT_LENGTH || !text.startsWith('fm')) throw new Error("address must be 'fm' followed by 49 characters");
  const digit = text.charCodeAt(2) - 48;
  if (digit < 0 || digit > 9) throw new Error('address scheme digit expected');
  schemeFromId(digit);
  const body = text.slice(3);
  if (!/^[0-9a-f]+$/.test(body)) throw new Error('address must be lowercase hex after its prefix');
  const raw = fromHex(body);
  const binary = concat(Uint8Array.of(digit), raw.subarray(0, 20));
  if (!equalBytes(checksum(binary), raw.subarray(20))) throw new Error('address checksum does not match (mistyped?)');
  return binary;
}

export function isAddress(text: string): boolean {
  try {
    parseAddress(text);
    return true;
  } catch {
    return false;
  }
}

/** As the node's ledger::address_text: "fm…" for a valid address, else the hex of the bytes (e.g. genesis' zero proposer). */
export function addressTextOrHex(binary: Uint8Array | string): string {
  try {
    return addressText(binary);
  } catch {
    return typeof binary === 'string' ? binary : toHex(binary);
  }
}
