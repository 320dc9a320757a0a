import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import { evaluateRatings, mae, mse, rmse } from './index.js';
import { cols, matrixScorer } from './test-helpers.js';

describe('rating metrics', () => {
  it('computes mse, rmse and mae by hand', () => {
    const pred = Float32Array.from([3, 4, 2]);
    const target = Float32Array.from([4, 4, 5]);
    // errors -1, 0, -3
    expect(mse(pred, target)).toBeCloseTo(10 / 3, 12);
    expect(rmse(pred, target)).toBeCloseTo(Math.sqrt(10 / 3), 12);
    expect(mae(pred, target)).toBeCloseTo(4 / 3, 12);
  });

  it('rejects mismatched or empty inputs', () => {
    expect(() => mse([1], [1, 2])).toThrow(UsageError);
    expect(() => mae([], [])).toThrow(UsageError);
  });

  it('evaluates a scorer on held-out columns', () => {
    const scorer = matrixScorer([
      [1, 2],
      [3, 4],
    ]);
    const r = evaluateRatings(scorer, cols([[0, 1, 3], [1, 0, 3], [1, 1, 5]]));
    // errors -1, 0, -1
    expect(r.n).toBe(3);
    expect(r.mse).toBeCloseTo(2 / 3, 12);
    expect(r.rmse).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(r.mae).toBeCloseTo(2 / 3, 12);
    expect(() => evaluateRatings(scorer, cols([[2, 0, 1]]))).toThrow(/user index 2/);
  });
});
