// The Recommender contract, as a reusable suite (test-only; not exported from the package). Every
// registered family runs it, the way implicit runs RecommenderBaseTestMixin for every model.
import { expect, it } from 'vitest';
import { createRng, csrRow, Vocabulary } from '@collab-ts/core';
import type { RatingColumns, Recommender } from '@collab-ts/core';
import { generateSynthetic } from '@collab-ts/data';
import { encodeModel, modelFromBytes } from '../io/bundle.js';
import type { FitContext, FitData, GradientTrainer } from '../registry/family.js';
import { fitRecommender } from '../registry/fit.js';
import { rebuildRecommender, shareRecommender } from '../registry/share.js';

/** A small planted-factor fixture: 60 users, 80 items, 1,800 ratings on a 1-5 scale. */
export function contractFixture(): FitData {
  const { dataset } = generateSynthetic({ users: 60, items: 80, ratings: 1800, factors: 4, seed: 11, popularity: 1 });
  return { train: dataset.ratings, nUsers: 60, nItems: 80, ratingRange: [1, 5] };
}

/** A plain SGD loop, enough to train the gradient families in the contract tests without the train package. */
export const sgdTrainer: GradientTrainer = async (model, data, options) => {
  const epochs = Math.min(Number(options.epochs ?? 5), 8);
  const lr = 0.05;
  const n = data.train.ratings.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(1);
  const bs = 32;
  const users = new Int32Array(bs);
  const items = new Int32Array(bs);
  const ratings = new Float32Array(bs);
  for (let e = 0; e < epochs; e++) {
    rng.shuffle(order);
    for (let s = 0; s + bs <= n; s += bs) {
      for (let b = 0; b < bs; b++) {
        users[b] = data.train.users[order[s + b]];
        items[b] = data.train.items[order[s + b]];
        ratings[b] = data.train.ratings[order[s + b]];
      }
      const { grads } = model.lossAndGrads({ users, items, ratings });
      for (const p of model.params.list()) {
        const g = grads.get(p.name);
        if (!g) continue;
        if (g.kind === 'dense') {
          for (let j = 0; j < p.data.length; j++) p.data[j] -= lr * g.values[j];
          continue;
        }
        const rs = p.data.length / p.shape[0];
        for (let k = 0; k < g.count; k++) for (let j = 0; j < rs; j++) p.data[g.rows[k] * rs + j] -= lr * 10 * g.values[k * rs + j];
      }
    }
  }
};

