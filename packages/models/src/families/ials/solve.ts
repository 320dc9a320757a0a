// The ALS solves of implicit ALS (Hu, Koren and Volinsky 2008): every row of one factor table (users, or
// items) solved against the other, fixed, table. Hand-written over Float64Arrays: this is the hot loop of the
// fit (every row, every half-iteration), and typed arrays with workspaces allocated once per half-step,
// never per row, are what make it fast.
import { choleskyFactor, choleskySubstitute } from '@collab-ts/core';
import type { CsrMatrix } from '@collab-ts/core';

/**
 * One side of the confidence-weighted problem, as CSR rows: for row `u` (a user, or an item in the
 * transposed problem) the entries `offsets[u] .. offsets[u + 1]` name the columns it interacted with.
 * With confidence `c = 1 + alpha r` and preference 1 on every interaction (0 and confidence 1 elsewhere),
 * row `u`'s normal equations are `(Y'Y + Σ extra_e y_e y_e' + reg I) x_u = Σ rhs_e y_e`.
 */
export interface AlsRows {
  readonly nRows: number;
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  /** `c - 1 = alpha r` of each entry: its weight in the sparse correction of `Y'Y`. */
  readonly extra: Float64Array;
  /**
   * `c p` of each entry for the right-hand side: `1 + alpha r` on the first entry of a (row, column) pair,
   * `alpha r` on repeats, so repeated interactions add their strengths (as a summed sparse matrix would).
   */
  readonly rhs: Float64Array;
  /** Ridge penalty of every row (plain `reg I`, as implicit). */
  readonly reg: number;
}

/**
 * The ALS rows of a CSR matrix of interaction strengths (rows sorted by column, as core's CSR builders
 * leave them, so repeats are adjacent).
 */
export function alsRows(m: CsrMatrix, alpha: number, reg: number): AlsRows {
  const n = m.indices.length;
  const extra = new Float64Array(n);
  const rhs = new Float64Array(n);
  for (let u = 0; u < m.nRows; u++) {
    for (let e = m.offsets[u]; e < m.offsets[u + 1]; e++) {
      const w = alpha * m.values[e];
      extra[e] = w;
      rhs[e] = e > m.offsets[u] && m.indices[e] === m.indices[e - 1] ? w : 1 + w;
    }
  }
  return { nRows: m.nRows, offsets: m.offsets, indices: m.indices, extra, rhs, reg };
}

/** `G = Y'Y` (f x f, full symmetric, row-major) of the `n x f` table `y`, into `g`. */
export function gram(y: ArrayLike<number>, n: number, f: number, g: Float64Array): void {
  g.fill(0, 0, f * f);
  for (let i = 0; i < n; i++) {
    const o = i * f;
    for (let j = 0; j < f; j++) {
      const yj = y[o + j];
      if (yj === 0) continue;
      const gj = j * f;
      for (let k = 0; k <= j; k++) g[gj + k] += yj * y[o + k];
    }
  }
  for (let j = 0; j < f; j++) for (let k = 0; k < j; k++) g[k * f + j] = g[j * f + k];
}

/** Scratch vectors for {@link solveRowsCg}, reused across rows and half-steps. */
export interface CgBuffers {
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
}

/** Buffers for `f` factors. */
export function cgBuffers(f: number): CgBuffers {
  return { r: new Float64Array(f), p: new Float64Array(f), ap: new Float64Array(f) };
}

/** Below this squared residual norm a row counts as solved (implicit's threshold). */
const CG_TOLERANCE = 1e-20;

/**
 * implicit's conjugate-gradient half-step (Takács, Pilászy and Tikk 2011): each row of `x` (`rows.nRows x f`)
 * is refined in place by `steps` conjugate-gradient iterations on its normal equations, warm-started from its
 * current value. The matrix is never built: `A v = G v + reg v + Σ extra_e (y_e · v) y_e`, with `G = Y'Y`
 * computed once per half-step by the caller. Rows without interactions are set to zero (their exact solution).
 * Only rows `from .. to` are solved (default all): rows are independent, so threads may solve disjoint ranges.
 */
export function solveRowsCg(rows: AlsRows, x: Float64Array, y: Float64Array, f: number, g: Float64Array, steps: number, buf: CgBuffers, from = 0, to = rows.nRows): void {
  const { offsets, indices, extra, rhs, reg: lam } = rows;
  const { r, p, ap } = buf;
  for (let u = from; u < to; u++) {
    const lo = offsets[u];
    const hi = offsets[u + 1];
    const xo = u * f;
    if (lo === hi) {
      x.fill(0, xo, xo + f);
      continue;
    }
    // r = b - A x
    symv(g, x, xo, f, lam, r);
    for (let k = 0; k < f; k++) r[k] = -r[k];
    for (let e = lo; e < hi; e++) {
      const yo = indices[e] * f;
      const w = extra[e];
      axpy(w === 0 ? rhs[e] : rhs[e] - w * dot(y, yo, x, xo, f), y, yo, r, 0, f);
    }
    let rs = 0;
    for (let k = 0; k < f; k++) {
      p[k] = r[k];
      rs += r[k] * r[k];
    }
    for (let it = 0; it < steps && rs >= CG_TOLERANCE; it++) {
      // ap = A p
      symv(g, p, 0, f, lam, ap);
      for (let e = lo; e < hi; e++) {
        const w = extra[e];
        if (w === 0) continue;
        const yo = indices[e] * f;
        axpy(w * dot(y, yo, p, 0, f), y, yo, ap, 0, f);
      }
      const pap = dot(p, 0, ap, 0, f);
      if (!(pap > 0)) break;
      const step = rs / pap;
      let rsNew = 0;
      for (let k = 0; k < f; k++) {
        x[xo + k] += step * p[k];
        r[k] -= step * ap[k];
        rsNew += r[k] * r[k];
      }
      if (rsNew < CG_TOLERANCE) break;
      const beta = rsNew / rs;
      for (let k = 0; k < f; k++) p[k] = r[k] + beta * p[k];
      rs = rsNew;
    }
  }
}

