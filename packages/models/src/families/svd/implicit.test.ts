import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';
import { randomSplit } from '@collab-ts/data';
import { testDataset } from '@collab-ts/tooling/test/data';
import { fitRecommender } from '../../registry/fit.js';
import { implicitEpoch, implicitUserFactors, shuffleWithinUsers, userRatingRows } from './implicit-epoch.js';
import type { ImplicitStep, ImplicitTables } from './implicit-epoch.js';
import type { SvdTables } from './sgd-block.js';
import { svdSettings } from './svd-settings.js';

const rand = (seed: number) => {
  const rng = createRng(seed);
  return (n: number, std = 0.5) => Float32Array.from({ length: n }, () => rng.normal(0, std));
};

function tables(seed: number, nU: number, nI: number, d: number): { t: SvdTables; imp: ImplicitTables } {
  const mk = rand(seed);
  const ones = (n: number) => new Float32Array(n).fill(1);
  return {
    t: { dim: d, userFactors: mk(nU * d), itemFactors: mk(nI * d), userBias: mk(nU), itemBias: mk(nI), userFactorsG: ones(nU), itemFactorsG: ones(nI), userBiasG: ones(nU), itemBiasG: ones(nI) },
    imp: { y: mk(nI * d), yG: ones(nI) },
  };
}

/**
 * SVD++ as the formulas read, one rating at a time in doubles, with the y step summed over the user's pass
 * and applied at its end: the reference the optimised kernel must agree with.
 */
function referenceEpoch(t: SvdTables, imp: ImplicitTables, users: number[], items: number[][], ratings: number[][], s: ImplicitStep): void {
  const d = t.dim;
  const row = (a: Float32Array, r: number) => Array.from(a.subarray(r * d, (r + 1) * d));
  for (const u of users) {
    const N = items[u];
    if (N.length === 0) continue;
    const norm = 1 / Math.sqrt(N.length);
    const z = new Array<number>(d).fill(0);
    for (const j of N) row(imp.y, j).forEach((v, k) => (z[k] += norm * v));
    const gz = new Array<number>(d).fill(0);
    N.forEach((i, x) => {
      const p = row(t.userFactors, u);
      const q = row(t.itemFactors, i);
      const pred = s.mean + t.userBias[u] + t.itemBias[i] + p.reduce((acc, pk, k) => acc + (pk + z[k]) * q[k], 0);
      const err = ratings[u][x] - pred;
      const gradP = q.map((qk, k) => err * qk - s.reg * p[k]);
      const gradQ = p.map((pk, k) => err * (pk + z[k]) - s.reg * q[k]);
      const hu = err - s.regBias * t.userBias[u];
      const hi = err - s.regBias * t.itemBias[i];
      const su = s.lr / Math.sqrt(t.userFactorsG[u]);
      const si = s.lr / Math.sqrt(t.itemFactorsG[i]);
      t.userBias[u] += (s.lrBias / Math.sqrt(t.userBiasG[u])) * hu;
      t.itemBias[i] += (s.lrBias / Math.sqrt(t.itemBiasG[i])) * hi;
      t.userBiasG[u] += hu * hu;
      t.itemBiasG[i] += hi * hi;
      for (let k = 0; k < d; k++) {
        gz[k] += norm * err * q[k];
        t.userFactors[u * d + k] = p[k] + su * gradP[k];
        t.itemFactors[i * d + k] = q[k] + si * gradQ[k];
      }
      t.userFactorsG[u] += gradP.reduce((a, g) => a + g * g, 0) / d;
      t.itemFactorsG[i] += gradQ.reduce((a, g) => a + g * g, 0) / d;
    });
    for (const j of N) {
      const y = row(imp.y, j);
      const g = y.map((yk, k) => gz[k] - s.regImplicit * yk);
      const sy = s.lrImplicit / Math.sqrt(imp.yG[j]);
      g.forEach((gk, k) => (imp.y[j * d + k] = y[k] + sy * gk));
      imp.yG[j] += g.reduce((a, x) => a + x * x, 0) / d;
    }
  }
}

