// What threads rely on: evaluation and recommendations computed a range of users at a time, in any number of
// ranges, give the same numbers, to the last bit, as one pass; and the blocked top-k over item tiles gives the
// lists of one heap per user over every item.
import { describe, expect, it } from 'vitest';
import { createRng, selectTopK, Vocabulary } from '@collab-ts/core';
import type { FactorTables, RatingColumns, Scorer } from '@collab-ts/core';
import { ITEM_TILE } from './block-scorer.js';
import { excludedFrom, mergeRankingParts, planRanking, rankingMetrics, rankingPart, recommendAll, recommendationRows, recommendationTable, recommendInto, tableToCsv, tableToCsvBytes, toCsv } from './index.js';
import { factorScorer } from './test-helpers.js';

const nUsers = 90;
const nItems = ITEM_TILE * 2 + 37; // three item tiles, the last one partial

/** Factor tables whose scores repeat a lot (ties everywhere) and a few NaN, to stress the tie-breaks. */
function tables(seed: number): FactorTables {
  const rng = createRng(seed);
  const d = 3;
  const round = (x: number) => Math.round(x * 2) / 2;
  const userFactors = Float32Array.from({ length: nUsers * d }, () => round(rng.normal()));
  const itemFactors = Float32Array.from({ length: nItems * d }, () => round(rng.normal()));
  itemFactors[5 * d] = NaN;
  return { dim: d, userFactors, itemFactors, userBias: null, itemBias: Float32Array.from({ length: nItems }, () => round(rng.normal())), yRange: null };
}

function ratings(seed: number, n: number): RatingColumns {
  const rng = createRng(seed);
  return {
    users: Int32Array.from({ length: n }, () => rng.int(nUsers)),
    items: Int32Array.from({ length: n }, () => Math.floor(nItems * rng.next() ** 2)),
    ratings: Float32Array.from({ length: n }, () => 1 + rng.int(5)),
    timestamps: null,
  };
}

const scorer = factorScorer(tables(1), nUsers, nItems);
/** The same scores without the factor tables: whole rows through predict, one tile. */
const rowScorer: Scorer = { ...scorer, factors: () => null };
const train = ratings(2, 4000);
const test = ratings(3, 900);

describe('blocked top-k over item tiles', () => {
  it('lists what one heap over every unrated item lists (selectTopK with a mask), ties by lower index', () => {
    const k = 12;
    const rows = recommendAll(scorer, train, k);
    const ex = excludedFrom(scorer, train);
    const all = new Int32Array(nItems);
    for (let u = 0; u < nUsers; u++) {
      for (let i = 0; i < nItems; i++) all[i] = i;
      const mask = new Uint8Array(nItems);
      for (let p = ex.offsets[u]; p < ex.offsets[u + 1]; p++) mask[ex.items[p]] = 1;
      const want = selectTopK(scorer.predict(new Int32Array(nItems).fill(u), all), k, mask);
      expect(rows.filter((r) => r.user === u).map((r) => r.item)).toEqual(Array.from(want.indices));
    }
    expect(recommendAll(rowScorer, train, k)).toEqual(rows);
  });

  it('lists what exact scores list when float32 tile sums misorder near-ties (re-scored candidates)', () => {
    // 50 factors near one common vector: scores differ from each other by a few float32 ulps, so the fast
    // float32 tile sums reorder them; only the exact re-score of the candidates can give the exact lists
    const rng = createRng(9);
    const d = 50;
    const nU = 20;
    const base = Float32Array.from({ length: d }, () => rng.normal());
    const itemFactors = Float32Array.from({ length: nItems * d }, (_, j) => base[j % d] * (1 + 1e-6 * rng.int(4)));
    const userFactors = Float32Array.from({ length: nU * d }, () => 1 + 0.01 * rng.normal());
    const near = factorScorer({ dim: d, userFactors, itemFactors, userBias: null, itemBias: null, yRange: null }, nU, nItems);
    const none = { users: new Int32Array(0), items: new Int32Array(0), ratings: new Float32Array(0), timestamps: null };
    const rows = recommendAll(near, none, 25);
    const all = Int32Array.from({ length: nItems }, (_, i) => i);
    let distinctTop = 0;
    for (let u = 0; u < nU; u++) {
      const exact = near.predict(new Int32Array(nItems).fill(u), all);
      const want = selectTopK(exact, 25, null);
      distinctTop += new Set(Array.from(want.indices, (i) => exact[i])).size;
      expect(rows.filter((r) => r.user === u).map((r) => r.item)).toEqual(Array.from(want.indices));
    }
    // the case is a real near-tie: the best scores are few distinct floats
    expect(distinctTop).toBeLessThan(nU * 25);
  });
});

