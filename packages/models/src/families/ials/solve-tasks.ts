// The worker tasks of implicit ALS: a half-step's rows are independent, so threads solve disjoint row ranges
// of one SharedArrayBuffer-backed factor table. This module is a build entry of its own (dist/ials-tasks.js),
// the file pool workers import.
import { cgBuffers, choleskyBuffers, solveRowsCg, solveRowsCholesky } from './solve.js';
import type { AlsRows } from './solve.js';

/** One range of a half-step: rows `from .. to` of `x` solved against the fixed table `y` with Gram matrix `g`. */
export interface SolveRowsInput {
  readonly rows: AlsRows;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly f: number;
  readonly g: Float64Array;
  readonly solver: 'cg' | 'cholesky';
  readonly cgSteps: number;
  readonly from: number;
  readonly to: number;
}

/** The task table workers import (see core's `registerWorkerTasks`). */
export const tasks = {
  'ials.solveRows': (t: SolveRowsInput): void => {
    if (t.solver === 'cholesky') solveRowsCholesky(t.rows, t.x, t.y, t.f, t.g, choleskyBuffers(t.f), t.from, t.to);
    else solveRowsCg(t.rows, t.x, t.y, t.f, t.g, t.cgSteps, cgBuffers(t.f), t.from, t.to);
  },
};
