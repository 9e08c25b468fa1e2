// The canonical binary codec (docs/codec.md), byte-identical to src/codec/ in C++.
//
// Values are handled in the codec's JSON mapping (docs/codec.md §3), which is also what the
// node's JSON-RPC returns: u64/i64/u128 as decimal strings, bytes as lowercase hex, small
// integers as numbers, optionals as null. For convenience the encoder also takes bigint for
// any integer and Uint8Array for bytes. The decoder returns the JSON mapping.
//
// Decoding is strict exactly as in C++: one valid encoding per value, the same failure kinds
// in the same order (§2.4), the same limits (§2.3).

import { compareBytes, concat, fromHex, fromUtf8, isWellFormed, toHex, utf8 } from './bytes.js';

export type FailureKind =
  | 'truncated'
  | 'trailing_bytes'
  | 'non_canonical_varint'
  | 'varint_overflow'
  | 'invalid_bool'
  | 'invalid_presence'
  | 'invalid_utf8'
  | 'invalid_enum'
  | 'unsorted_map_keys'
  | 'duplicate_map_key'
  | 'invalid_value'
  | 'length_limit'
  | 'count_limit'
  | 'depth_limit'
  | 'input_limit'
  | 'json_syntax'
  | 'json_type'
  | 'json_missing_field'
  | 'json_unknown_field'
  | 'json_duplicate_key'
  | 'json_bad_number'
  | 'json_bad_hex';

export class CodecError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly path: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`codec ${kind} at ${path || '<root>'} (offset ${offset}): ${detail}`);
    this.name = 'CodecError';
  }
}

export interface Limits {
  maxInput: number; // whole input / whole encoding, bytes
  maxLength: number; // one string or bytes
  maxCount: number; // elements of one list, set, map
  maxDepth: number; // nesting
}
export const DEFAULT_LIMITS: Limits = { maxInput: 16 << 20, maxLength: 4 << 20, maxCount: 1 << 20, maxDepth: 32 };

export type CodecType =
  | { k: 'bool' }
  | { k: 'uint'; size: 1 | 2 | 4 | 8 | 16 }
  | { k: 'int'; size: 1 | 2 | 4 | 8 }
  | { k: 'string' }
  | { k: 'bytes' }
  | { k: 'fixed'; n: number }
  | { k: 'optional'; t: CodecType }
  | { k: 'list'; t: CodecType }
  | { k: 'set'; t: CodecType }
  | { k: 'map'; key: CodecType; val: CodecType }
  | { k: 'enum'; size: 1 | 2 | 4; values: readonly number[] }
  | { k: 'struct'; name: string; fields: ReadonlyArray<readonly [string, CodecType]>; transparent?: boolean };

// ---------------------------------------------------------------------------------------------
// Type constructors.

export const T = {
  bool: { k: 'bool' } as CodecType,
  u8: { k: 'uint', size: 1 } as CodecType,
  u16: { k: 'uint', size: 2 } as CodecType,
  u32: { k: 'uint', size: 4 } as CodecType,
  u64: { k: 'uint', size: 8 } as CodecType,
  u128: { k: 'uint', size: 16 } as CodecType,
  i8: { k: 'int', size: 1 } as CodecType,
  i16: { k: 'int', size: 2 } as CodecType,
  i32: { k: 'int', size: 4 } as CodecType,
  i64: { k: 'int', size: 8 } as CodecType,
  string: { k: 'string' } as CodecType,
  bytes: { k: 'bytes' } as CodecType,
  fixed: (n: number): CodecType => {
    if (!Number.isInteger(n) || n < 1) throw new Error('bytesN needs N >= 1');
    return { k: 'fixed', n };
  },
  optional: (t: CodecType): CodecType => {
    if (t.k === 'optional') throw new Error('optional<optional<T>> is not allowed');
    return { k: 'optional', t };
  },
  list: (t: CodecType): CodecType => ({ k: 'list', t }),
  set: (t: CodecType): CodecType => ({ k: 'set', t }),
  map: (key: CodecType, val: CodecType): CodecType => ({ k: 'map', key, val }),
  enumU8: (values: readonly number[]): CodecType => ({ k: 'enum', size: 1, values }),
  struct: (name: string, fields: ReadonlyArray<readonly [string, CodecType]>): CodecType => {
    if (fields.length === 0) throw new Error('a struct needs at least one field');
    return { k: 'struct', name, fields };
  },
  transparent: (name: string, field: readonly [string, CodecType]): CodecType => ({
    k: 'struct',
    name,
    fields: [field],
    transparent: true,
  }),
};

