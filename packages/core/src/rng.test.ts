import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';

describe('Rng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xa = Array.from({ length: 5 }, () => a.next());
    const xb = Array.from({ length: 5 }, () => b.next());
    const xc = Array.from({ length: 5 }, () => c.next());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('draws uniforms in [0, 1) with the right mean and normals with the right moments', () => {
    const r = createRng(7);
    let s = 0;
    let s1 = 0;
    let s2 = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      s += u;
      const z = r.normal(1, 2);
      s1 += z;
      s2 += z * z;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    const mean = s1 / n;
    expect(mean).toBeCloseTo(1, 1);
    expect(Math.sqrt(s2 / n - mean * mean)).toBeCloseTo(2, 1);
  });

  it('makes permutations that hold every index once', () => {
    const p = createRng(1).permutation(1000);
    const seen = new Uint8Array(1000);
    for (const i of p) seen[i]++;
    expect(seen.every((x) => x === 1)).toBe(true);
    expect(Array.from(p.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
