import { describe, expect, it } from 'vitest';
import { createRng, UsageError } from '@collab-ts/core';
import { pca, pcaScatterSvg, symmetricEigen } from './index.js';

function randomOrthonormal(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  const q: number[][] = [];
  while (q.length < n) {
    const v = Array.from({ length: n }, () => rng.normal());
    for (const u of q) {
      const d = u.reduce((s, x, i) => s + x * v[i], 0);
      for (let i = 0; i < n; i++) v[i] -= d * u[i];
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return q;
}

describe('symmetricEigen', () => {
  it('decomposes a 2 x 2 matrix with the sign convention', () => {
    const e = symmetricEigen([2, 1, 1, 2], 2);
    expect(e.values[0]).toBeCloseTo(3, 12);
    expect(e.values[1]).toBeCloseTo(1, 12);
    expect(e.vectors[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(e.vectors[1]).toBeCloseTo(Math.SQRT1_2, 12);
    // tie in magnitude: the first entry is made positive
    expect(e.vectors[2]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(e.vectors[3]).toBeCloseTo(-Math.SQRT1_2, 12);
  });

  it('recovers a reference decomposition Q diag(l) Qᵀ', () => {
    const n = 9;
    const q = randomOrthonormal(n, 5);
    const lambda = [7, 5.5, 4, 3, 2.5, 1, 0.5, -0.25, -2];
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let m = 0; m < n; m++) a[i * n + j] += q[m][i] * lambda[m] * q[m][j];
    const e = symmetricEigen(a, n);
    for (let m = 0; m < n; m++) {
      expect(e.values[m]).toBeCloseTo(lambda[m], 10);
      const dot = q[m].reduce((s, x, i) => s + x * e.vectors[m * n + i], 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 10);
      const row = Array.from(e.vectors.subarray(m * n, (m + 1) * n));
      const big = row.reduce((b, x, i) => (Math.abs(x) > Math.abs(row[b]) ? i : b), 0);
      expect(row[big]).toBeGreaterThan(0);
    }
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(UsageError);
  });
});

describe('pca', () => {
  it('recovers a planted dominant direction', () => {
    const rng = createRng(21);
    const rows = 400;
    const cols = 6;
    const dir = [0.2, -0.7, 0.1, 0.5, -0.3, 0.35];
    const norm = Math.hypot(...dir);
    const m = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const t = rng.normal(0, 3);
      for (let c = 0; c < cols; c++) m[r * cols + c] = 1.5 + (t * dir[c]) / norm + rng.normal(0, 0.1);
    }
    const p = pca(m, rows, cols, { components: 2 });
    expect(p.k).toBe(2);
    expect(p.mean[0]).toBeCloseTo(1.5, 0);
    const dot = dir.reduce((s, x, c) => s + (x / norm) * p.components[c], 0);
    // the largest-magnitude entry (-0.7) is made positive, so the axis points along -dir
    expect(dot).toBeLessThan(-0.999);
    expect(p.components[1]).toBeGreaterThan(0);
    expect(p.explainedVarianceRatio[0]).toBeGreaterThan(0.95);
    expect(p.explainedVariance[0]).toBeGreaterThan(p.explainedVariance[1]);
    // coordinates are the centred rows projected on the axes; their variance is the explained variance
    let s = 0;
    let ss = 0;
    for (let r = 0; r < rows; r++) {
      const x = p.coordinates[r * 2];
      s += x;
      ss += x * x;
    }
    expect(s / rows).toBeCloseTo(0, 6);
    expect(ss / (rows - 1)).toBeCloseTo(p.explainedVariance[0], 6);
    let proj = 0;
    for (let c = 0; c < cols; c++) proj += (m[5 * cols + c] - p.mean[c]) * p.components[c];
    expect(p.coordinates[5 * 2]).toBeCloseTo(proj, 9);
  });

  it('validates its arguments', () => {
    expect(() => pca(new Float32Array(6), 2, 4)).toThrow(UsageError);
    expect(() => pca(new Float32Array(4), 1, 4)).toThrow(/at least 2 rows/);
    expect(() => pca(new Float32Array(8), 2, 4, { components: 5 })).toThrow(UsageError);
  });
});

describe('pcaScatterSvg', () => {
  it('writes a standalone SVG with escaped labels', () => {
    const svg = pcaScatterSvg(
      [
        { x: 0, y: 0, label: 'Tom & Jerry <1950>' },
        { x: 1, y: 2, label: '"Quoted"' },
      ],
      { width: 400, height: 300, title: 'Items <PCA>' },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Tom &amp; Jerry &lt;1950&gt;');
    expect(svg).toContain('&quot;Quoted&quot;');
    expect(svg).toContain('Items &lt;PCA&gt;');
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(circles).toHaveLength(2);
    // the first point sits at the bottom-left of the plot area, the second at the top-right
    expect(circles[0][0]).toBeLessThan(circles[1][0]);
    expect(circles[0][1]).toBeGreaterThan(circles[1][1]);
    expect(svg).toContain('>PC1</text>');
    expect(() => pcaScatterSvg([{ x: NaN, y: 0, label: 'a' }])).toThrow(UsageError);
  });
});
