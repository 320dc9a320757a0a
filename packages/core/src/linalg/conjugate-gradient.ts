/** Work buffers for {@link conjugateGradient}, reusable across calls of the same size. */
export interface CgWorkspace {
  r: Float64Array;
  p: Float64Array;
  ap: Float64Array;
}

/** Buffers for an n-dimensional {@link conjugateGradient}. */
export function cgWorkspace(n: number): CgWorkspace {
  return { r: new Float64Array(n), p: new Float64Array(n), ap: new Float64Array(n) };
}

/** Options of {@link conjugateGradient}. */
export interface CgOptions {
  /** Iterations at most (default: the dimension, where CG is exact in exact arithmetic). */
  iterations?: number;
  /** Stop when the squared residual norm falls below this (default 1e-20). */
  tolerance?: number;
  /** Reused buffers (see {@link cgWorkspace}). */
  workspace?: CgWorkspace;
}

/**
 * Conjugate gradient for a symmetric positive-definite system `A x = b`, with `A` given as a function
 * `apply(v, out)` writing `A v` into `out`. Starts from the `x` it is given (warm start) and refines it in
 * place; returns the iterations run. A few warm-started iterations are what implicit's ALS uses per user.
 */
export function conjugateGradient(
  apply: (v: Float64Array, out: Float64Array) => void,
  b: ArrayLike<number>,
  x: Float64Array,
  options: CgOptions = {},
): number {
  const n = x.length;
  const ws = options.workspace ?? cgWorkspace(n);
  const { r, p, ap } = ws;
  const iters = options.iterations ?? n;
  const tol = options.tolerance ?? 1e-20;
  apply(x, ap);
  let rs = 0;
  for (let i = 0; i < n; i++) {
    r[i] = b[i] - ap[i];
    p[i] = r[i];
    rs += r[i] * r[i];
  }
  let it = 0;
  for (; it < iters && rs > tol; it++) {
    apply(p, ap);
    let pap = 0;
    for (let i = 0; i < n; i++) pap += p[i] * ap[i];
    if (!(pap > 0)) break;
    const alpha = rs / pap;
    let rsNew = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * ap[i];
      rsNew += r[i] * r[i];
    }
    const beta = rsNew / rs;
    for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
    rs = rsNew;
  }
  return it;
}
