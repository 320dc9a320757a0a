import { describe, expect, it } from 'vitest';
import { createRng, UsageError, type FactorTables, type Rng } from '@collab-ts/core';
import { choleskySolve, foldInUser, itemPopularity, popularityRanker, rankingMetrics, recommendForNewUser } from '../index.js';
import { cols, factorScorer } from '../test-helpers.js';

/** A planted world: item factors and biases (global mean folded into the item bias), users drawn on demand. */
function plantedWorld(rng: Rng, nItems: number, dim: number) {
  const itemFactors = Float32Array.from({ length: nItems * dim }, () => rng.normal(0, 0.6));
  const itemBias = Float32Array.from({ length: nItems }, () => 3.5 + rng.normal(0, 0.4));
  // a mild long tail (item i is picked with weight 1 / (1 + i / 300), a 2x spread): with a steep one the
  // held-out items are mostly popular ones and exposure, not taste, decides what is "relevant"
  const weights = Array.from({ length: nItems }, (_, i) => 1 / (1 + i / 300));
  const pickItems = (count: number): number[] => {
    const w = weights.slice();
    const out: number[] = [];
    for (let c = 0; c < count; c++) {
      let total = 0;
      for (const x of w) total += x;
      let t = rng.next() * total;
      let i = 0;
      while (t >= w[i] && i < nItems - 1) t -= w[i++];
      out.push(i);
      w[i] = 0;
    }
    return out;
  };
  const user = (count: number) => {
    const p = Array.from({ length: dim }, () => rng.normal(0, 0.6));
    const bias = rng.normal(0, 0.3);
    const rows = pickItems(count).map((item) => {
      let x = bias + itemBias[item];
      for (let j = 0; j < dim; j++) x += p[j] * itemFactors[item * dim + j];
      return { item, rating: Math.min(5, Math.max(1, Math.round(x + rng.normal(0, 0.3)))) };
    });
    return { p, bias, rows };
  };
  return { itemFactors, itemBias, user };
}

