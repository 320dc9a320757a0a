import { createRng, registerWorkerTasks, sharedArray, toShared, transposeCsr } from '@collab-ts/core';
import type { CsrMatrix, Rng, TaskRunner } from '@collab-ts/core';
import { alsRows, cgBuffers, choleskyBuffers, gram, solveRowsCg, solveRowsCholesky } from './solve.js';
import type { AlsRows } from './solve.js';
import { tasks } from './solve-tasks.js';
import type { SolveRowsInput } from './solve-tasks.js';

// the built file next to this code once bundled (dist/ials-tasks.js); inline runs call `tasks` directly
registerWorkerTasks(new URL('./ials-tasks.js', import.meta.url), tasks);

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
 * {@link trainIals} with each half-step's row solves spread over `runner`'s threads: the factor tables and the
 * problem live in SharedArrayBuffers and each task solves a disjoint range of rows, so the tables come out
 * identical, to the last bit, for any number of threads. A one-thread runner runs {@link trainIals} itself.
 */
export async function trainIalsThreaded(ui: CsrMatrix, s: IalsSettings, runner: TaskRunner, hooks: IalsHooks = {}): Promise<IalsTables> {
  if (runner.threads <= 1) return trainIals(ui, s, hooks);
  const f = s.factors;
  const nUsers = ui.nRows;
  const nItems = ui.nCols;
  const users = sharedRows(alsRows(ui, s.alpha, s.regularization));
  const items = sharedRows(alsRows(transposeCsr(ui), s.alpha, s.regularization));
  const rng = createRng(s.seed);
  const userFactors = toShared(initTable(nUsers, f, rng));
  const itemFactors = toShared(initTable(nItems, f, rng));
  const g = sharedArray(Float64Array, f * f);
  const userRanges = rowRanges(users, f, runner.threads * 4);
  const itemRanges = rowRanges(items, f, runner.threads * 4);
  const half = async (rows: AlsRows, ranges: Array<[number, number]>, x: Float64Array, y: Float64Array, n: number) => {
    gram(y, n, f, g);
    const inputs: SolveRowsInput[] = ranges.map(([from, to]) => ({ rows, x, y, f, g, solver: s.solver, cgSteps: s.cgSteps, from, to }));
    await runner.map('ials.solveRows', inputs);
  };
  for (let it = 0; it < s.iterations; it++) {
    await half(items, itemRanges, itemFactors, userFactors, nUsers);
    await half(users, userRanges, userFactors, itemFactors, nItems);
    hooks.onIteration?.(it, { userFactors, itemFactors });
    hooks.progress?.((it + 1) / s.iterations, `iteration ${it + 1}/${s.iterations}`);
  }
  return { userFactors, itemFactors };
}

function sharedRows(r: AlsRows): AlsRows {
  return { nRows: r.nRows, offsets: toShared(r.offsets), indices: toShared(r.indices), extra: toShared(r.extra), rhs: toShared(r.rhs), reg: r.reg };
}

/**
 * Up to `parts` contiguous row ranges of about equal work: a row costs about `f` (its dense `G v` products)
 * plus `2` per interaction (its sparse corrections), in units of `f` multiply-adds per solver step.
 */
export function rowRanges(rows: AlsRows, f: number, parts: number): Array<[number, number]> {
  const n = rows.nRows;
  const total = n * f + 2 * rows.offsets[n];
  const out: Array<[number, number]> = [];
  let from = 0;
  for (let p = 1; p <= parts && from < n; p++) {
    const goal = (total * p) / parts;
    let to = from;
    while (to < n && (to + 1) * f + 2 * rows.offsets[to + 1] <= goal) to++;
    if (p === parts) to = n;
    if (to > from) out.push([from, to]);
    from = to;
  }
  if (from < n) out.push([from, n]);
  return out.length > 0 ? out : [[0, n]];
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
