import { describe, expect, it } from 'vitest';
import { createRng, csrRow, userItemMatrix, Vocabulary } from '@collab-ts/core';
import type { CsrMatrix } from '@collab-ts/core';
import { naiveInverse } from '@collab-ts/tooling/test/linalg';
import { contractFixture } from '../../testing/contract.js';
import { encodeModel, modelFromBytes } from '../../io/bundle.js';
import { fitRecommender } from '../../registry/fit.js';
import { SparkAlsRecommender } from './recommender.js';
import { trainSparkAls } from './train.js';
import type { SparkAlsSettings, SparkAlsTables } from './train.js';

/**
 * Spark's user solve written out naively from its documentation: build `A` and `b` entry by entry in double
 * precision, then `x = A^-1 b` by Gauss-Jordan.
 */
function referenceSolve(items: number[], ratings: number[], V: Float32Array, nItems: number, f: number, s: { regParam: number; implicitPrefs: boolean; alpha: number }): Float64Array {
  const a = new Float64Array(f * f);
  const b = new Float64Array(f);
  if (s.implicitPrefs) {
    for (let i = 0; i < nItems; i++) for (let j = 0; j < f; j++) for (let k = 0; k < f; k++) a[j * f + k] += V[i * f + j] * V[i * f + k];
  }
  let n = 0;
  items.forEach((it, e) => {
    const r = ratings[e];
    const c = s.implicitPrefs ? s.alpha * Math.abs(r) : 1;
    const t = s.implicitPrefs ? (r > 0 ? 1 + c : 0) : r;
    if (!s.implicitPrefs || r > 0) n++;
    for (let j = 0; j < f; j++) {
      b[j] += t * V[it * f + j];
      for (let k = 0; k < f; k++) a[j * f + k] += c * V[it * f + j] * V[it * f + k];
    }
  });
  for (let j = 0; j < f; j++) a[j * f + j] += s.regParam * n;
  const inv = naiveInverse(a, f);
  const x = new Float64Array(f);
  for (let j = 0; j < f; j++) for (let k = 0; k < f; k++) x[j] += inv[j * f + k] * b[k];
  return x;
}

function model(f: number, nItems: number, implicitPrefs: boolean): SparkAlsRecommender {
  const rng = createRng(5);
  const V = Float32Array.from({ length: nItems * f }, () => rng.normal(0, 0.6));
  const U = Float32Array.from({ length: 3 * f }, () => rng.normal(0, 0.6));
  return new SparkAlsRecommender({ nUsers: 3, nItems, factors: f, regParam: 0.07, implicitPrefs, alpha: 2.5 }, U, V);
}

/** Spark's objective for explicit ratings: squared errors plus `regParam (n_u |x_u|^2 + n_i |y_i|^2)`. */
function explicitLoss(ui: CsrMatrix, t: SparkAlsTables, s: SparkAlsSettings): { total: number; sse: number } {
  const f = s.factors;
  const itemCount = new Float64Array(ui.nCols);
  let total = 0;
  let sse = 0;
  for (let u = 0; u < ui.nRows; u++) {
    const row = csrRow(ui, u);
    let norm = 0;
    for (let k = 0; k < f; k++) norm += t.userFactors[u * f + k] ** 2;
    total += s.regParam * row.indices.length * norm;
    for (let j = 0; j < row.indices.length; j++) {
      const i = row.indices[j];
      itemCount[i]++;
      let d = 0;
      for (let k = 0; k < f; k++) d += t.userFactors[u * f + k] * t.itemFactors[i * f + k];
      sse += (row.values[j] - d) ** 2;
    }
  }
  for (let i = 0; i < ui.nCols; i++) {
    let norm = 0;
    for (let k = 0; k < f; k++) norm += t.itemFactors[i * f + k] ** 2;
    total += s.regParam * itemCount[i] * norm;
  }
  return { total: total + sse, sse };
}

