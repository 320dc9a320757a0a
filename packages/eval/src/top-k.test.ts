import { describe, expect, it } from 'vitest';
import { createRng, UsageError } from '@collab-ts/core';
import { topK } from './index.js';

describe('topK', () => {
  it('returns the best k, best first, ties by lower index', () => {
    const r = topK([1, 5, 3, 5, NaN, 3], 4);
    expect([...r.indices]).toEqual([1, 3, 2, 5]);
    expect([...r.scores]).toEqual([5, 5, 3, 3]);
  });

  it('skips excluded indices and returns fewer than k when the candidates run out', () => {
    const r = topK([1, 5, 3, 5], 10, Int32Array.from([1, 2]));
    expect([...r.indices]).toEqual([3, 0]);
    expect(() => topK([1], 1, [3])).toThrow(UsageError);
    expect(() => topK([1], 0)).toThrow(UsageError);
  });

  it('ranks NaN last and matches a full sort on random ties', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + rng.int(60);
      const scores = Float32Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : rng.int(8)));
      const k = 1 + rng.int(n + 5);
      const key = (i: number) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
      const expected = [...Array(n).keys()].sort((a, b) => key(b) - key(a) || a - b).slice(0, k);
      expect([...topK(scores, k).indices]).toEqual(expected);
    }
  });
});
