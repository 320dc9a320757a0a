import { describe, expect, it } from 'vitest';
import { createRng, UsageError, type FactorTables } from '@collab-ts/core';
import { Vocabulary } from '@collab-ts/data';
import { itemBiasExtremes, recommendAll, recommendForUser, scorePairs, similarItems, toCsv } from './index.js';
import { cols, factorScorer, randomTables } from './test-helpers.js';

describe('itemBiasExtremes', () => {
  it('lists the lowest and highest biases with ids and titles, ties by index', () => {
    const items = new Vocabulary('item', ['10', '20', '30', '40'], ['Ten', null, 'Thirty', 'Forty']);
    const f: FactorTables = {
      dim: 1,
      userFactors: new Float32Array(1),
      itemFactors: new Float32Array(4),
      userBias: null,
      itemBias: Float32Array.from([0.5, -1, 2, -1]),
      yRange: null,
    };
    const r = itemBiasExtremes(f, items, 2);
    expect(r.lowest).toEqual([
      { index: 1, id: '20', title: '20', bias: -1 },
      { index: 3, id: '40', title: 'Forty', bias: -1 },
    ]);
    expect(r.highest.map((e) => e.title)).toEqual(['Thirty', 'Ten']);
    expect(() => itemBiasExtremes({ ...f, itemBias: null }, items, 2)).toThrow(UsageError);
  });
});

describe('similarItems', () => {
  it('finds neighbours within planted clusters', () => {
    const rng = createRng(8);
    const dim = 8;
    const clusters = 4;
    const per = 10;
    const centroids = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => rng.normal()));
    const V = new Float32Array(clusters * per * dim);
    for (let i = 0; i < clusters * per; i++) for (let j = 0; j < dim; j++) V[i * dim + j] = centroids[i % clusters][j] + rng.normal(0, 0.05);
    const f: FactorTables = { dim, userFactors: new Float32Array(dim), itemFactors: V, userBias: null, itemBias: null, yRange: null };
    for (let i = 0; i < clusters * per; i++) {
      const nb = similarItems(f, i, per - 1);
      expect(nb).toHaveLength(per - 1);
      for (const n of nb) {
        expect(n.index).not.toBe(i);
        expect(n.index % clusters).toBe(i % clusters);
        expect(n.score).toBeGreaterThan(0.9);
      }
      for (let p = 1; p < nb.length; p++) expect(nb[p].score).toBeLessThanOrEqual(nb[p - 1].score);
    }
  });

  it('computes cosine similarity by hand and handles zero vectors', () => {
    const f: FactorTables = {
      dim: 2,
      userFactors: new Float32Array(2),
      itemFactors: Float32Array.from([1, 0, 1, 1, 0, 0, -1, 0]),
      userBias: null,
      itemBias: null,
      yRange: null,
    };
    const r = similarItems(f, 0, 10);
    expect(r.map((x) => x.index)).toEqual([1, 2, 3]);
    expect(r[0].score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(r[1].score).toBe(0);
    expect(r[2].score).toBe(-1);
    expect(() => similarItems(f, 4, 1)).toThrow(UsageError);
  });
});

describe('recommendations', () => {
  const rng = createRng(12);
  const nU = 9;
  const nI = 30;
  const tables = { ...randomTables(rng, nU, nI, 5), yRange: [0, 5.5] as const };
  const s = factorScorer(tables, nU, nI);
  const all = Int32Array.from({ length: nI }, (_, i) => i);
  const naive = (u: number, exclude: Set<number>) => {
    const row = s.predict(new Int32Array(nI).fill(u), all);
    return [...all].filter((i) => !exclude.has(i)).sort((a, b) => row[b] - row[a] || a - b);
  };

  it('recommends for one user with exclusions and rating-scale scores', () => {
    const ex = [3, 7, 11];
    const r = recommendForUser(s, 4, { k: 5, exclude: Int32Array.from(ex) });
    expect(r.map((x) => x.item)).toEqual(naive(4, new Set(ex)).slice(0, 5));
    const pred = scorePairs(s, [4, 4, 4, 4, 4], r.map((x) => x.item));
    expect(r.map((x) => x.score)).toEqual([...pred]);
    for (const x of r) expect(x.score).toBeLessThan(5.5);
    expect(recommendForUser(s, 0, { k: 100 })).toHaveLength(nI);
    expect(() => recommendForUser(s, 9)).toThrow(UsageError);
    expect(() => recommendForUser(s, 0, { exclude: [30] })).toThrow(UsageError);
  });

  it('recommends for all users, excluding train items, and writes CSV', () => {
    const train = cols([[0, 1, 5], [0, 2, 3], [2, 0, 4]]);
    const rows = recommendAll(s, train, 3);
    expect(rows).toHaveLength(nU * 3);
    expect(rows.slice(0, 3).map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(rows.filter((r) => r.user === 0).map((r) => r.item)).toEqual(naive(0, new Set([1, 2])).slice(0, 3));
    expect(rows.filter((r) => r.user === 2).map((r) => r.item)).toEqual(naive(2, new Set([0])).slice(0, 3));
    const users = Vocabulary.fromIds('user', Array.from({ length: nU }, (_, u) => String(100 + u)));
    const items = Vocabulary.fromIds('item', Array.from({ length: nI }, (_, i) => String(i + 1))).withTitles((id) => (id === '2' ? 'Say "Hi", World' : `Movie ${id}`));
    const csv = toCsv([{ user: 0, rank: 1, item: 1, score: 4.123456 }, ...rows.slice(1, 2)], { users, items });
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('user,rank,item,title,score');
    expect(lines[1]).toBe('100,1,2,"Say ""Hi"", World",4.1235');
    expect(toCsv([{ user: 1, rank: 2, item: 3, score: 1 }])).toBe('user,rank,item,score\n1,2,3,1.0000\n');
  });

  it('validates scorePairs input', () => {
    expect(() => scorePairs(s, [0], [0, 1])).toThrow(UsageError);
    expect(() => scorePairs(s, [0.5], [0])).toThrow(UsageError);
    expect(() => scorePairs(s, [0], [nI])).toThrow(UsageError);
  });
});
