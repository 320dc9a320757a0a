// The row solves of Spark MLlib's ALS (`ALS.computeFactors`): every row of one factor table solved exactly
// against the other, fixed, table, with the regularisation weighted by the row's number of ratings (ALS-WR,
// Zhou et al. 2008). Written over typed arrays with buffers allocated once per half-step: this is the hot loop
// of the fit and of every fold-in.
import type { CsrMatrix } from '@collab-ts/core';
import { choleskyBuffers, gram, solveRowExact } from '../ials/solve.js';
import type { CholeskyBuffers } from '../ials/solve.js';

/** The settings that decide Spark's normal equations. */
export interface SparkAlsObjective {
  /** `λ`: each row's ridge penalty is `λ` times its number of (positive, when implicit) ratings. */
  readonly regParam: number;
  /** Implicit preferences (Hu, Koren and Volinsky 2008) instead of explicit ratings. */
  readonly implicitPrefs: boolean;
  /** Confidence slope of the implicit formulation: confidence `1 + alpha |r|`. */
  readonly alpha: number;
}

/**
 * One side of the problem as CSR rows, with each entry's weight in the matrix (`extra`) and in the right-hand
 * side (`rhs`) and each row's ridge penalty. Repeated (row, column) pairs stay separate observations, as in
 * Spark (it never sums them).
 *
 * - explicit: `(Σ y_e y_e' + λ n I) x = Σ r_e y_e`, `n` the row's ratings;
 * - implicit: `(Y'Y + Σ alpha |r_e| y_e y_e' + λ n⁺ I) x = Σ_{r_e > 0} (1 + alpha |r_e|) y_e`, `n⁺` its
 *   positive ratings (a rating `<= 0` is a preference of 0 whose confidence still grows with `|r|`).
 */
export interface SparkAlsRows {
  readonly nRows: number;
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly extra: Float64Array;
  readonly rhs: Float64Array;
  readonly reg: Float64Array;
}

/** The normal-equation weights of every entry of `m` under objective `s`. */
export function sparkAlsRows(m: CsrMatrix, s: SparkAlsObjective): SparkAlsRows {
  const n = m.indices.length;
  const extra = new Float64Array(n);
  const rhs = new Float64Array(n);
  const reg = new Float64Array(m.nRows);
  for (let u = 0; u < m.nRows; u++) {
    let counted = 0;
    for (let e = m.offsets[u]; e < m.offsets[u + 1]; e++) {
      const r = m.values[e];
      if (s.implicitPrefs) {
        const c1 = s.alpha * Math.abs(r);
        extra[e] = c1;
        rhs[e] = r > 0 ? 1 + c1 : 0;
        if (r > 0) counted++;
      } else {
        extra[e] = 1;
        rhs[e] = r;
        counted++;
      }
    }
    reg[u] = s.regParam * counted;
  }
  return { nRows: m.nRows, offsets: m.offsets, indices: m.indices, extra, rhs, reg };
}

/**
 * The matrix every row starts from: `Y'Y` of the fixed `n x f` table when implicit, zero when explicit
 * (an explicit row only sees the columns it rated).
 */
export function baseGram(y: ArrayLike<number>, n: number, f: number, implicitPrefs: boolean, out = new Float64Array(f * f)): Float64Array {
  if (implicitPrefs) gram(y, n, f, out);
  else out.fill(0);
  return out;
}

/**
 * Solves every row of `x` (`rows.nRows x f`) against the fixed table `y`. A row without ratings gets the zero
 * vector (Spark has no factor row for it at all).
 * @throws UsageError when a row's matrix is not positive definite (`regParam` 0 and too few ratings).
 */
export function solveSparkAlsRows(rows: SparkAlsRows, x: Float64Array | Float32Array, y: ArrayLike<number>, f: number, g: Float64Array, buf: CholeskyBuffers = choleskyBuffers(f)): void {
  for (let u = 0; u < rows.nRows; u++) {
    const lo = rows.offsets[u];
    const hi = rows.offsets[u + 1];
    if (lo === hi) x.fill(0, u * f, (u + 1) * f);
    else solveRowExact(rows.indices, rows.extra, rows.rhs, lo, hi, rows.reg[u], y, f, g, x, u * f, buf);
  }
}
