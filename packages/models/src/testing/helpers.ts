// Test-only helpers (not exported from the package).
import { createRng } from '@collab-ts/core';
import type { Gradient, Gradients, RatingBatch } from '@collab-ts/core';
import type { CollabModel } from '../types.js';

/** A random batch with repeated users and items, ratings in [1, 5]. */
export function randomBatch(seed: number, nUsers: number, nItems: number, n: number, binary = false): RatingBatch {
  const rng = createRng(seed);
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    users[b] = rng.int(nUsers);
    items[b] = rng.int(nItems);
    ratings[b] = binary ? rng.int(2) : 1 + rng.int(5);
  }
  return { users, items, ratings };
}

/** A gradient entry as a dense array of the parameter's size (zeros for rows the batch did not touch). */
export function denseOf(g: Gradient | undefined, size: number, rowSize: number): Float64Array {
  const out = new Float64Array(size);
  if (!g) return out;
  if (g.kind === 'dense') {
    out.set(g.values);
    return out;
  }
  for (let k = 0; k < g.count; k++) {
    for (let j = 0; j < rowSize; j++) out[g.rows[k] * rowSize + j] = g.values[k * rowSize + j];
  }
  return out;
}

/** Every gradient of a model densified, copied out of the (reused) buffers. */
export function denseGrads(model: CollabModel, grads: Gradients): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const p of model.params.list()) {
    if (!grads.has(p.name)) continue;
    const rs = p.shape.length > 1 ? p.data.length / p.shape[0] : 1;
    out.set(p.name, denseOf(grads.get(p.name), p.data.length, rs));
  }
  return out;
}

/** Largest |a - b| / max(1, |a|, |b|) over two arrays. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i]), Math.abs(b[i]));
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/**
 * Central finite differences of the model's training loss w.r.t. `count` random entries of each trainable
 * parameter, against the analytic gradient. The denominator is the perturbation actually stored in float32,
 * and the loss is evaluated in double precision by the kernels, so eps can be small.
 */
export function finiteDifferenceCheck(
  model: CollabModel,
  batch: RatingBatch,
  opts: { eps?: number; count?: number; seed?: number; loss?: 'mse' | 'bce'; training?: boolean } = {},
): { worst: number; where: string; checked: number } {
  const eps = opts.eps ?? 1e-3;
  const lossOpts = { loss: opts.loss ?? 'mse', training: opts.training ?? true } as const;
  const analytic = denseGrads(model, model.lossAndGrads(batch, lossOpts).grads);
  const rng = createRng(opts.seed ?? 7);
  let worst = 0;
  let where = '';
  let checked = 0;
  for (const [name, g] of analytic) {
    const data = model.params.get(name).data;
    // pick touched entries first (untouched ones are exact zeros on both sides)
    const nz: number[] = [];
    for (let i = 0; i < g.length; i++) if (g[i] !== 0) nz.push(i);
    const pool = nz.length ? nz : [...Array(g.length).keys()];
    for (let c = 0; c < (opts.count ?? 6); c++) {
      const i = pool[rng.int(pool.length)];
      const x = data[i];
      data[i] = x + eps;
      const hi = data[i];
      const lp = model.lossAndGrads(batch, lossOpts).loss;
      data[i] = x - eps;
      const lo = data[i];
      const lm = model.lossAndGrads(batch, lossOpts).loss;
      data[i] = x;
      const fd = (lp - lm) / (hi - lo);
      const err = Math.abs(fd - g[i]) / Math.max(1e-3, Math.abs(fd), Math.abs(g[i]));
      checked++;
      if (err > worst) {
        worst = err;
        where = `${name}[${i}]: fd ${fd} analytic ${g[i]}`;
      }
    }
  }
  return { worst, where, checked };
}