function vocab(kind: 'user' | 'item', n: number): Vocabulary {
  return new Vocabulary(kind, Array.from({ length: n }, (_, i) => `${kind[0]}${i}`));
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Options for {@link recommenderContract}. */
export interface ContractOptions {
  /** Options passed to the fit (small, fast settings). */
  options?: Record<string, unknown>;
  /** Smallest Pearson correlation between a trained user's scores and the fold-in of their history (default 0.5). */
  foldInCorrelation?: number;
}

/** Registers the contract tests for one family kind. */
export function recommenderContract(kind: string, co: ContractOptions = {}): void {
  const data = contractFixture();
  const ctx: FitContext = { trainGradient: sgdTrainer };
  let fitted: Promise<Recommender> | null = null;
  const model = () => (fitted ??= fitRecommender(kind, data, co.options ?? {}, ctx));
  const all = (nUsers: number, nItems: number) => {
    const users = new Int32Array(nUsers * nItems);
    const items = new Int32Array(nUsers * nItems);
    for (let u = 0; u < nUsers; u++) for (let i = 0; i < nItems; i++) {
      users[u * nItems + i] = u;
      items[u * nItems + i] = i;
    }
    return { users, items };
  };

  it(`${kind}: fits, and its pair scores and block scores are finite and rank alike`, async () => {
    const m = await model();
    expect(m.kind).toBe(kind);
    expect(m.nUsers).toBe(data.nUsers);
    expect(m.nItems).toBe(data.nItems);
    const { users, items } = all(5, data.nItems);
    const pairs = m.predict(users, items);
    const block = new Float32Array(5 * data.nItems);
    m.scoreUsers(users.filter((_, j) => j % data.nItems === 0), 0, 5, block);
    for (const v of [...pairs, ...block]) expect(Number.isFinite(v)).toBe(true);
    // block scores may be a monotone transform of pair scores: their orders agree
    for (let u = 0; u < 5; u++) {
      const p = pairs.subarray(u * data.nItems, (u + 1) * data.nItems);
      const s = block.subarray(u * data.nItems, (u + 1) * data.nItems);
      for (let i = 1; i < data.nItems; i++) {
        if (p[i] > p[i - 1] + 1e-5) expect(s[i]).toBeGreaterThanOrEqual(s[i - 1] - 1e-5);
        if (p[i] < p[i - 1] - 1e-5) expect(s[i]).toBeLessThanOrEqual(s[i - 1] + 1e-5);
      }
    }
    expect(() => m.predict(Int32Array.of(data.nUsers), Int32Array.of(0))).toThrow(/out of range/);
  });

  it(`${kind}: a save/load round trip gives identical scores and keeps the history`, async () => {
    const m = await model();
    const { manifest, weights } = encodeModel(m, { users: vocab('user', data.nUsers), items: vocab('item', data.nItems), meta: { k: kind } });
    const loaded = await modelFromBytes(JSON.parse(JSON.stringify(manifest)), weights);
    expect(loaded.model.kind).toBe(kind);
    const { users, items } = all(data.nUsers, data.nItems);
    expect(Array.from(loaded.model.predict(users, items))).toEqual(Array.from(m.predict(users, items)));
    expect(loaded.model.history?.indices.length).toBe(data.train.ratings.length);
    expect(loaded.model.recommend(3, { k: 5 })).toEqual(m.recommend(3, { k: 5 }));
  });

  it(`${kind}: rebuilt from a share in shared memory (what worker threads get), it scores identically`, async () => {
    const m = await model();
    const shared = shareRecommender(m);
    for (const t of Object.values(shared.tensors)) expect(t.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    const copy = await rebuildRecommender(structuredClone(shared));
    const { users, items } = all(data.nUsers, data.nItems);
    expect(Array.from(copy.predict(users, items))).toEqual(Array.from(m.predict(users, items)));
    const every = Int32Array.from({ length: data.nUsers }, (_, u) => u);
    const a = new Float32Array(data.nUsers * data.nItems);
    const b = new Float32Array(data.nUsers * data.nItems);
    m.scoreUsers(every, 0, data.nUsers, a);
    copy.scoreUsers(every, 0, data.nUsers, b);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(copy.recommend(3, { k: 5 })).toEqual(m.recommend(3, { k: 5 }));
    expect(shareRecommender(m).key).not.toBe(shared.key);
  });

  it(`${kind}: recommend excludes the user's items and extra exclusions, best first`, async () => {
    const m = await model();
    expect(m.history).not.toBeNull();
    for (const u of [0, 7, 31]) {
      const seen = new Set(csrRow(m.history!, u).indices);
      const recs = m.recommend(u, { k: 15, exclude: [1, 2] });
      expect(recs.length).toBe(15);
      for (const r of recs) {
        expect(seen.has(r.item)).toBe(false);
        expect([1, 2]).not.toContain(r.item);
      }
      for (let j = 1; j < recs.length; j++) expect(recs[j].score).toBeLessThanOrEqual(recs[j - 1].score);
      const withSeen = m.recommend(u, { k: data.nItems, includeSeen: true });
      expect(withSeen.length).toBe(data.nItems);
    }
  });

  it(`${kind}: recommend ranks as a full sort of scoreUsers does (the factor families' blocked scan included)`, async () => {
    const m = await model();
    const scores = new Float32Array(data.nItems);
    for (const u of [0, 7, 31]) {
      m.scoreUsers([u], 0, 1, scores);
      const seen = new Set(csrRow(m.history!, u).indices);
      const want = [...Array(data.nItems).keys()].filter((i) => !seen.has(i)).sort((a, b) => scores[b] - scores[a] || a - b);
      expect(m.recommend(u, { k: 12 }).map((r) => r.item)).toEqual(want.slice(0, 12));
    }
  });

  it(`${kind}: similar items exclude the item itself`, async () => {
    const m = await model();
    let sims;
    try {
      sims = m.similarItems(4, 5);
    } catch (err) {
      expect((err as Error).message).toMatch(/similar/);
      return;
    }
    expect(sims.length).toBe(5);
    expect(sims.map((s) => s.item)).not.toContain(4);
  });

  it(`${kind}: the fold-in of a known user's history ranks close to the trained user`, async () => {
    const m = await model();
    if (!m.canFoldIn) {
      expect(() => m.foldIn([0])).toThrow();
      return;
    }
    const threshold = co.foldInCorrelation ?? 0.5;
    const rng = createRng(5);
    let total = 0;
    const users = [0, 1, 2, 3, 4, 5].map(() => rng.int(data.nUsers));
    for (const u of users) {
      const row = csrRow(m.history!, u);
      const folded = m.foldIn(row.indices, row.values);
      expect(folded.length).toBe(data.nItems);
      const trained = new Float32Array(data.nItems);
      m.scoreUsers([u], 0, 1, trained);
      total += pearson(folded, trained);
      const recs = m.recommendNew(row.indices, row.values, { k: 5 });
      for (const r of recs) expect(Array.from(row.indices)).not.toContain(r.item);
    }
    expect(total / users.length).toBeGreaterThan(threshold);
  });
}

/** The ratings of a fixture as plain columns (for families' own tests). */
export function fixtureColumns(): RatingColumns {
  return contractFixture().train;
}
