import { describe, expect, it } from 'vitest';
import { createRng, csrFromCoordinates } from '@collab-ts/core';
import { alsRows, cgBuffers, choleskyBuffers, gram, solveRowsCg, solveRowsCholesky } from './solve.js';

/** Solves `A x = b` (n x n, row-major) by Gauss-Jordan elimination with partial pivoting: no shared code. */
function gaussJordan(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const t = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= t * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/**
 * A small problem: `nRows` rows over `nCols` columns, with strengths in (0.5, 3) and one repeated (row, column)
 * pair, and a random fixed table `y`.
 */
function problem(seed: number, nRows: number, nCols: number, f: number) {
  const rng = createRng(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let u = 0; u < nRows; u++) {
    for (let i = 0; i < nCols; i++) {
      if (rng.next() < 0.3) {
        rows.push(u);
        cols.push(i);
        vals.push(Math.fround(0.5 + 2.5 * rng.next()));
      }
    }
  }
  // a repeated interaction: row 0 with column cols[0] again
  rows.push(0);
  cols.push(cols[0]);
  vals.push(1.5);
  const m = csrFromCoordinates(Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals), nRows, nCols);
  const y = new Float64Array(nCols * f);
  for (let j = 0; j < y.length; j++) y[j] = rng.normal(0, 0.5);
  return { m, y, rows, cols, vals };
}

/** Row `u`'s normal equations built naively over every column: `Σ_i c_ui y_i y_i' + reg I` and `Σ_i c_ui p_ui y_i`. */
function denseSystem(p: ReturnType<typeof problem>, u: number, nCols: number, f: number, alpha: number, reg: number) {
  const strength = new Float64Array(nCols);
  for (let j = 0; j < p.rows.length; j++) if (p.rows[j] === u) strength[p.cols[j]] += p.vals[j];
  const a = Array.from({ length: f }, (_, j) => Array.from({ length: f }, (_, k) => (j === k ? reg : 0)));
  const b = new Array<number>(f).fill(0);
  for (let i = 0; i < nCols; i++) {
    const liked = strength[i] > 0;
    const c = liked ? 1 + alpha * strength[i] : 1;
    for (let j = 0; j < f; j++) {
      if (liked) b[j] += c * p.y[i * f + j];
      for (let k = 0; k < f; k++) a[j][k] += c * p.y[i * f + j] * p.y[i * f + k];
    }
  }
  return { a, b };
}

describe('ials solves', () => {
  const nRows = 6;
  const nCols = 25;
  const f = 5;
  const alpha = 2.5;
  const reg = 0.3;

  it('computes the Gram matrix of a table', () => {
    const { y } = problem(1, nRows, nCols, f);
    const g = new Float64Array(f * f);
    gram(y, nCols, f, g);
    for (let j = 0; j < f; j++) {
      for (let k = 0; k < f; k++) {
        let s = 0;
        for (let i = 0; i < nCols; i++) s += y[i * f + j] * y[i * f + k];
        expect(g[j * f + k]).toBeCloseTo(s, 12);
      }
    }
  });

  it('adds up repeated interactions: one preference, summed confidence', () => {
    const p = problem(2, nRows, nCols, f);
    const rows = alsRows(p.m, alpha, reg);
    const lo = p.m.offsets[0];
    const dup = Array.from(p.m.indices.subarray(lo, p.m.offsets[1])).findIndex((c, j, a) => j > 0 && a[j - 1] === c);
    expect(dup).toBeGreaterThan(0);
    expect(rows.rhs[lo + dup]).toBeCloseTo(alpha * 1.5, 6);
    expect(rows.rhs[lo + dup - 1]).toBeCloseTo(1 + rows.extra[lo + dup - 1], 12);
  });

  for (const alpha of [2.5, 0]) it(`the CG and Cholesky user solves match a dense normal-equation solve (alpha ${alpha})`, () => {
    const p = problem(3, nRows, nCols, f);
    const rows = alsRows(p.m, alpha, reg);
    const g = new Float64Array(f * f);
    gram(p.y, nCols, f, g);
    const exact = Array.from({ length: nRows }, (_, u) => {
      const { a, b } = denseSystem(p, u, nCols, f, alpha, reg);
      return gaussJordan(a, b);
    });
    const chol = new Float64Array(nRows * f);
    solveRowsCholesky(rows, chol, p.y, f, g, choleskyBuffers(f));
    // CG from a random start, with as many steps as unknowns (exact in exact arithmetic), run twice
    const cg = new Float64Array(nRows * f).map(() => 0.1);
    solveRowsCg(rows, cg, p.y, f, g, f, cgBuffers(f));
    solveRowsCg(rows, cg, p.y, f, g, f, cgBuffers(f));
    // three warm-started steps, as in training: closer than the start, not yet exact
    const few = new Float64Array(nRows * f);
    solveRowsCg(rows, few, p.y, f, g, 3, cgBuffers(f));
    for (let u = 0; u < nRows; u++) {
      for (let j = 0; j < f; j++) {
        expect(chol[u * f + j]).toBeCloseTo(exact[u][j], 10);
        expect(cg[u * f + j]).toBeCloseTo(exact[u][j], 8);
      }
      let err = 0;
      let norm = 0;
      for (let j = 0; j < f; j++) {
        err += (few[u * f + j] - exact[u][j]) ** 2;
        norm += exact[u][j] ** 2;
      }
      expect(err).toBeLessThan(norm);
    }
  });

  it('sets rows without interactions to zero', () => {
    const m = csrFromCoordinates(Int32Array.of(1), Int32Array.of(2), Float32Array.of(1), 3, 4);
    const rows = alsRows(m, 1, 0.1);
    const y = new Float64Array(4 * 2).map((_, j) => j / 8);
    const g = new Float64Array(4);
    gram(y, 4, 2, g);
    const x = new Float64Array(3 * 2).fill(7);
    solveRowsCg(rows, x, y, 2, g, 3, cgBuffers(2));
    expect(Array.from(x.subarray(0, 2))).toEqual([0, 0]);
    expect(Array.from(x.subarray(4, 6))).toEqual([0, 0]);
    x.fill(7);
    solveRowsCholesky(rows, x, y, 2, g, choleskyBuffers(2));
    expect(Array.from(x.subarray(0, 2))).toEqual([0, 0]);
  });
});