/** Parses a type written as in docs/codec.md, e.g. "map<string,u128>", "optional<bytes20>". */
export function parseType(text: string, structs: Record<string, string> = {}, cache: Record<string, CodecType> = {}): CodecType {
  let i = 0;
  const s = text.replace(/\s+/g, '');
  const ident = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (!m) throw new Error(`type syntax at ${i} in '${text}'`);
    i += m[0].length;
    return m[0];
  };
  const expect = (c: string) => {
    if (s[i] !== c) throw new Error(`expected '${c}' at ${i} in '${text}'`);
    i++;
  };
  const one = (): CodecType => {
    const name = ident();
    const simple: Record<string, CodecType> = {
      bool: T.bool, u8: T.u8, u16: T.u16, u32: T.u32, u64: T.u64, u128: T.u128,
      i8: T.i8, i16: T.i16, i32: T.i32, i64: T.i64, string: T.string, bytes: T.bytes,
    };
    if (simple[name]) return simple[name]!;
    const fixed = /^bytes([1-9][0-9]*)$/.exec(name);
    if (fixed) return T.fixed(Number(fixed[1]));
    if (name === 'optional' || name === 'list' || name === 'set') {
      expect('<');
      const t = one();
      expect('>');
      return name === 'optional' ? T.optional(t) : name === 'list' ? T.list(t) : T.set(t);
    }
    if (name === 'map') {
      expect('<');
      const k = one();
      expect(',');
      const v = one();
      expect('>');
      return T.map(k, v);
    }
    if (structs[name] !== undefined) {
      if (!cache[name]) cache[name] = parseStruct(name, structs[name]!, structs, cache);
      return cache[name]!;
    }
    throw new Error(`unknown type '${name}'`);
  };
  const t = one();
  if (i !== s.length) throw new Error(`trailing text in type '${text}'`);
  return t;
}

function parseStruct(name: string, decl: string, structs: Record<string, string>, cache: Record<string, CodecType>): CodecType {
  const m = /^\s*struct\s*\{(.*)\}\s*$/s.exec(decl);
  if (!m) throw new Error(`bad struct declaration for ${name}`);
  // Split on commas at nesting depth 0.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of m[1]!) {
    if (c === '<') depth++;
    if (c === '>') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  const fields = parts.map((p) => {
    const idx = p.indexOf(':');
    return [p.slice(0, idx).trim(), parseType(p.slice(idx + 1), structs, cache)] as const;
  });
  return T.struct(name, fields);
}

// ---------------------------------------------------------------------------------------------
// Encoding.

export function uvarint(n: number | bigint): Uint8Array {
  let v = BigInt(n);
  if (v < 0n || v > 0xffffffffffffffffn) throw new Error('uvarint out of range');
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Uint8Array.from(out);
}

class Writer {
  private chunks: Uint8Array[] = [];
  size = 0;
  constructor(private readonly limits: Limits) {}
  push(b: Uint8Array, path: string) {
    this.size += b.length;
    if (this.size > this.limits.maxInput) throw new CodecError('input_limit', path, this.size, 'encoding over the input limit');
    this.chunks.push(b);
  }
  finish(): Uint8Array {
    return concat(...this.chunks);
  }
}

function unsignedRange(size: number): bigint {
  return (1n << BigInt(8 * size)) - 1n;
}

function toBig(t: { k: 'uint' | 'int'; size: number }, v: unknown, path: string): bigint {
  const wide = t.size >= 8;
  let x: bigint;
  if (typeof v === 'bigint') x = v;
  else if (typeof v === 'number') {
    if (wide) throw new CodecError('json_type', path, 0, `a ${8 * t.size}-bit integer is a decimal string in JSON`);
    if (!Number.isInteger(v)) throw new CodecError('json_type', path, 0, 'not an integer');
    x = BigInt(v);
  } else if (typeof v === 'string') {
    if (!wide) throw new CodecError('json_type', path, 0, 'a small integer is a JSON number');
    const re = t.k === 'uint' ? /^(0|[1-9][0-9]*)$/ : /^(0|-?[1-9][0-9]*)$/;
    if (!re.test(v)) throw new CodecError('json_bad_number', path, 0, `not a canonical decimal string: '${v}'`);
    x = BigInt(v);
  } else throw new CodecError('json_type', path, 0, 'not an integer');
  const bits = BigInt(8 * t.size);
  const [lo, hi] = t.k === 'uint' ? [0n, unsignedRange(t.size)] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
  if (x < lo || x > hi) throw new CodecError('json_bad_number', path, 0, `out of range for ${t.k === 'uint' ? 'u' : 'i'}${bits}`);
  return x;
}

