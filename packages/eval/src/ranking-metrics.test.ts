import { describe, expect, it } from 'vitest';
import { createRng, UsageError } from '@collab-ts/core';
import { rankingAtK, rankingMetrics, scoreUsers } from './index.js';
import { cols, factorScorer, matrixScorer, randomRatings, randomTables } from './test-helpers.js';

const L3 = 1 / Math.log2(3);
const L5 = 1 / Math.log2(5);

// user 0: train {0}; test 1 (5), 2 (3), 3 (4) -> relevant {1, 3}; unrated scores 1:1, 2:5, 3:5, 4:2 -> [2, 3, 4, 1]
// user 1: train {1, 2}; test 0 (2) -> no relevant item; all scores tie -> [0, 3, 4]
const scorer = matrixScorer([
  [9, 1, 5, 5, 2],
  [0, 0, 0, 0, 0],
]);
const train = cols([[0, 0, 4], [1, 1, 5], [1, 2, 1]]);
const test = cols([[0, 1, 5], [0, 2, 3], [0, 3, 4], [1, 0, 2]]);

describe('rankingMetrics', () => {
  it('matches hand-computed values, with ties broken by item index and a skipped user', () => {
    const r = rankingMetrics(scorer, { train, test, k: [2, 10] });
    expect(r.users).toBe(1);
    expect(r.skippedUsers).toBe(1);
    // k = 2: user 0's list [2, 3]: one hit at position 2; user 1 counts 0 in precision only
    expect(r['precision@2']).toBeCloseTo((1 / 2 + 0) / 2, 12);
    expect(r['recall@2']).toBeCloseTo(1 / 2, 12);
    expect(r['ndcg@2']).toBeCloseTo(L3 / (1 + L3), 12);
    expect(r['map@2']).toBeCloseTo(1 / 4, 12);
    expect(r['mrr@2']).toBeCloseTo(1 / 2, 12);
    expect(r['hit@2']).toBe(1);
    // coverage: lists [2, 3] and [0, 3] cover 3 of 5 items
    expect(r['coverage@2']).toBeCloseTo(3 / 5, 12);
    // k = 10 is larger than the 4 candidates: list [2, 3, 4, 1], hits at positions 2 and 4
    expect(r['precision@10']).toBeCloseTo(2 / 10 / 2, 12);
    expect(r['recall@10']).toBe(1);
    expect(r['ndcg@10']).toBeCloseTo((L3 + L5) / (1 + L3), 12);
    expect(r['map@10']).toBeCloseTo((1 / 2 + 2 / 4) / 2, 12);
    expect(r['coverage@10']).toBeCloseTo(5 / 5, 12);
  });

  it('treats every test item as relevant with threshold null', () => {
    const r = rankingMetrics(scorer, { train, test, k: 1, threshold: null });
    expect(r.users).toBe(2);
    expect(r.skippedUsers).toBe(0);
    // user 0: top [2], relevant {1, 2, 3}: hit; user 1: top [0], relevant {0}: hit
    expect(r['precision@1']).toBe(1);
    expect(r['recall@1']).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(r['ndcg@1']).toBe(1);
  });

  it('never ranks train items and drops them from the relevant set', () => {
    // item 0 is in user 0's train and test: not a candidate, not relevant
    const t2 = cols([[0, 0, 5], [0, 1, 5]]);
    const r = rankingMetrics(scorer, { train, test: t2, k: 1 });
    // item 0 has the highest score (9) but is excluded, so the top is item 2; relevant is {1} only
    expect(r['hit@1']).toBe(0);
    expect(r['recall@1']).toBe(0);
    const r4 = rankingMetrics(scorer, { train, test: t2, k: 4 });
    expect(r4['recall@4']).toBe(1);
  });

  it('runs the sampled-negatives (leave-one-out) protocol', () => {
    // user 0 never rated {4}; user 0's test item 1 (5) ranks against [4] only: scores 1 vs 2 -> position 2
    const r = rankingMetrics(scorer, { train, test, k: [1, 2], candidates: { sampledNegatives: 100, seed: 1 }, threshold: 5 });
    expect(r.users).toBe(1);
    expect(r['hit@1']).toBe(0);
    expect(r['hit@2']).toBe(1);
    expect(r['ndcg@2']).toBeCloseTo(L3, 12);
    expect(r['mrr@2']).toBeCloseTo(1 / 2, 12);
    expect(r['precision@2']).toBeCloseTo(1 / 2 / 2, 12);
  });

  it('averages sampled instances per user and is reproducible for a seed', () => {
    const rng = createRng(3);
    const t = randomTables(rng, 20, 40, 4);
    const s = factorScorer(t, 20, 40);
    const all = randomRatings(rng, 20, 40, 12);
    const idx = [...Array(all.ratings.length).keys()];
    const tr = cols(idx.filter((i) => i % 4 !== 0).map((i) => [all.users[i], all.items[i], all.ratings[i]]));
    const te = cols(idx.filter((i) => i % 4 === 0).map((i) => [all.users[i], all.items[i], all.ratings[i]]));
    const opts = { train: tr, test: te, k: [1, 5], threshold: null, candidates: { sampledNegatives: 10, seed: 9 } } as const;
    const a = rankingMetrics(s, opts);
    const b = rankingMetrics(s, opts);
    expect(a).toEqual(b);
    expect(a.users).toBe(20);
    expect(a['hit@5']).toBeGreaterThan(0);
    expect(a['hit@5']).toBeLessThanOrEqual(1);
    // one relevant item per instance: recall equals hit, precision is hit / k
    expect(a['recall@5']).toBeCloseTo(a['hit@5'], 12);
    expect(a['precision@5']).toBeCloseTo(a['hit@5'] / 5, 12);
    const c = rankingMetrics(s, { ...opts, candidates: { sampledNegatives: 10, seed: 10 } });
    expect(c['mrr@5']).not.toBe(a['mrr@5']);
  });

  it('rejects bad options', () => {
    expect(() => rankingMetrics(scorer, { train, test, k: 0 })).toThrow(UsageError);
    expect(() => rankingMetrics(scorer, { train, test, k: [] })).toThrow(UsageError);
    expect(() => rankingMetrics(scorer, { train, test, k: 1, threshold: NaN })).toThrow(UsageError);
    expect(() => rankingMetrics(scorer, { train, test: cols([[0, 7, 1]]), k: 1 })).toThrow(/item index 7/);
    expect(() => rankingMetrics(scorer, { train, test, k: 1, candidates: { sampledNegatives: 0, seed: 1 } })).toThrow(UsageError);
  });
});

