// Helpers shared by the tests (not part of the public API).
import { ParamStore } from '@collab-ts/core';
import type { Gradients, Rng } from '@collab-ts/core';

/** A store with one dense parameter `w` holding `values`. */
export function denseStore(values: number[], decay = true): ParamStore {
  const store = new ParamStore();
  store.add('w', [values.length], Float32Array.from(values), { kind: 'dense', decay });
  return store;
}

/** Gradients with one dense gradient for `w`. */
export function denseGrad(values: number[], name = 'w'): Gradients {
  return new Map([[name, { kind: 'dense' as const, values: Float32Array.from(values) }]]);
}

/** A sparse row gradient for `name` from `[row, values]` pairs. */
export function sparseGrad(name: string, rows: [number, number[]][]): Gradients {
  const n = rows[0]?.[1].length ?? 1;
  const values = new Float32Array(rows.length * n);
  rows.forEach(([, v], k) => values.set(v, k * n));
  return new Map([[name, { kind: 'sparse' as const, rows: Int32Array.from(rows.map(([r]) => r)), values, count: rows.length }]]);
}

/** `k` distinct random rows out of `n`, sorted in random order. */
export function randomRows(rng: Rng, n: number, k: number): number[] {
  return Array.from(rng.permutation(n).subarray(0, k));
}

/** Random normal values. */
export function randomValues(rng: Rng, n: number, std = 1): number[] {
  return Array.from({ length: n }, () => rng.normal(0, std));
}