function intBytes(x: bigint, size: number): Uint8Array {
  let v = x < 0n ? (1n << BigInt(8 * size)) + x : x;
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function toBytesValue(v: unknown, path: string, n?: number): Uint8Array {
  let b: Uint8Array;
  if (v instanceof Uint8Array) b = v;
  else if (typeof v === 'string') {
    if (v.length % 2 !== 0 || !/^[0-9a-f]*$/.test(v)) throw new CodecError('json_bad_hex', path, 0, 'not lowercase even-length hex');
    b = fromHex(v);
  } else throw new CodecError('json_type', path, 0, 'bytes are a hex string');
  if (n !== undefined && b.length !== n) throw new CodecError('json_bad_hex', path, 0, `expected ${n} bytes, got ${b.length}`);
  return b;
}

/** Whether a map with this key type is a JSON object (else an array of pairs), §3. */
function objectKeyed(t: CodecType): boolean {
  if (t.k === 'string' || t.k === 'bytes' || t.k === 'fixed') return true;
  if ((t.k === 'uint' && (t.size === 8 || t.size === 16)) || (t.k === 'int' && t.size === 8)) return true;
  if (t.k === 'struct' && t.transparent) return objectKeyed(t.fields[0]![1]);
  return false;
}

function enc(t: CodecType, v: unknown, w: Writer, path: string, depth: number, limits: Limits): void {
  const nested = t.k === 'struct' || t.k === 'list' || t.k === 'set' || t.k === 'map';
  if (nested && depth + 1 > limits.maxDepth) throw new CodecError('depth_limit', path, w.size, 'nesting too deep');
  const d = nested ? depth + 1 : depth;
  switch (t.k) {
    case 'bool':
      if (typeof v !== 'boolean') throw new CodecError('json_type', path, 0, 'not a boolean');
      w.push(Uint8Array.of(v ? 1 : 0), path);
      return;
    case 'uint':
    case 'int':
      w.push(intBytes(toBig(t, v, path), t.size), path);
      return;
    case 'enum': {
      const x = toBig({ k: 'uint', size: t.size }, v, path);
      if (!t.values.includes(Number(x))) throw new CodecError('invalid_enum', path, w.size, `undefined enum value ${x}`);
      w.push(intBytes(x, t.size), path);
      return;
    }
    case 'string': {
      if (typeof v !== 'string') throw new CodecError('json_type', path, 0, 'not a string');
      if (!isWellFormed(v)) throw new CodecError('invalid_utf8', path, w.size, 'lone surrogate');
      const b = utf8(v);
      if (b.length > limits.maxLength) throw new CodecError('length_limit', path, w.size, 'string too long');
      w.push(uvarint(b.length), path);
      w.push(b, path);
      return;
    }
    case 'bytes': {
      const b = toBytesValue(v, path);
      if (b.length > limits.maxLength) throw new CodecError('length_limit', path, w.size, 'bytes too long');
      w.push(uvarint(b.length), path);
      w.push(b, path);
      return;
    }
    case 'fixed':
      w.push(toBytesValue(v, path, t.n), path);
      return;
    case 'optional':
      if (v === null || v === undefined) {
        w.push(Uint8Array.of(0), path);
        return;
      }
      w.push(Uint8Array.of(1), path);
      enc(t.t, v, w, path, depth, limits);
      return;
    case 'list': {
      if (!Array.isArray(v)) throw new CodecError('json_type', path, 0, 'not an array');
      if (v.length > limits.maxCount) throw new CodecError('count_limit', path, w.size, 'too many elements');
      w.push(uvarint(v.length), path);
      v.forEach((e, i) => enc(t.t, e, w, `${path}[${i}]`, d, limits));
      return;
    }
    case 'set': {
      if (!Array.isArray(v)) throw new CodecError('json_type', path, 0, 'not an array');
      if (v.length > limits.maxCount) throw new CodecError('count_limit', path, w.size, 'too many elements');
      const items = v.map((e, i) => encodeWith(t.t, e, `${path}[${i}]`, d, limits));
      items.sort(compareBytes);
      for (let i = 1; i < items.length; i++)
        if (compareBytes(items[i - 1]!, items[i]!) === 0) throw new CodecError('duplicate_map_key', path, 0, 'a set element given twice');
      w.push(uvarint(items.length), path);
      for (const it of items) w.push(it, path);
      return;
    }
    case 'map': {
      let pairs: [unknown, unknown][];
      if (v instanceof Map) pairs = [...v.entries()];
      else if (objectKeyed(t.key)) {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CodecError('json_type', path, 0, 'not an object');
        pairs = Object.entries(v as Record<string, unknown>);
      } else {
        if (!Array.isArray(v)) throw new CodecError('json_type', path, 0, 'not an array of pairs');
        pairs = v.map((p) => {
          if (!Array.isArray(p) || p.length !== 2) throw new CodecError('json_type', path, 0, 'not a [key, value] pair');
          return [p[0], p[1]];
        });
      }
      if (pairs.length > limits.maxCount) throw new CodecError('count_limit', path, w.size, 'too many entries');
      const items = pairs.map(([k, val], i) => ({
        k: encodeWith(t.key, k, `${path}[${i}]`, d, limits),
        v: encodeWith(t.val, val, `${path}[${i}]`, d, limits),
      }));
      items.sort((a, b) => compareBytes(a.k, b.k));
      for (let i = 1; i < items.length; i++)
        if (compareBytes(items[i - 1]!.k, items[i]!.k) === 0) throw new CodecError('duplicate_map_key', path, 0, 'a map key given twice');
      w.push(uvarint(items.length), path);
      for (const it of items) {
        w.push(it.k, path);
        w.push(it.v, path);
      }
      return;
    }
    case 'struct': {
      if (t.transparent) {
        enc(t.fields[0]![1], v, w, path, d, limits);
        return;
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CodecError('json_type', path, 0, `${t.name} is an object`);
      const obj = v as Record<string, unknown>;
      for (const key of Object.keys(obj))
        if (!t.fields.some(([n]) => n === key)) throw new CodecError('json_unknown_field', `${path}.${key}`, 0, `${t.name} has no field '${key}'`);
      for (const [name, ft] of t.fields) {
        if (!(name in obj)) throw new CodecError('json_missing_field', `${path}.${name}`, 0, `${t.name}.${name} missing`);
        enc(ft, obj[name], w, path ? `${path}.${name}` : name, d, limits);
      }
      return;
    }
  }
}

function encodeWith(t: CodecType, v: unknown, path: string, depth: number, limits: Limits): Uint8Array {
  const w = new Writer(limits);
  enc(t, v, w, path, depth, limits);
  return w.finish();
}

/** The canonical encoding of `value` (JSON mapping, or bigint / Uint8Array) as type `t`. */
export function encode(t: CodecType, value: unknown, limits: Limits = DEFAULT_LIMITS): Uint8Array {
  return encodeWith(t, value, '', 0, limits);
}

// ---------------------------------------------------------------------------------------------
// Decoding.

class Reader {
  off = 0;
  constructor(
    readonly b: Uint8Array,
    readonly limits: Limits,
  ) {}
  left(): number {
    return this.b.length - this.off;
  }
  take(n: number, path: string): Uint8Array {
    if (n > this.left()) throw new CodecError('truncated', path, this.off, `need ${n} bytes, ${this.left()} left`);
    const out = this.b.subarray(this.off, this.off + n);
    this.off += n;
    return out;
  }
  uvarint(path: string): bigint {
    let v = 0n;
    for (let i = 0; ; i++) {
      if (this.off >= this.b.length) throw new CodecError('truncated', path, this.off, 'varint cut short');
      const byte = this.b[this.off++]!;
      if (i === 9) {
        if (byte > 1) throw new CodecError('varint_overflow', path, this.off - 1, 'varint above 2^64-1');
        if (byte === 0) throw new CodecError('non_canonical_varint', path, this.off - 1, 'redundant zero group');
        return v | (1n << 63n);
      }
      v |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) throw new CodecError('non_canonical_varint', path, this.off - 1, 'redundant zero group');
        return v;
      }
    }
  }
  length(path: string): number {
    const n = this.uvarint(path);
    if (n > BigInt(this.limits.maxLength)) throw new CodecError('length_limit', path, this.off, 'length over the limit');
    if (n > BigInt(this.left())) throw new CodecError('truncated', path, this.off, 'length beyond the input');
    return Number(n);
  }
  count(path: string): number {
    const n = this.uvarint(path);
    if (n > BigInt(this.limits.maxCount)) throw new CodecError('count_limit', path, this.off, 'count over the limit');
    if (n > BigInt(this.left())) throw new CodecError('truncated', path, this.off, 'count beyond the input');
    return Number(n);
  }
}

