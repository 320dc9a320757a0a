import { describe, expect, it } from 'vitest';
import { csrFromCoordinates } from './csr.js';
import type { CsrMatrix } from './csr.js';
import { NegativeSampler } from './negative-sampler.js';
import { createRng } from './rng.js';

/** A history of `nUsers` users over `nItems` items, user u interacting with `degrees[u]` random items. */
function history(nItems: number, degrees: number[], seed = 3): CsrMatrix {
  const rng = createRng(seed);
  const users: number[] = [];
  const items: number[] = [];
  degrees.forEach((d, u) => {
    const p = rng.permutation(nItems);
    for (let k = 0; k < d; k++) {
      users.push(u);
      items.push(p[k]);
    }
  });
  return csrFromCoordinates(Int32Array.from(users), Int32Array.from(items), new Float32Array(users.length).fill(1), degrees.length, nItems);
}

/** Pearson's chi-square statistic of observed counts against expected probabilities (cells with p > 0). */
function chiSquare(observed: Float64Array, p: ArrayLike<number>, n: number): { stat: number; df: number } {
  let stat = 0;
  let df = -1;
  for (let i = 0; i < observed.length; i++) {
    if (p[i] === 0) {
      expect(observed[i]).toBe(0);
      continue;
    }
    const e = n * p[i];
    stat += (observed[i] - e) ** 2 / e;
    df++;
  }
  return { stat, df };
}

describe('NegativeSampler', () => {
  const h = history(50, [0, 5, 25, 45, 49, 50]);

  it('gives the same negatives for the same seed, other ones for another seed, and repeats after reseed', () => {
    for (const distribution of ['uniform', 'popularity'] as const) {
      const draw = (s: NegativeSampler) => Array.from({ length: 200 }, (_, k) => s.sample(k % 5));
      const a = new NegativeSampler(h, { distribution, seed: 9 });
      const first = draw(a);
      expect(draw(new NegativeSampler(h, { distribution, seed: 9 }))).toEqual(first);
      expect(draw(new NegativeSampler(h, { distribution, seed: 10 }))).not.toEqual(first);
      a.reseed(9);
      expect(draw(a)).toEqual(first);
    }
  });

  it('never returns an item the user interacted with while another exists, even for nearly full rows', () => {
    for (const distribution of ['uniform', 'popularity'] as const) {
      for (const maxRetries of [0, 1, 16]) {
        const s = new NegativeSampler(h, { distribution, seed: 1, maxRetries });
        for (let u = 0; u < 5; u++) {
          for (let t = 0; t < 400; t++) {
            const j = s.sample(u);
            expect(j).toBeGreaterThanOrEqual(0);
            expect(j).toBeLessThan(50);
            expect(s.isPositive(u, j)).toBe(false);
          }
        }
        expect(s.exhausted).toBe(0);
      }
    }
  });

  it('returns some item and counts the draw as exhausted when the user interacted with every item', () => {
    const s = new NegativeSampler(h, { seed: 1 });
    const j = s.sample(5);
    expect(j).toBeGreaterThanOrEqual(0);
    expect(j).toBeLessThan(50);
    expect(s.exhausted).toBe(1);
  });

  it('ignores repeated entries of the history', () => {
    const rep = csrFromCoordinates(Int32Array.of(0, 0, 0, 0), Int32Array.of(1, 1, 3, 3), new Float32Array(4), 1, 5);
    const s = new NegativeSampler(rep, { seed: 2 });
    expect(s.degree(0)).toBe(2);
    const seen = new Set<number>();
    for (let t = 0; t < 300; t++) seen.add(s.sample(0));
    expect([...seen].sort()).toEqual([0, 2, 4]);
  });

  it('uniform draws are uniform over the non-interacted items (chi-square)', () => {
    const s = new NegativeSampler(h, { seed: 4 });
    const n = 40_000;
    const obs = new Float64Array(50);
    for (let t = 0; t < n; t++) obs[s.sample(2)]++;
    const p = new Float64Array(50);
    for (let i = 0; i < 50; i++) p[i] = s.isPositive(2, i) ? 0 : 1 / 25;
    const { stat, df } = chiSquare(obs, p, n);
    // df = 24: the 99.9% quantile of chi-square is 51.2
    expect(df).toBe(24);
    expect(stat).toBeLessThan(51.2);
  });

  it('popularity draws follow count ** beta, restricted to the non-interacted items (chi-square)', () => {
    // 12 items, item i interacted with by users 0..i (count i + 1): user u has items u..11; user 12 has none
    const users: number[] = [];
    const items: number[] = [];
    for (let i = 0; i < 12; i++) for (let u = 0; u < i + 1; u++) {
      users.push(u);
      items.push(i);
    }
    const pop = csrFromCoordinates(Int32Array.from(users), Int32Array.from(items), new Float32Array(users.length), 13, 12);
    for (const [beta, maxRetries] of [[0.75, 16], [1, 0], [0.5, 2]]) {
      const s = new NegativeSampler(pop, { distribution: 'popularity', beta, seed: 5, maxRetries });
      const w = Array.from({ length: 12 }, (_, i) => (i + 1) ** beta);
      const total = w.reduce((a, b) => a + b, 0);
      expect(Array.from(s.probabilities())).toEqual(w.map((x) => expect.closeTo(x / total, 12)));
      const n = 60_000;
      for (const u of [12, 9, 3]) {
        const obs = new Float64Array(12);
        for (let t = 0; t < n; t++) obs[s.sample(u)]++;
        const allowed = w.map((x, i) => (s.isPositive(u, i) ? 0 : x));
        const z = allowed.reduce((a, b) => a + b, 0);
        const { stat, df } = chiSquare(obs, allowed.map((x) => x / z), n);
        // df <= 11: the 99.9% quantile of chi-square with 11 degrees of freedom is 31.3
        expect(df).toBe(u === 12 ? 11 : u - 1);
        expect(stat).toBeLessThan(31.3);
      }
    }
  });

  it('never proposes items with count 0 unless nothing else is left, and takes counts from the caller', () => {
    const s = new NegativeSampler(h, { distribution: 'popularity', counts: Array.from({ length: 50 }, (_, i) => (i < 10 ? 1 : 0)), seed: 6 });
    for (let t = 0; t < 500; t++) expect(s.sample(0)).toBeLessThan(10);
    // user 4 interacted with 49 items: if the one left has count 0, it is still returned
    const left = Array.from({ length: 50 }, (_, i) => i).find((i) => !s.isPositive(4, i))!;
    for (let t = 0; t < 20; t++) expect(s.sample(4)).toBe(left);
  });

  it('fills a batch of negatives and rejects bad options', () => {
    const s = new NegativeSampler(h, { seed: 7 });
    const out = s.fill(Int32Array.of(1, 2, 3), new Int32Array(3));
    for (let k = 0; k < 3; k++) expect(s.isPositive(k + 1, out[k])).toBe(false);
    expect(() => new NegativeSampler(h, { distribution: 'zipf' as never })).toThrow(/distribution/);
    expect(() => new NegativeSampler(h, { beta: -1 })).toThrow(/beta/);
    expect(() => new NegativeSampler(h, { maxRetries: 1.5 })).toThrow(/maxRetries/);
    expect(() => new NegativeSampler(h, { distribution: 'popularity', counts: [1, 2] })).toThrow(/2 counts for 50 items/);
    expect(() => new NegativeSampler(h, { distribution: 'popularity', counts: new Float64Array(50) })).toThrow(/popularity 0/);
    expect(() => s.fill(Int32Array.of(1, 2), new Int32Array(1))).toThrow(/out holds/);
  });
});
