import { describe, expect, it } from 'vitest';
import { createRng, scanFactorTopK, scoreFactorBlock, UsageError } from './index.js';
import type { FactorTables } from './index.js';

/** Factor tables with small integer entries, so that many scores tie exactly. */
function tiedTables(nUsers: number, nItems: number, dim: number, seed: number, biases: boolean): FactorTables {
  const rng = createRng(seed);
  const small = (n: number) => Float32Array.from({ length: n }, () => rng.int(3) - 1);
  return { dim, userFactors: small(nUsers * dim), itemFactors: small(nItems * dim), userBias: biases ? small(nUsers) : null, itemBias: biases ? small(nItems) : null, yRange: null };
}

/** The reference: every item scored at once, then a full sort (score down, index up), excluded items dropped. */
function bruteForce(t: FactorTables, user: number, nItems: number, k: number, exclude: ArrayLike<number>): { items: number[]; scores: number[] } {
  const all = new Float32Array(nItems);
  scoreFactorBlock(t, [user], 0, 1, nItems, all);
  const hidden = new Set(Array.from(exclude));
  const order = [...Array(nItems).keys()].filter((i) => !hidden.has(i)).sort((a, b) => all[b] - all[a] || a - b);
  const items = order.slice(0, k);
  return { items, scores: items.map((i) => all[i]) };
}

describe('scanFactorTopK', () => {
  it('equals a brute-force sort on random tied data across block boundaries, with exclusions and k beyond the unseen items', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 40; trial++) {
      const nUsers = 1 + rng.int(9);
      const nItems = 1 + rng.int(70);
      const t = tiedTables(nUsers, nItems, 1 + rng.int(4), 100 + trial, trial % 2 === 0);
      const users = Array.from({ length: 1 + rng.int(8) }, () => rng.int(nUsers)); // repeats allowed
      const hidden = users.map(() => Array.from({ length: rng.int(nItems + 3) }, () => rng.int(nItems))); // repeats, maybe every item
      const k = 1 + rng.int(nItems + 5);
      const top = scanFactorTopK(t, users, k, { exclude: (b) => hidden[b], blockItems: 1 + rng.int(16), blockUsers: 1 + rng.int(4) });
      expect(top).toHaveLength(users.length);
      users.forEach((u, b) => {
        const want = bruteForce(t, u, nItems, k, hidden[b]);
        expect([...top[b].items], `trial ${trial} user ${u}`).toEqual(want.items);
        expect([...top[b].scores]).toEqual(want.scores);
        expect(top[b].nanItem).toBe(-1);
      });
    }
  });

  it('returns every unseen item, best first, when k exceeds them, and nothing when all are hidden', () => {
    const t: FactorTables = { dim: 1, userFactors: Float32Array.of(1), itemFactors: Float32Array.of(3, 1, 3, 2), userBias: null, itemBias: null, yRange: null };
    const [some] = scanFactorTopK(t, [0], 10, { exclude: () => [1] });
    expect([...some.items]).toEqual([0, 2, 3]); // the tie 3 = 3 goes to the lower index
    expect([...some.scores]).toEqual([3, 3, 2]);
    const [none] = scanFactorTopK(t, [0], 2, { exclude: () => [0, 1, 2, 3, 3] });
    expect(none.items.length).toBe(0);
  });

  it('reports the first NaN score, ranks NaN last and still returns the finite best', () => {
    const t: FactorTables = { dim: 1, userFactors: Float32Array.of(1), itemFactors: Float32Array.of(1, NaN, 5, NaN, 2), userBias: null, itemBias: null, yRange: null };
    const [top] = scanFactorTopK(t, [0], 2, { blockItems: 2 });
    expect([...top.items]).toEqual([2, 4]);
    expect(top.nanItem).toBe(1);
    const [all] = scanFactorTopK(t, [0], 5);
    expect([...all.items]).toEqual([2, 4, 0, 1, 3]);
  });

  it('rejects a bad k or user index', () => {
    const t = tiedTables(2, 3, 2, 1, false);
    expect(() => scanFactorTopK(t, [0], 0)).toThrow(UsageError);
    expect(() => scanFactorTopK(t, [2], 1)).toThrow(/user index 2 outside 0\.\.1/);
  });
});