function fromIntBytes(b: Uint8Array, signed: boolean): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  if (signed && b.length > 0 && b[0]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

function mapKeyText(t: CodecType, k: unknown): string {
  return typeof k === 'string' ? k : String(k);
}

function dec(t: CodecType, r: Reader, path: string, depth: number): unknown {
  const nested = t.k === 'struct' || t.k === 'list' || t.k === 'set' || t.k === 'map';
  if (nested && depth + 1 > r.limits.maxDepth) throw new CodecError('depth_limit', path, r.off, 'nesting too deep');
  const d = nested ? depth + 1 : depth;
  switch (t.k) {
    case 'bool': {
      const b = r.take(1, path)[0]!;
      if (b > 1) throw new CodecError('invalid_bool', path, r.off - 1, `bool byte ${b}`);
      return b === 1;
    }
    case 'uint':
    case 'int': {
      const x = fromIntBytes(r.take(t.size, path), t.k === 'int');
      return t.size >= 8 ? x.toString() : Number(x);
    }
    case 'enum': {
      const x = Number(fromIntBytes(r.take(t.size, path), false));
      if (!t.values.includes(x)) throw new CodecError('invalid_enum', path, r.off - t.size, `undefined enum value ${x}`);
      return x;
    }
    case 'string': {
      const n = r.length(path);
      const start = r.off;
      const b = r.take(n, path);
      try {
        return fromUtf8(b);
      } catch {
        throw new CodecError('invalid_utf8', path, start, 'not well-formed UTF-8');
      }
    }
    case 'bytes':
      return toHex(r.take(r.length(path), path));
    case 'fixed':
      return toHex(r.take(t.n, path));
    case 'optional': {
      const p = r.take(1, path)[0]!;
      if (p > 1) throw new CodecError('invalid_presence', path, r.off - 1, `presence byte ${p}`);
      return p === 0 ? null : dec(t.t, r, path, depth);
    }
    case 'list': {
      const n = r.count(path);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(dec(t.t, r, `${path}[${i}]`, d));
      return out;
    }
    case 'set':
    case 'map': {
      const n = r.count(path);
      const kt = t.k === 'set' ? t.t : t.key;
      let prev: Uint8Array | null = null;
      const items: [unknown, unknown][] = [];
      for (let i = 0; i < n; i++) {
        const p = `${path}[${i}]`;
        const start = r.off;
        const k = dec(kt, r, p, d);
        const kb = r.b.subarray(start, r.off);
        if (prev) {
          const c = compareBytes(prev, kb);
          if (c === 0) throw new CodecError('duplicate_map_key', p, start, 'key equal to the previous one');
          if (c > 0) throw new CodecError('unsorted_map_keys', p, start, 'key sorts before the previous one');
        }
        prev = kb;
        items.push([k, t.k === 'map' ? dec(t.val, r, p, d) : undefined]);
      }
      if (t.k === 'set') return items.map(([k]) => k);
      if (objectKeyed(t.key)) {
        const o: Record<string, unknown> = {};
        for (const [k, v] of items) o[mapKeyText(t.key, k)] = v;
        return o;
      }
      return items;
    }
    case 'struct': {
      if (t.transparent) return dec(t.fields[0]![1], r, path, d);
      const o: Record<string, unknown> = {};
      for (const [name, ft] of t.fields) o[name] = dec(ft, r, path ? `${path}.${name}` : name, d);
      return o;
    }
  }
}

/** Decodes a canonical encoding (strict: trailing bytes, non-canonical forms refused). */
export function decode<V = unknown>(t: CodecType, bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): V {
  if (bytes.length > limits.maxInput) throw new CodecError('input_limit', '', 0, 'input over the limit');
  const r = new Reader(bytes, limits);
  const v = dec(t, r, '', 0);
  if (r.left() !== 0) throw new CodecError('trailing_bytes', '', r.off, `${r.left()} bytes after the value`);
  return v as V;
}

/** Re-prints a value in the canonical JSON mapping (decode(encode(v))). */
export function normalize<V = unknown>(t: CodecType, value: unknown): V {
  return decode<V>(t, encode(t, value));
}