describe('blocked factor fast path', () => {
  const rng = createRng(11);
  const nU = 67;
  const nI = 131;
  const tables = randomTables(rng, nU, nI, 9);
  const s = factorScorer(tables, nU, nI);
  const all = randomRatings(rng, nU, nI, 30);
  const idx = [...Array(all.ratings.length).keys()];
  const tr = cols(idx.filter((i) => i % 5 !== 0).map((i) => [all.users[i], all.items[i], all.ratings[i]]));
  const te = cols(idx.filter((i) => i % 5 === 0).map((i) => [all.users[i], all.items[i], all.ratings[i]]));

  it('scores exactly like predict', () => {
    const users = Int32Array.from({ length: nU }, (_, u) => u);
    const fast = scoreUsers(s, users, { blockSize: 7 });
    const slow = scoreUsers(s, users, { useFactors: false, blockSize: 5 });
    expect(fast).toEqual(slow);
  });

  it('gives exactly the metrics of the predict path', () => {
    for (const candidates of ['unrated', { sampledNegatives: 20, seed: 4 }] as const) {
      const fast = rankingMetrics(s, { train: tr, test: te, k: [1, 5, 10, 200], candidates, blockSize: 13 });
      const slow = rankingMetrics(s, { train: tr, test: te, k: [1, 5, 10, 200], candidates, useFactors: false });
      expect(fast).toEqual(slow);
    }
  });

  it('agrees with a naive per-user sort and rankingAtK', () => {
    const k = 10;
    const r = rankingMetrics(s, { train: tr, test: te, k, threshold: 3 });
    const sums = { precision: 0, recall: 0, ndcg: 0, map: 0, mrr: 0, hit: 0 };
    let users = 0;
    let skipped = 0;
    for (let u = 0; u < nU; u++) {
      const trainItems = new Set<number>();
      for (let i = 0; i < tr.users.length; i++) if (tr.users[i] === u) trainItems.add(tr.items[i]);
      const rel = new Set<number>();
      let hasTest = false;
      for (let i = 0; i < te.users.length; i++) {
        if (te.users[i] !== u) continue;
        hasTest = true;
        if (te.ratings[i] >= 3 && !trainItems.has(te.items[i])) rel.add(te.items[i]);
      }
      if (!hasTest) continue;
      const row = s.predict(new Int32Array(nI).fill(u), Int32Array.from({ length: nI }, (_, i) => i));
      const ranked = [...Array(nI).keys()].filter((i) => !trainItems.has(i)).sort((a, b) => row[b] - row[a] || a - b);
      const m = rankingAtK(ranked, rel, k);
      sums.precision += m.precision;
      if (rel.size === 0) {
        skipped++;
        continue;
      }
      users++;
      sums.recall += m.recall;
      sums.ndcg += m.ndcg;
      sums.map += m.map;
      sums.mrr += m.mrr;
      sums.hit += m.hit;
    }
    expect(r.users).toBe(users);
    expect(r.skippedUsers).toBe(skipped);
    expect(r['precision@10']).toBeCloseTo(sums.precision / (users + skipped), 12);
    for (const key of ['recall', 'ndcg', 'map', 'mrr', 'hit'] as const) expect(r[`${key}@10`]).toBeCloseTo(sums[key] / users, 12);
  });
});