describe('spark-als', () => {
  for (const implicitPrefs of [false, true]) {
    it(`folds in a new user by Spark's ${implicitPrefs ? 'implicit' : 'explicit'} user solve (against a naive reference)`, () => {
      const m = model(5, 30, implicitPrefs);
      // a repeated item and, for implicit, a negative rating (a 0 preference whose confidence is |r|)
      const items = [3, 7, 7, 12, 20, 29];
      const ratings = [5, 3, 1, 4, implicitPrefs ? -2 : 2, 0.5];
      const got = m.foldInVector(items, ratings);
      const want = referenceSolve(items, ratings, m.factors().itemFactors, 30, 5, m.config);
      for (let k = 0; k < 5; k++) expect(got[k]).toBeCloseTo(want[k], 5);
      // the scores of the fold-in are the item factors times that vector
      const scores = m.foldIn(items, ratings);
      const V = m.factors().itemFactors;
      for (const i of [0, 13, 29]) {
        let d = 0;
        for (let k = 0; k < 5; k++) d += got[k] * V[i * 5 + k];
        expect(scores[i]).toBeCloseTo(d, 6);
      }
    });
  }

  it('gives the zero vector for no ratings and rejects bad input', () => {
    const m = model(4, 10, false);
    expect([...m.foldInVector([])]).toEqual([0, 0, 0, 0]);
    expect(() => m.foldInVector([10])).toThrow(/out of range/);
    expect(() => m.foldInVector([1], [Number.NaN])).toThrow(/not a finite number/);
  });

  for (const implicitPrefs of [false, true]) {
    it(`trains ${implicitPrefs ? 'implicit' : 'explicit'} ALS whose last user step is the fold-in of each user's ratings`, async () => {
      const data = contractFixture();
      const rec = (await fitRecommender('spark-als', data, { factors: 4, iterations: 6, regParam: 0.05, implicitPrefs, alpha: 0.5 })) as SparkAlsRecommender;
      const ui = userItemMatrix(data.train, data.nUsers, data.nItems);
      const U = rec.factors().userFactors;
      for (const u of [0, 17, 59]) {
        const row = csrRow(ui, u);
        const x = rec.foldInVector(row.indices, row.values);
        for (let k = 0; k < 4; k++) expect(x[k]).toBeCloseTo(U[u * 4 + k], 4);
      }
    });
  }

  it('lowers the explicit ALS-WR objective at every iteration', () => {
    const data = contractFixture();
    const ui = userItemMatrix(data.train, data.nUsers, data.nItems);
    const losses: { total: number; sse: number }[] = [];
    for (const iterations of [1, 2, 3, 4]) {
      const s: SparkAlsSettings = { factors: 4, iterations, regParam: 0.1, implicitPrefs: false, alpha: 1, seed: 3 };
      losses.push(explicitLoss(ui, trainSparkAls(ui, s), s));
    }
    for (let j = 1; j < losses.length; j++) expect(losses[j].total).toBeLessThanOrEqual(losses[j - 1].total * (1 + 1e-9));
    // and it fits the planted ratings far better than predicting their mean
    const mean = data.train.ratings.reduce((a, b) => a + b, 0) / data.train.ratings.length;
    const baseline = data.train.ratings.reduce((a, r) => a + (r - mean) ** 2, 0);
    expect(losses[3].sse).toBeLessThan(0.5 * baseline);
  });

  it('saves and loads its objective with the factors', async () => {
    const m = model(3, 8, true);
    const { manifest, weights } = encodeModel(m, { users: new Vocabulary('user', ['1', '2', '3']), items: Vocabulary.fromIds('item', Array.from({ length: 8 }, (_, i) => String(i))) });
    const back = await modelFromBytes(JSON.parse(JSON.stringify(manifest)), weights);
    expect(back.model.kind).toBe('spark-als');
    expect((back.model as SparkAlsRecommender).config).toEqual(m.config);
    expect([...back.model.foldIn([1, 2], [3, 1])]).toEqual([...m.foldIn([1, 2], [3, 1])]);
    const bad = { ...manifest, config: { ...manifest.config, implicitPrefs: 'yes' } };
    await expect(modelFromBytes(bad, weights)).rejects.toThrow(/implicitPrefs must be true or false/);
  });
});
