import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const VECTORS = resolve(ROOT, 'tests/vectors');

export function readJson(rel: string): any {
  return JSON.parse(readFileSync(resolve(VECTORS, rel), 'utf8'));
}
export function readText(rel: string): string {
  return readFileSync(resolve(VECTORS, rel), 'utf8');
}
