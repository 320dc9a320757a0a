import { describe, expect, it } from 'vitest';
import {
  averagePrecisionAtK,
  catalogueCoverage,
  hitAtK,
  ndcgAtK,
  precisionAtK,
  rankingAtK,
  recallAtK,
  reciprocalRankAtK,
} from './index.js';

const L3 = 1 / Math.log2(3);
const L5 = 1 / Math.log2(5);
const L6 = 1 / Math.log2(6);

describe('per-user ranking metrics', () => {
  const ranked = [3, 1, 4, 0, 2];
  const relevant = new Set([1, 2]);

  it('at k = 3 (one hit at position 2)', () => {
    expect(precisionAtK(ranked, relevant, 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(ranked, relevant, 3)).toBeCloseTo(1 / 2, 12);
    expect(ndcgAtK(ranked, relevant, 3)).toBeCloseTo(L3 / (1 + L3), 12);
    expect(averagePrecisionAtK(ranked, relevant, 3)).toBeCloseTo(0.5 / 2, 12);
    expect(reciprocalRankAtK(ranked, relevant, 3)).toBeCloseTo(0.5, 12);
    expect(hitAtK(ranked, relevant, 3)).toBe(1);
  });

  it('at k = 5 (hits at positions 2 and 5)', () => {
    const r = rankingAtK(ranked, relevant, 5);
    expect(r.precision).toBeCloseTo(2 / 5, 12);
    expect(r.recall).toBe(1);
    expect(r.ndcg).toBeCloseTo((L3 + L6) / (1 + L3), 12);
    expect(r.map).toBeCloseTo((1 / 2 + 2 / 5) / 2, 12);
    expect(r.mrr).toBe(0.5);
  });

  it('keeps k as the precision denominator when the list is shorter than k', () => {
    const r = rankingAtK(ranked, relevant, 10);
    expect(r.precision).toBeCloseTo(2 / 10, 12);
    expect(r.recall).toBe(1);
    // the ideal DCG is over min(k, #relevant) = 2 positions, AP normalised by 2
    expect(r.ndcg).toBeCloseTo((L3 + L6) / (1 + L3), 12);
    expect(r.map).toBeCloseTo(0.45, 12);
  });

  it('normalises AP and ideal DCG by k when there are more relevant items than k', () => {
    const r = rankingAtK([0, 9, 1], [0, 1, 2, 3, 4], 2);
    expect(r.ndcg).toBeCloseTo(1 / (1 + L3), 12);
    expect(r.map).toBeCloseTo(1 / 2, 12);
    expect(r.recall).toBeCloseTo(1 / 5, 12);
    expect(ndcgAtK([0, 1, 2, 3, 4], [4, 3], 5)).toBeCloseTo((L5 + 1 / Math.log2(6)) / (1 + L3), 12);
  });

  it('is undefined (NaN) for recall, NDCG and MAP with no relevant items', () => {
    const r = rankingAtK([0, 1], [], 2);
    expect(r.precision).toBe(0);
    expect(r.hit).toBe(0);
    expect(r.mrr).toBe(0);
    expect(r.recall).toBeNaN();
    expect(r.ndcg).toBeNaN();
    expect(r.map).toBeNaN();
  });

  it('computes catalogue coverage', () => {
    expect(catalogueCoverage([[0, 1, 2], [2, 3, 4]], 10, 2)).toBeCloseTo(4 / 10, 12);
    expect(catalogueCoverage([[0, 1, 2], [2, 3, 4]], 10, 3)).toBeCloseTo(5 / 10, 12);
  });
});