describe('ranges of users', () => {
  const cuts = (n: number, parts: number) => Array.from({ length: parts + 1 }, (_, j) => Math.round((j * n) / parts));

  for (const candidates of ['unrated', { sampledNegatives: 40, seed: 9 }] as const) {
    it(`merge ranking parts into the one-pass figures exactly (${typeof candidates === 'string' ? candidates : 'sampled negatives'})`, () => {
      const options = { train, test, k: [3, 10], threshold: 3, candidates };
      const whole = rankingMetrics(scorer, options);
      const plan = planRanking(scorer, options);
      for (const parts of [2, 3, 7]) {
        const c = cuts(plan.users.length, parts);
        const merged = mergeRankingParts(plan, c.slice(1).map((to, j) => rankingPart(scorer, plan, c[j], to)));
        expect(merged).toEqual(whole);
      }
      expect(whole.users).toBeGreaterThan(20);
      expect(rankingMetrics(rowScorer, options)).toEqual(whole);
    });
  }

  it('rejects a scorer whose shape is not the plan\'s', () => {
    const plan = planRanking(scorer, { train, test, k: 5 });
    expect(() => rankingPart({ ...scorer, nItems: nItems + 1 }, plan, 0, 1)).toThrow(/the plan/);
  });

  it('fill a recommendation table with the lists and scores of one pass', () => {
    const users = Int32Array.from({ length: nUsers }, (_, u) => (u * 7) % nUsers);
    const ex = excludedFrom(scorer, train);
    const one = recommendationTable(users, 10);
    recommendInto(scorer, one, 0, nUsers, ex);
    const split = recommendationTable(users, 10, { shared: true });
    expect(split.items.buffer).toBeInstanceOf(SharedArrayBuffer);
    const c = cuts(nUsers, 4);
    for (let j = c.length - 2; j >= 0; j--) recommendInto(scorer, split, c[j], c[j + 1], ex);
    expect(Array.from(split.items)).toEqual(Array.from(one.items));
    expect(Array.from(split.scores)).toEqual(Array.from(one.scores));
    expect(Array.from(split.counts)).toEqual(Array.from(one.counts));
    expect(recommendationRows(one)).toEqual(recommendAll(scorer, train, 10, { users }));
  });

  it('write a table as the CSV of its rows', () => {
    const table = recommendationTable([4, 0, 7], 3);
    recommendInto(scorer, table, 0, 3, excludedFrom(scorer, train));
    table.counts[1] = 1; // a short list
    const users = new Vocabulary('user', Array.from({ length: nUsers }, (_, u) => `u${u}`));
    const items = new Vocabulary('item', Array.from({ length: nItems }, (_, i) => `i${i}`), Array.from({ length: nItems }, (_, i) => (i % 2 ? `Film, "${i}"` : `Film ${i} é`)));
    expect(tableToCsv(table, { users, items })).toBe(toCsv(recommendationRows(table), { users, items }));
    expect(new TextDecoder().decode(tableToCsvBytes(table, { users, items }))).toBe(toCsv(recommendationRows(table), { users, items }));
    expect(tableToCsv(table)).toBe(toCsv(recommendationRows(table)));
    expect(tableToCsv(recommendationTable([], 2))).toBe(toCsv([]));
  });
});
