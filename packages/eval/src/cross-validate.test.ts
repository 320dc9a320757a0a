import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import type { Split } from '@collab-ts/data';
import { crossValidate, formatMetricTable, globalMeanBaseline, parseMetricList } from './index.js';
import { cols, matrixScorer } from './test-helpers.js';

// fold f's fake model predicts f + 1 everywhere; valid ratings are all 3 -> rmse = mae = |f - 2|
const splits: Split[] = [0, 1, 2, 3].map((f) => ({
  name: `fold${f}`,
  train: cols([[0, 0, 3]]),
  valid: cols([[0, 1, 3], [1, 1, 3]]),
}));
const fit = (_s: Split, f: number) => matrixScorer([[f + 1, f + 1], [f + 1, f + 1]]);

describe('crossValidate', () => {
  it('reports per-fold values, mean and population std', async () => {
    const seen: number[] = [];
    const r = await crossValidate(splits, fit, { metrics: ['rmse', 'mae', 'mse'], onFold: (_f, i) => void seen.push(i) });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(r.folds.map((f) => f.metrics.rmse)).toEqual([2, 1, 0, 1]);
    expect(r.folds.map((f) => f.name)).toEqual(['fold0', 'fold1', 'fold2', 'fold3']);
    expect(r.mean.rmse).toBe(1);
    expect(r.std.rmse).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(r.mean.mse).toBe((4 + 1 + 0 + 1) / 4);
    expect(r.metrics).toEqual(['rmse', 'mae', 'mse']);
  });

  it('computes ranking metrics with train excluded, and awaits async fits', async () => {
    const s: Split[] = [{ name: 'a', train: cols([[0, 0, 5]]), valid: cols([[0, 2, 5]]) }];
    const r = await crossValidate(s, async () => matrixScorer([[9, 1, 5, 0]]), { metrics: 'hit@1,ndcg@2,rmse' });
    expect(r.folds[0].metrics['hit@1']).toBe(1);
    expect(r.mean['ndcg@2']).toBe(1);
    expect(r.std['hit@1']).toBe(0);
    expect(r.mean.rmse).toBe(0);
  });

  it('rejects unknown metrics and empty split lists', async () => {
    await expect(crossValidate(splits, fit, { metrics: ['rmse', 'auc'] })).rejects.toThrow(UsageError);
    await expect(crossValidate([], fit)).rejects.toThrow(UsageError);
  });

  it('works with a real baseline', async () => {
    const r = await crossValidate(splits, (s) => globalMeanBaseline(s.train, { nUsers: 2, nItems: 2 }));
    expect(r.mean.rmse).toBe(0);
  });
});

describe('parseMetricList', () => {
  it('parses and canonicalises names', () => {
    expect(parseMetricList('rmse, NDCG@10,precision@5,hr@10,rmse')).toEqual(['rmse', 'ndcg@10', 'precision@5', 'hit@10']);
    expect(parseMetricList(['mae', 'coverage@20'])).toEqual(['mae', 'coverage@20']);
  });

  it('throws clear usage errors', () => {
    expect(() => parseMetricList('rmse,auc')).toThrow(/unknown metric "auc"; valid: mse, rmse, mae/);
    expect(() => parseMetricList('ndcg')).toThrow(/needs a cutoff, as in ndcg@10/);
    expect(() => parseMetricList('ndcg@0')).toThrow(UsageError);
    expect(() => parseMetricList(' , ')).toThrow(/empty/);
  });
});

describe('formatMetricTable', () => {
  it('aligns mean ± std cells', () => {
    const text = formatMetricTable(
      [
        { name: 'bias', result: { mean: { rmse: 0.94321, 'ndcg@10': 0.1 }, std: { rmse: 0.004, 'ndcg@10': 0.01 } } },
        { name: 'dot-product-bias', result: { mean: { rmse: 0.91 } } },
      ],
      ['rmse', 'ndcg@10'],
    );
    expect(text).toBe(
      [
        'model                        rmse          ndcg@10',
        'bias              0.9432 ± 0.0040  0.1000 ± 0.0100',
        'dot-product-bias           0.9100                -',
        '',
      ].join('\n'),
    );
  });
});