describe('choleskySolve', () => {
  it('solves a small SPD system and rejects an indefinite one', () => {
    const x = choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
    expect(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(UsageError);
  });
});

describe('foldInUser', () => {
  const V = Float32Array.from([1, 0, 0, 1, 1, 1]);
  const tables: FactorTables = { dim: 2, userFactors: new Float32Array(2), itemFactors: V, userBias: new Float32Array(1), itemBias: Float32Array.from([0.5, 0, -0.5]), yRange: null };

  it('solves the ridge normal equations by hand', () => {
    // unknowns (p0, p1, b); rows [1,0,1] -> 3 - 0.5, [0,1,1] -> 2, [1,1,1] -> 4 + 0.5; lambda 1 on p, 0.1 on b
    const f = foldInUser(tables, [
      { item: 0, rating: 3 },
      { item: 1, rating: 2 },
      { item: 2, rating: 4 },
    ]);
    const A = [2 + 1, 1, 2, 1, 2 + 1, 2, 2, 2, 3 + 0.1];
    const b = [2.5 + 4.5, 2 + 4.5, 2.5 + 2 + 4.5];
    const ref = choleskySolve(Float64Array.from(A), Float64Array.from(b), 3);
    expect(f.vector[0]).toBeCloseTo(ref[0], 6);
    expect(f.vector[1]).toBeCloseTo(ref[1], 6);
    expect(f.bias).toBeCloseTo(ref[2], 12);
    expect(f.nRatings).toBe(3);
    expect([...f.items]).toEqual([0, 1, 2]);
  });

  it('recovers planted factors through the yRange sigmoid (logit start + Gauss-Newton)', () => {
    const rng = createRng(4);
    const dim = 4;
    const nItems = 60;
    const itemFactors = Float32Array.from({ length: nItems * dim }, () => rng.normal(0, 1));
    const itemBias = Float32Array.from({ length: nItems }, () => rng.normal(0, 0.3));
    const t: FactorTables = { dim, userFactors: new Float32Array(dim), itemFactors, userBias: new Float32Array(1), itemBias, yRange: [0, 5.5] };
    const p = [0.4, -0.3, 0.2, 0.1];
    const bias = 0.3;
    const ratings = Array.from({ length: nItems }, (_, item) => {
      let x = bias + itemBias[item];
      for (let j = 0; j < dim; j++) x += p[j] * itemFactors[item * dim + j];
      return { item, rating: 5.5 / (1 + Math.exp(-x)) };
    });
    const f = foldInUser(t, ratings, { lambda: 1e-6, biasLambda: 1e-6 });
    for (let j = 0; j < dim; j++) expect(f.vector[j]).toBeCloseTo(p[j], 4);
    expect(f.bias).toBeCloseTo(bias, 4);
    // a rating outside the range is clipped on the logit scale instead of producing infinities
    const g = foldInUser(t, [{ item: 0, rating: 6 }, { item: 1, rating: 0 }]);
    expect(Number.isFinite(g.bias)).toBe(true);
  });

  it('returns an empty fit with no ratings and validates input', () => {
    const f = foldInUser(tables, []);
    expect(f.nRatings).toBe(0);
    expect([...f.vector]).toEqual([0, 0]);
    expect(() => foldInUser(tables, [{ item: 3, rating: 1 }])).toThrow(UsageError);
    expect(() => foldInUser(tables, [{ item: 0, rating: NaN }])).toThrow(UsageError);
    expect(() => foldInUser(tables, [], { lambda: 0 })).toThrow(UsageError);
  });
});

describe('recommendForNewUser', () => {
  const tables: FactorTables = {
    dim: 1,
    userFactors: new Float32Array(1),
    itemFactors: Float32Array.from([1, -1, 2, 0]),
    userBias: null,
    itemBias: Float32Array.from([0, 0.5, 0, 1]),
    yRange: null,
  };

  it('ranks by the folded-in vector and excludes rated items', () => {
    const fold = { vector: Float32Array.from([1]), bias: 0, nRatings: 1, items: Int32Array.from([2]), yRange: null };
    const r = recommendForNewUser(tables, fold, { k: 2 });
    expect(r.source).toBe('fold-in');
    // raw scores 1, -0.5, (2 excluded), 1: tie between items 0 and 3 goes to item 0
    expect(r.items).toEqual([
      { item: 0, score: 1 },
      { item: 3, score: 1 },
    ]);
  });

  it('falls back to popularity, then to item biases, with no ratings', () => {
    const pop = recommendForNewUser(tables, null, { k: 2, popularity: [5, 9, 9, 1] });
    expect(pop.source).toBe('popularity');
    expect(pop.items.map((x) => x.item)).toEqual([1, 2]);
    const ib = recommendForNewUser(tables, foldInUser(tables, []), { k: 1 });
    expect(ib.source).toBe('item-bias');
    expect(ib.items).toEqual([{ item: 3, score: 1 }]);
    expect(() => recommendForNewUser({ ...tables, itemBias: null }, null)).toThrow(UsageError);
  });

  it('beats the popularity fallback on planted data after 10 ratings', () => {
    const rng = createRng(2024);
    const nItems = 300;
    const dim = 6;
    const world = plantedWorld(rng, nItems, dim);
    // existing users: only their ratings' item counts matter (the popularity signal)
    const old: [number, number, number][] = [];
    for (let u = 0; u < 300; u++) for (const r of world.user(40).rows) old.push([u, r.item, r.rating]);
    const popularity = itemPopularity(cols(old), nItems);
    // new users: 10 ratings to fold in, the rest held out
    const nNew = 80;
    const known: [number, number, number][] = [];
    const held: [number, number, number][] = [];
    const vectors = new Float32Array(nNew * dim);
    const biases = new Float32Array(nNew);
    const tables: FactorTables = { dim, userFactors: new Float32Array(0), itemFactors: world.itemFactors, userBias: new Float32Array(0), itemBias: world.itemBias, yRange: null };
    for (let u = 0; u < nNew; u++) {
      const rows = world.user(50).rows;
      rows.forEach((r, j) => (j < 10 ? known : held).push([u, r.item, r.rating]));
      const f = foldInUser(tables, rows.slice(0, 10));
      vectors.set(f.vector, u * dim);
      biases[u] = f.bias;
      // the per-user API agrees with the batched scorer below
      const rec = recommendForNewUser(tables, f, { k: 10 });
      expect(rec.items).toHaveLength(10);
      for (const it of rec.items) expect(f.items).not.toContain(it.item);
    }
    const folded = factorScorer({ ...tables, userFactors: vectors, userBias: biases }, nNew, nItems);
    const pop = popularityRanker(cols(old), { nUsers: nNew, nItems });
    expect([...pop.popularity]).toEqual([...popularity]);
    // relevant = rated 5: with threshold 4 about half of all items are liked and the item biases alone
    // already find them, so the user's taste would hardly matter
    const opts = { train: cols(known), test: cols(held), k: 10, threshold: 5 };
    const a = rankingMetrics(folded, opts);
    const b = rankingMetrics(pop, opts);
    const zero = rankingMetrics(factorScorer({ ...tables, userFactors: new Float32Array(nNew * dim), userBias: biases }, nNew, nItems), opts);
    expect(a.users).toBe(b.users);
    expect(a.users).toBeGreaterThan(40);
    expect(a['ndcg@10']).toBeGreaterThan(b['ndcg@10'] * 1.5);
    // the folded-in taste vector adds to what the item biases alone give
    expect(a['ndcg@10']).toBeGreaterThan(zero['ndcg@10']);
    console.info(
      `cold start NDCG@10 over ${a.users} users: fold-in ${a['ndcg@10'].toFixed(4)}, item biases only ${zero['ndcg@10'].toFixed(4)}, popularity ${b['ndcg@10'].toFixed(4)}`,
    );
  });
});
