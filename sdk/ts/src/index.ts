// @formica/sdk — the TypeScript SDK for Formica. See docs/web.md.
export * from './bytes.js';
export * from './codec.js';
export * from './hash.js';
export * from './schemes.js';
export * from './address.js';
export * from './signature.js';
export * from './keys.js';
export * from './ledger.js';
export * from './consensus.js';
export * from './proof.js';
export * from './rpc.js';
