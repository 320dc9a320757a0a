import { createRng, transposeCsr } from '@collab-ts/core';
import type { CsrMatrix, Rng } from '@collab-ts/core';
import { choleskyBuffers } from '../ials/solve.js';
import { baseGram, solveSparkAlsRows, sparkAlsRows } from './solve.js';
import type { SparkAlsObjective } from './solve.js';

/** The settings of a Spark-style ALS fit (the family's options, resolved). */
export interface SparkAlsSettings extends SparkAlsObjective {
  /** Spark's `rank`. */
  readonly factors: number;
  /** Spark's `maxIter`. */
  readonly iterations: number;
  readonly seed: number;
}

/** Trained factor tables (double precision while training). */
export interface SparkAlsTables {
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
}

/**
 * Spark MLlib's ALS on one machine: both tables start as seeded Gaussian rows scaled to unit length (Spark's
 * `ALS.initialize`), then each iteration solves the items against the users and the users against the items,
 * exactly (Cholesky), with the ALS-WR penalty `regParam x (number of ratings)` on each row. The user table ends
 * solved against the final item table, so folding in a trained user's ratings gives back their vector.
 * Random starts differ from Spark's (another generator), so the factors match Spark's in objective, not digits.
 */
export function trainSparkAls(ui: CsrMatrix, s: SparkAlsSettings, progress?: (fraction: number, label: string) => void): SparkAlsTables {
  const f = s.factors;
  const users = sparkAlsRows(ui, s);
  const items = sparkAlsRows(transposeCsr(ui), s);
  const rng = createRng(s.seed);
  const userFactors = unitRows(ui.nRows, f, rng);
  const itemFactors = unitRows(ui.nCols, f, rng);
  const g = new Float64Array(f * f);
  const buf = choleskyBuffers(f);
  for (let it = 0; it < s.iterations; it++) {
    solveSparkAlsRows(items, itemFactors, userFactors, f, baseGram(userFactors, ui.nRows, f, s.implicitPrefs, g), buf);
    solveSparkAlsRows(users, userFactors, itemFactors, f, baseGram(itemFactors, ui.nCols, f, s.implicitPrefs, g), buf);
    progress?.((it + 1) / s.iterations, `iteration ${it + 1}/${s.iterations}`);
  }
  return { userFactors, itemFactors };
}

/** An `n x f` table of seeded Gaussian rows, each scaled to unit length. */
function unitRows(n: number, f: number, rng: Rng): Float64Array {
  const t = new Float64Array(n * f);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let k = 0; k < f; k++) {
      const v = rng.normal(0, 1);
      t[r * f + k] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < f; k++) t[r * f + k] *= scale;
  }
  return t;
}
