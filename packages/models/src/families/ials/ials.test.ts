import { describe, expect, it } from 'vitest';
import { csrRow, toInteractions, userItemMatrix } from '@collab-ts/core';
import type { CsrMatrix } from '@collab-ts/core';
import { contractFixture } from '../../testing/contract.js';
import { encodeModel, modelFromBytes } from '../../io/bundle.js';
import { fitRecommender } from '../../registry/fit.js';
import { IalsRecommender } from './recommender.js';
import { inlineRunner } from '@collab-ts/core';
import type { TaskRunner } from '@collab-ts/core';
import { rowRanges, trainIals, trainIalsThreaded } from './train.js';
import { alsRows } from './solve.js';
import type { IalsSettings, IalsTables } from './train.js';
import { Vocabulary } from '@collab-ts/core';

const base: IalsSettings = { factors: 6, regularization: 0.5, alpha: 2, iterations: 8, solver: 'cg', cgSteps: 3, seed: 7 };

/** The fixture's ratings as interaction strengths (1-5), so confidences vary. */
function fixture() {
  const d = contractFixture();
  const train = toInteractions(d.train, { strength: 'rating' });
  return { data: { ...d, train }, ui: userItemMatrix(train, d.nUsers, d.nItems) };
}

/**
 * The objective ALS minimises, computed naively over every (user, item) pair: `Σ c_ui (p_ui - x_u·y_i)^2 +
 * reg (Σ |x_u|^2 + Σ |y_i|^2)`, with `c = 1 + alpha r`, `p = 1` on interactions (repeats summed) and
 * `c = 1`, `p = 0` elsewhere.
 */
function loss(ui: CsrMatrix, t: IalsTables, s: IalsSettings): number {
  const f = s.factors;
  const r = new Float64Array(ui.nCols);
  let total = 0;
  for (let u = 0; u < ui.nRows; u++) {
    r.fill(0);
    const row = csrRow(ui, u);
    for (let j = 0; j < row.indices.length; j++) r[row.indices[j]] += row.values[j];
    for (let i = 0; i < ui.nCols; i++) {
      let d = 0;
      for (let k = 0; k < f; k++) d += t.userFactors[u * f + k] * t.itemFactors[i * f + k];
      const p = r[i] > 0 ? 1 : 0;
      total += (1 + s.alpha * r[i]) * (p - d) ** 2;
    }
  }
  let norms = 0;
  for (const v of t.userFactors) norms += v * v;
  for (const v of t.itemFactors) norms += v * v;
  return total + s.regularization * norms;
}

describe('ials training', () => {
  for (const [solver, alpha] of [['cg', 2], ['cholesky', 2], ['cg', 0], ['cholesky', 0]] as const) {
    it(`the weighted loss never increases over iterations (${solver}, alpha ${alpha})`, () => {
      const { ui } = fixture();
      const s = { ...base, solver, alpha };
      const losses: number[] = [];
      trainIals(ui, s, { onIteration: (_, t) => losses.push(loss(ui, t, s)) });
      expect(losses.length).toBe(s.iterations);
      for (let j = 1; j < losses.length; j++) expect(losses[j]).toBeLessThanOrEqual(losses[j - 1] * (1 + 1e-12));
      expect(losses[losses.length - 1]).toBeLessThan(0.95 * losses[0]);
    });
  }

  it('is deterministic for a seed, and the seed matters', () => {
    const { ui } = fixture();
    const a = trainIals(ui, base);
    const b = trainIals(ui, base);
    const c = trainIals(ui, { ...base, seed: 8 });
    expect(Array.from(a.userFactors)).toEqual(Array.from(b.userFactors));
    expect(Array.from(a.itemFactors)).toEqual(Array.from(b.itemFactors));
    expect(Array.from(a.itemFactors)).not.toEqual(Array.from(c.itemFactors));
  });

  it('gives the same tables, to the last bit, with the row solves split over threads', async () => {
    const { ui } = fixture();
    // a runner that claims three threads and runs each half-step's row ranges last to first on this thread:
    // the shared tables, the ranges and the order of the tasks are those of a threaded run (the CLI tests run
    // the same fit on real worker threads from the built package)
    const ranges: number[] = [];
    const backwards: TaskRunner = {
      threads: 3,
      async map<I, O>(task: string, inputs: readonly I[]): Promise<O[]> {
        ranges.push(inputs.length);
        return (await inlineRunner.map<I, O>(task, [...inputs].reverse())).reverse();
      },
    };
    for (const solver of ['cg', 'cholesky'] as const) {
      const s = { ...base, solver };
      const one = trainIals(ui, s);
      const split = await trainIalsThreaded(ui, s, backwards);
      expect(split.userFactors.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(split.userFactors)).toEqual(Array.from(one.userFactors));
      expect(Array.from(split.itemFactors)).toEqual(Array.from(one.itemFactors));
      expect(Array.from((await trainIalsThreaded(ui, s, inlineRunner)).itemFactors)).toEqual(Array.from(one.itemFactors));
    }
    expect(Math.max(...ranges)).toBeGreaterThan(1);
  });

  it('splits rows into contiguous ranges of about equal work', () => {
    const { ui } = fixture();
    const rows = alsRows(ui, 1, 0.1);
    for (const parts of [1, 2, 5, 12, 1000]) {
      const r = rowRanges(rows, 6, parts);
      expect(r[0][0]).toBe(0);
      expect(r[r.length - 1][1]).toBe(rows.nRows);
      for (let j = 1; j < r.length; j++) expect(r[j][0]).toBe(r[j - 1][1]);
      for (const [from, to] of r) expect(to).toBeGreaterThan(from);
      expect(r.length).toBeLessThanOrEqual(Math.min(parts, rows.nRows));
    }
    const cost = ([from, to]: [number, number]) => (to - from) * 6 + 2 * (rows.offsets[to] - rows.offsets[from]);
    const four = rowRanges(rows, 6, 4).map(cost);
    expect(Math.max(...four)).toBeLessThan(1.5 * Math.min(...four));
  });

  it('CG with many steps converges to the exact (Cholesky) fit', () => {
    const { ui } = fixture();
    const exact = trainIals(ui, { ...base, solver: 'cholesky' });
    const cg = trainIals(ui, { ...base, cgSteps: 2 * base.factors });
    for (let j = 0; j < exact.userFactors.length; j++) expect(cg.userFactors[j]).toBeCloseTo(exact.userFactors[j], 5);
  });
});