describe('svd with the implicit term (SVD++)', () => {
  it('one update is a step of -lr times the finite-difference gradient of the penalised squared error, y included', () => {
    const d = 5;
    const { t, imp } = tables(4, 2, 3, d);
    const [u, i, r, mean, reg, regBias, regImplicit] = [1, 2, 4.5, 3.1, 0.3, 0.2, 0.25];
    // user u rated only item i, so N(u) = {i}, |N(u)|^-1/2 = 1 and the user vector is p_u + y_i
    const loss = () => {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += (t.userFactors[u * d + k] + imp.y[i * d + k]) * t.itemFactors[i * d + k];
      const err = r - (mean + t.userBias[u] + t.itemBias[i] + dot);
      let pq = 0;
      let yy = 0;
      for (let k = 0; k < d; k++) {
        pq += t.userFactors[u * d + k] ** 2 + t.itemFactors[i * d + k] ** 2;
        yy += imp.y[i * d + k] ** 2;
      }
      return 0.5 * err * err + 0.5 * reg * pq + 0.5 * regBias * (t.userBias[u] ** 2 + t.itemBias[i] ** 2) + 0.5 * regImplicit * yy;
    };
    const fd = (arr: Float32Array, j: number) => {
      const h = 1e-2;
      const keep = arr[j];
      arr[j] = keep + h;
      const a = loss();
      arr[j] = keep - h;
      const b = loss();
      arr[j] = keep;
      return (a - b) / (2 * h);
    };
    const params = [
      ...Array.from({ length: d }, (_, k) => ({ arr: t.userFactors, j: u * d + k })),
      ...Array.from({ length: d }, (_, k) => ({ arr: t.itemFactors, j: i * d + k })),
      ...Array.from({ length: d }, (_, k) => ({ arr: imp.y, j: i * d + k })),
      { arr: t.userBias, j: u },
      { arr: t.itemBias, j: i },
    ].map((g) => ({ ...g, grad: fd(g.arr, g.j), before: g.arr[g.j] }));
    const rows = userRatingRows({ users: Int32Array.of(u), items: Int32Array.of(i), ratings: Float32Array.of(r), timestamps: null }, 2, 3);
    const lr = 1e-3;
    implicitEpoch(t, imp, rows, Int32Array.of(0, 1), { lr, reg, lrBias: lr, regBias, mean, adaptive: false, lrImplicit: lr, regImplicit });
    for (const g of params) expect((g.arr[g.j] - g.before) / lr).toBeCloseTo(-g.grad, 2);
  });

  it('the optimised epoch agrees with the formulas written out, adaptive steps and several ratings per user included', () => {
    const d = 7; // not a multiple of 4: the unrolled loop's tail runs too
    const nU = 6;
    const nI = 9;
    const rng = createRng(12);
    const users: number[] = [];
    const itemsOf: number[][] = Array.from({ length: nU }, () => []);
    const ratingsOf: number[][] = Array.from({ length: nU }, () => []);
    for (let u = 0; u < nU; u++) {
      if (u === 3) continue; // a user with no ratings is skipped
      for (const i of rng.permutation(nI).slice(0, 2 + rng.int(5))) {
        users.push(u);
        itemsOf[u].push(i);
        ratingsOf[u].push(1 + rng.int(5));
      }
    }
    const items = itemsOf.flat();
    const ratings = ratingsOf.flat();
    const rows = userRatingRows({ users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(ratings), timestamps: null }, nU, nI);
    // the reference takes each user's ratings in the order the rows store them
    for (let u = 0; u < nU; u++) {
      itemsOf[u] = Array.from(rows.items.subarray(rows.offsets[u], rows.offsets[u + 1]));
      ratingsOf[u] = Array.from(rows.ratings.subarray(rows.offsets[u], rows.offsets[u + 1]));
    }
    const a = tables(5, nU, nI, d);
    const b = tables(5, nU, nI, d);
    const order = Int32Array.of(4, 0, 5, 3, 2, 1);
    const step: ImplicitStep = { lr: 0.05, reg: 0.07, lrBias: 0.04, regBias: 0.02, mean: 3.3, adaptive: true, lrImplicit: 0.01, regImplicit: 0.1 };
    for (let e = 0; e < 2; e++) {
      implicitEpoch(a.t, a.imp, rows, order, step);
      referenceEpoch(b.t, b.imp, Array.from(order), itemsOf, ratingsOf, step);
    }
    const close = (x: Float32Array, y: Float32Array) => x.forEach((v, k) => expect(v).toBeCloseTo(y[k], 5));
    close(a.t.userFactors, b.t.userFactors);
    close(a.t.itemFactors, b.t.itemFactors);
    close(a.imp.y, b.imp.y);
    close(a.t.userBias, b.t.userBias);
    close(a.t.itemBias, b.t.itemBias);
    close(a.t.userFactorsG, b.t.userFactorsG);
    close(a.imp.yG, b.imp.yG);
    // the stored user vectors are p_u + |N(u)|^-1/2 sum of y over the user's items
    const eff = implicitUserFactors(a.t.userFactors, a.imp, rows, d, new Float32Array(nU * d));
    for (let u = 0; u < nU; u++) {
      for (let k = 0; k < d; k++) {
        const n = itemsOf[u].length;
        const sum = itemsOf[u].reduce((s, j) => s + a.imp.y[j * d + k], 0);
        expect(eff[u * d + k]).toBeCloseTo(a.t.userFactors[u * d + k] + (n ? sum / Math.sqrt(n) : 0), 5);
      }
    }
  });

  it('groups ratings by user and reshuffles within users, keeping every (user, item, rating)', () => {
    const rng = createRng(2);
    const n = 200;
    const users = Int32Array.from({ length: n }, () => rng.int(13));
    const items = Int32Array.from({ length: n }, () => rng.int(40));
    const ratings = Float32Array.from({ length: n }, () => 1 + rng.int(5));
    const rows = userRatingRows({ users, items, ratings, timestamps: null }, 13, 40);
    const key = (u: number, i: number, r: number) => `${u}/${i}/${r}`;
    const want = Array.from({ length: n }, (_, j) => key(users[j], items[j], ratings[j])).sort();
    const have = () => {
      const out: string[] = [];
      for (let u = 0; u < 13; u++) for (let x = rows.offsets[u]; x < rows.offsets[u + 1]; x++) out.push(key(u, rows.items[x], rows.ratings[x]));
      return out.sort();
    };
    expect(have()).toEqual(want);
    const before = Array.from(rows.items);
    shuffleWithinUsers(rows, createRng(3));
    expect(have()).toEqual(want);
    expect(Array.from(rows.items)).not.toEqual(before);
  });

  it('is on by default up to 1M training ratings (8 epochs, lr at least 0.07) and off above; options override', () => {
    const at = (ratings: number, o: Record<string, unknown> = {}) => svdSettings(o, { ratings, users: 1, items: 1 });
    expect(at(80_000)).toMatchObject({ implicit: true, epochs: 8, lr: 0.07 });
    expect(at(1_000_000).implicit).toBe(true);
    expect(at(20_000_000)).toMatchObject({ implicit: false, epochs: 10, lr: 0.1 });
    expect(at(80_000, { implicit: false })).toMatchObject({ implicit: false, epochs: 10, lr: 0.06 });
    expect(at(20_000_000, { implicit: true, epochs: 3 })).toMatchObject({ implicit: true, epochs: 3, lr: 0.1 });
  });

  it('fits deterministically for a seed and logs that it trains on one thread when given more', async () => {
    const rng = createRng(7);
    const n = 3000;
    const train: RatingColumns = {
      users: Int32Array.from({ length: n }, () => rng.int(60)),
      items: Int32Array.from({ length: n }, () => rng.int(50)),
      ratings: Float32Array.from({ length: n }, () => 1 + rng.int(5)),
      timestamps: null,
    };
    const logs: string[] = [];
    const runner = { threads: 2, map: () => Promise.reject(new Error('SVD++ must not use the runner')) };
    const a = await fitRecommender('svd', { train, nUsers: 60, nItems: 50 }, { implicit: true, epochs: 3 }, { log: (m: string) => logs.push(m), runner });
    const b = await fitRecommender('svd', { train, nUsers: 60, nItems: 50 }, { implicit: true, epochs: 3 });
    const all = Int32Array.from({ length: 50 }, (_, i) => i);
    expect(Array.from(a.predict(new Int32Array(50).fill(7), all))).toEqual(Array.from(b.predict(new Int32Array(50).fill(7), all)));
    expect(logs.some((l) => l.includes('one thread'))).toBe(true);
    expect(logs.some((l) => l.startsWith('svd++ epoch 3/3'))).toBe(true);
  });
});

