import { createRng, transposeCsr } from '@collab-ts/core';
import type { CsrMatrix, Rng } from '@collab-ts/core';
import { alsRows, cgBuffers, choleskyBuffers, gram, solveRowsCg, solveRowsCholesky } from './solve.js';
import type { AlsRows } from './solve.js';

/** The settings of an implicit-ALS fit (the family's options, resolved). */
export interface IalsSettings {
  readonly factors: number;
  readonly regularization: number;
  readonly alpha: number;
  readonly iterations: number;
  readonly solver: 'cg' | 'cholesky';
  readonly cgSteps: number;
  readonly seed: number;
}

/** Trained factor tables (double precision while training). */
export interface IalsTables {
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
}

/** Hooks into the alternating loop (tests read the loss after each iteration). */
export interface IalsHooks {
  /** Called after each full iteration (item half-step, then user half-step) with the current tables. */
  onIteration?: (iteration: number, tables: IalsTables) => void;
  progress?: (fraction: number, label: string) => void;
}

/**
 * Implicit ALS on a user x item matrix of interaction strengths: confidence `1 + alpha r` and preference 1 on
 * every interaction, confidence 1 and preference 0 elsewhere, ridge penalty `regularization` on every factor
 * vector. Both tables start as small seeded normals (see {@link initTable}); each iteration solves the items
 * against the users, then the users against the items, so the user table ends as the solution against the
 * final item table (with `solver: 'cholesky'` exactly: the fold-in of a trained user's history gives back
 * their vector; implicit solves users first, which leaves the users one item step behind).
 */
export function trainIals(ui: CsrMatrix, s: IalsSettings, hooks: IalsHooks = {}): IalsTables {
  const f = s.factors;
  const nUsers = ui.nRows;
  const nItems = ui.nCols;
  const users = alsRows(ui, s.alpha, s.regularization);
  const items = alsRows(transposeCsr(ui), s.alpha, s.regularization);
  const rng = createRng(s.seed);
  const userFactors = initTable(nUsers, f, rng);
  const itemFactors = initTable(nItems, f, rng);
  const g = new Float64Array(f * f);
  const cg = cgBuffers(f);
  const chol = s.solver === 'cholesky' ? choleskyBuffers(f) : null;
  const half = (rows: AlsRows, x: Float64Array, y: Float64Array, n: number) => {
    gram(y, n, f, g);
    if (chol) solveRowsCholesky(rows, x, y, f, g, chol);
    else solveRowsCg(rows, x, y, f, g, s.cgSteps, cg);
  };
  for (let it = 0; it < s.iterations; it++) {
    half(items, itemFactors, userFactors, nUsers);
    half(users, userFactors, itemFactors, nItems);
    hooks.onIteration?.(it, { userFactors, itemFactors });
    hooks.progress?.((it + 1) / s.iterations, `iteration ${it + 1}/${s.iterations}`);
  }
  return { userFactors, itemFactors };
}

/**
 * An `n x f` table of seeded normals with standard deviation 0.01, a small random start like implicit's
 * (uniform in [0, 0.01)); on ML-100k the two, and normals scaled by `1 / sqrt(f)`, validate alike.
 */
export function initTable(n: number, f: number, rng: Rng): Float64Array {
  const t = new Float64Array(n * f);
  for (let j = 0; j < t.length; j++) t[j] = rng.normal(0, 0.01);
  return t;
}