describe('the ials recommender', () => {
  for (const alpha of [2, 0]) it(`folds in a trained user to their trained vector (exact last user step, alpha ${alpha})`, async () => {
    const { data } = fixture();
    const rec = (await fitRecommender('ials', data, { factors: 8, solver: 'cholesky', alpha, regularization: 0.1 })) as IalsRecommender;
    const { userFactors } = rec.factors();
    for (const u of [0, 5, 17, 42]) {
      const row = csrRow(rec.history!, u);
      const x = rec.foldInVector(row.indices, row.values);
      let err = 0;
      let norm = 0;
      for (let k = 0; k < 8; k++) {
        err += (x[k] - userFactors[u * 8 + k]) ** 2;
        norm += userFactors[u * 8 + k] ** 2;
      }
      expect(Math.sqrt(err / norm)).toBeLessThan(1e-4);
    }
  });

  it('adds repeated fold-in items up, and checks items and strengths', async () => {
    const { data } = fixture();
    const rec = (await fitRecommender('ials', data, { factors: 4 })) as IalsRecommender;
    const once = rec.foldInVector([3, 9], [2, 1]);
    const twice = rec.foldInVector([3, 9, 3], [1, 1, 1]);
    for (let k = 0; k < 4; k++) expect(twice[k]).toBeCloseTo(once[k], 6);
    expect(Array.from(rec.foldInVector([]))).toEqual([0, 0, 0, 0]);
    expect(() => rec.foldIn([data.nItems])).toThrow(/out of range/);
    expect(() => rec.foldIn([1], [0])).toThrow(/positive/);
    expect(() => rec.foldIn([1, 2], [1])).toThrow(/2 items but 1 values/);
  });

  it('ranks a user’s own interactions above the rest', async () => {
    const { data } = fixture();
    const rec = await fitRecommender('ials', data, {});
    let above = 0;
    let pairs = 0;
    const scores = new Float32Array(data.nItems);
    for (let u = 0; u < data.nUsers; u++) {
      rec.scoreUsers([u], 0, 1, scores);
      const mine = new Set(csrRow(rec.history!, u).indices);
      for (const i of mine) for (let j = 0; j < data.nItems; j++) if (!mine.has(j)) {
        pairs++;
        if (scores[i] > scores[j]) above++;
      }
    }
    expect(above / pairs).toBeGreaterThan(0.8);
  });

  it('rejects non-positive strengths, and saved states that do not match', async () => {
    const { data } = fixture();
    const bad = { ...data, train: { ...data.train, ratings: data.train.ratings.map((r, j) => (j === 3 ? 0 : r)) } };
    await expect(fitRecommender('ials', bad, {})).rejects.toThrow(/interaction strengths must be positive/);
    const rec = await fitRecommender('ials', data, { factors: 4 });
    const users = new Vocabulary('user', Array.from({ length: data.nUsers }, (_, i) => `u${i}`));
    const items = new Vocabulary('item', Array.from({ length: data.nItems }, (_, i) => `i${i}`));
    const { manifest, weights } = encodeModel(rec, { users, items });
    const withConfig = (config: Record<string, unknown>) => modelFromBytes({ ...manifest, config: { ...manifest.config, ...config } }, weights);
    await expect(withConfig({ factors: 5 })).rejects.toThrow(/shape/);
    await expect(withConfig({ solver: 'lu' })).rejects.toThrow(/solver/);
    await expect(withConfig({ alpha: -1 })).rejects.toThrow(/alpha/);
    const loaded = await withConfig({});
    expect(Array.from(loaded.model.foldIn([1, 2]))).toEqual(Array.from(rec.foldIn([1, 2])));
  });
});
