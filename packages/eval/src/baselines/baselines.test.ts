import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import {
  biasBaseline,
  evaluateRatings,
  globalMeanBaseline,
  itemMeanBaseline,
  popularityRanker,
  rankingMetrics,
  userMeanBaseline,
} from '../index.js';
import { cols } from '../test-helpers.js';

const I = (xs: number[]) => Int32Array.from(xs);
// ratings: u0: i0 5, i1 3; u1: i0 4, i1 1. Global mean 13/4.
const train = cols([[0, 0, 5], [0, 1, 3], [1, 0, 4], [1, 1, 1]]);
const shape = { nUsers: 3, nItems: 3 };

describe('mean baselines', () => {
  it('predicts the global mean', () => {
    const b = globalMeanBaseline(train, shape);
    expect(b.mean).toBe(3.25);
    expect([...b.predict(I([0, 2]), I([2, 1]))]).toEqual([3.25, 3.25]);
    expect(b.factors()).toBeNull();
  });

  it('predicts user means, falling back to the global mean', () => {
    const b = userMeanBaseline(train, shape);
    expect([...b.predict(I([0, 1, 2]), I([2, 2, 0]))]).toEqual([4, 2.5, 3.25]);
  });

  it('predicts item means, falling back to the global mean', () => {
    const b = itemMeanBaseline(train, shape);
    expect([...b.predict(I([2, 2, 0]), I([0, 1, 2]))]).toEqual([4.5, 2, 3.25]);
  });

  it('infers the shape from the data and validates it', () => {
    expect(itemMeanBaseline(train).nItems).toBe(2);
    expect(() => globalMeanBaseline(cols([]))).toThrow(UsageError);
    expect(() => userMeanBaseline(train, { nUsers: 1, nItems: 3 })).toThrow(/user index 1/);
    expect(() => userMeanBaseline(train, shape).predict(I([5]), I([0]))).toThrow(UsageError);
  });
});

describe('biasBaseline', () => {
  // u0: i0 5, i1 3; u1: i0 4. mu = 4.
  const t = cols([[0, 0, 5], [0, 1, 3], [1, 0, 4]]);

  it('matches hand-computed ALS passes (items first, then users)', () => {
    const one = biasBaseline(t, { regUser: 1, regItem: 1, iterations: 1 });
    expect(one.globalMean).toBe(4);
    expect(one.itemBias[0]).toBeCloseTo(1 / 3, 12);
    expect(one.itemBias[1]).toBeCloseTo(-1 / 2, 12);
    expect(one.userBias[0]).toBeCloseTo(1 / 18, 12);
    expect(one.userBias[1]).toBeCloseTo(-1 / 6, 12);
    expect(one.predict(I([1]), I([1]))[0]).toBeCloseTo(4 - 1 / 6 - 1 / 2, 6);
    const two = biasBaseline(t, { regUser: 1, regItem: 1, iterations: 2 });
    expect(two.itemBias[0]).toBeCloseTo(10 / 27, 12);
    expect(two.itemBias[1]).toBeCloseTo(-19 / 36, 12);
    expect(two.userBias[0]).toBeCloseTo(17 / 324, 12);
    expect(two.userBias[1]).toBeCloseTo(-5 / 27, 12);
  });

  it('converges to the regularised least-squares fixed point and leaves unseen ids at 0', () => {
    const b = biasBaseline(t, { iterations: 300, nUsers: 3, nItems: 3 });
    // stationarity: (reg + n_i) b_i = sum (r - mu - b_u), same for users
    const r = [5, 3, 4];
    const us = [0, 0, 1];
    const is = [0, 1, 0];
    for (let i = 0; i < 2; i++) {
      let s = 0;
      let n = 0;
      for (let j = 0; j < 3; j++) {
        if (is[j] !== i) continue;
        s += r[j] - 4 - b.userBias[us[j]];
        n++;
      }
      expect((10 + n) * b.itemBias[i]).toBeCloseTo(s, 9);
    }
    for (let u = 0; u < 2; u++) {
      let s = 0;
      let n = 0;
      for (let j = 0; j < 3; j++) {
        if (us[j] !== u) continue;
        s += r[j] - 4 - b.itemBias[is[j]];
        n++;
      }
      expect((15 + n) * b.userBias[u]).toBeCloseTo(s, 9);
    }
    expect(b.userBias[2]).toBe(0);
    expect(b.itemBias[2]).toBe(0);
    expect(evaluateRatings(b, t).n).toBe(3);
  });

  it('rejects bad options', () => {
    expect(() => biasBaseline(t, { regUser: -1 })).toThrow(UsageError);
    expect(() => biasBaseline(t, { iterations: 1.5 })).toThrow(UsageError);
  });
});

describe('popularityRanker', () => {
  it('scores items by train count and ranks them for every user', () => {
    const tr = cols([[0, 2, 5], [1, 2, 1], [2, 2, 3], [0, 1, 4], [1, 1, 4], [2, 3, 5]]);
    const p = popularityRanker(tr, { nUsers: 4, nItems: 5 });
    expect([...p.popularity]).toEqual([0, 2, 3, 1, 0]);
    expect([...popularityRanker(tr, { nUsers: 4, nItems: 5, minRating: 4 }).popularity]).toEqual([0, 2, 1, 1, 0]);
    // user 3 has no train items: top 2 are items 2, 1
    const r = rankingMetrics(p, { train: tr, test: cols([[3, 1, 5]]), k: 2 });
    expect(r['hit@2']).toBe(1);
    expect(r['mrr@2']).toBe(0.5);
  });
});