/** `a[ao ..] · b[bo ..]` over `f` entries, four at a time. */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, f: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < f; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < f; k++) s0 += a[ao + k] * b[bo + k];
  return s0 + s1 + (s2 + s3);
}

/** `b[bo ..] += t a[ao ..]` over `f` entries, four at a time. */
function axpy(t: number, a: Float64Array, ao: number, b: Float64Array, bo: number, f: number): void {
  let k = 0;
  for (; k + 3 < f; k += 4) {
    b[bo + k] += t * a[ao + k];
    b[bo + k + 1] += t * a[ao + k + 1];
    b[bo + k + 2] += t * a[ao + k + 2];
    b[bo + k + 3] += t * a[ao + k + 3];
  }
  for (; k < f; k++) b[bo + k] += t * a[ao + k];
}

/** `out = (G + lam I) v[vo .. vo + f)` for the symmetric f x f `g`. */
function symv(g: Float64Array, v: Float64Array, vo: number, f: number, lam: number, out: Float64Array): void {
  for (let j = 0; j < f; j++) out[j] = lam * v[vo + j] + dot(g, j * f, v, vo, f);
}

/** Scratch space for {@link solveRowsCholesky} and {@link solveRowExact}. */
export interface CholeskyBuffers {
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** The factor of `G + reg I`, shared by rows whose interactions add no confidence (`alpha` 0). */
  readonly shared: Float64Array;
}

/** Buffers for `f` factors. */
export function choleskyBuffers(f: number): CholeskyBuffers {
  return { a: new Float64Array(f * f), b: new Float64Array(f), shared: new Float64Array(f * f) };
}

/**
 * The exact solve of one row's normal equations into `x[xo .. xo + f)`: `A = G + reg I + Σ extra_e y_e y_e'`
 * (lower triangle only, which is all the Cholesky factorisation reads) and `b = Σ rhs_e y_e` over the
 * entries `lo .. hi` of `indices`/`extra`/`rhs`, solved by core's Cholesky. `f^2 / 2` per entry plus `f^3 / 3`.
 */
export function solveRowExact(
  indices: ArrayLike<number>,
  extra: ArrayLike<number>,
  rhs: ArrayLike<number>,
  lo: number,
  hi: number,
  reg: number,
  y: ArrayLike<number>,
  f: number,
  g: Float64Array,
  x: Float64Array | Float32Array,
  xo: number,
  buf: CholeskyBuffers,
): void {
  const { a, b } = buf;
  for (let j = 0; j < f; j++) {
    const gj = j * f;
    for (let k = 0; k <= j; k++) a[gj + k] = g[gj + k];
    a[gj + j] += reg;
    b[j] = 0;
  }
  for (let e = lo; e < hi; e++) {
    const yo = indices[e] * f;
    const w = extra[e];
    const c = rhs[e];
    for (let j = 0; j < f; j++) {
      const yj = y[yo + j];
      b[j] += c * yj;
      if (w === 0) continue;
      const t = w * yj;
      const gj = j * f;
      for (let k = 0; k <= j; k++) a[gj + k] += t * y[yo + k];
    }
  }
  choleskyFactor(a, f);
  choleskySubstitute(a, f, b);
  for (let j = 0; j < f; j++) x[xo + j] = b[j];
}

/**
 * The exact half-step: every row of `x` solved by {@link solveRowExact}. Rows without interactions are set to
 * zero; rows whose entries add no confidence (`alpha` 0, implicit's unweighted case) all have the matrix
 * `G + reg I`, factorised once per half-step and shared. Only rows `from .. to` are solved (default all).
 */
export function solveRowsCholesky(rows: AlsRows, x: Float64Array, y: Float64Array, f: number, g: Float64Array, buf: CholeskyBuffers, from = 0, to = rows.nRows): void {
  const { offsets, indices, extra, rhs, reg } = rows;
  const { b, shared } = buf;
  let factored = false;
  for (let u = from; u < to; u++) {
    const lo = offsets[u];
    const hi = offsets[u + 1];
    const xo = u * f;
    let weighted = false;
    for (let e = lo; e < hi && !weighted; e++) weighted = extra[e] !== 0;
    if (lo === hi) x.fill(0, xo, xo + f);
    else if (weighted) solveRowExact(indices, extra, rhs, lo, hi, reg, y, f, g, x, xo, buf);
    else {
      if (!factored) {
        for (let j = 0; j < f * f; j++) shared[j] = g[j];
        for (let j = 0; j < f; j++) shared[j * f + j] += reg;
        choleskyFactor(shared, f);
        factored = true;
      }
      b.fill(0);
      for (let e = lo; e < hi; e++) axpy(rhs[e], y, indices[e] * f, b, 0, f);
      choleskySubstitute(shared, f, b);
      for (let j = 0; j < f; j++) x[xo + j] = b[j];
    }
  }
}