const ml100k = testDataset('ml-100k', { files: ['u1.base'], what: 'the SVD++ check on MovieLens 100k' });

/** u.data-style lines: user, item, rating, timestamp; ids are 1-based. */
function readU(file: string): RatingColumns {
  const rows = readFileSync(file, 'latin1').split('\n').filter((l) => l.trim() !== '').map((l) => l.split('\t').map(Number));
  return {
    users: Int32Array.from(rows, (r) => r[0] - 1),
    items: Int32Array.from(rows, (r) => r[1] - 1),
    ratings: Float32Array.from(rows, (r) => r[2]),
    timestamps: null,
  };
}

describe.skipIf(!ml100k.present)('SVD++ on MovieLens 100k', () => {
  it('lowers the RMSE of validation ratings carved from u1.base by more than 0.004 against plain svd', async () => {
    const { train, valid } = randomSplit(readU(join(ml100k.dir, 'u1.base')), { validPct: 0.1, seed: 7 });
    const data = { train, nUsers: 943, nItems: 1682 };
    const rmse = async (o: Record<string, unknown>) => {
      const p = (await fitRecommender('svd', data, o)).predict(valid.users, valid.items);
      let s = 0;
      for (let j = 0; j < p.length; j++) s += (p[j] - valid.ratings[j]) ** 2;
      return Math.sqrt(s / p.length);
    };
    const plain = await rmse({ implicit: false });
    const implicit = await rmse({});
    expect(implicit).toBeLessThan(plain - 0.004);
    expect(implicit).toBeLessThan(0.905);
  });
});
