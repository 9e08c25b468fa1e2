export type Scheme = 'ed25519' | 'sm2' | 'secp256k1';

/** Stable numeric ids (key files, addresses, transactions). */
export const SCHEME_IDS: Record<Scheme, number> = { ed25519: 1, sm2: 2, secp256k1: 3 };

export function schemeFromId(id: number): Scheme {
  if (id === 1) return 'ed25519';
  if (id === 2) return 'sm2';
  if (id === 3) return 'secp256k1';
  throw new Error(`unknown scheme id ${id}`);
}

export function parseScheme(name: string): Scheme {
  if (name === 'ed25519' || name === 'sm2' || name === 'secp256k1') return name;
  throw new Error(`unknown scheme '${name}' (ed25519, sm2, secp256k1)`);
}
