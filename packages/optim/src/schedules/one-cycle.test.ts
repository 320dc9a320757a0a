import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import { flatCosine } from './flat-cosine.js';
import { oneCycle } from './one-cycle.js';

const grid = Array.from({ length: 201 }, (_, i) => i / 200);

describe('oneCycle (fastai fit_one_cycle)', () => {
  const lrMax = 5e-3;
  const { lr, mom } = oneCycle({ lrMax });

  it('lr: lrMax / 25 at 0, lrMax at pctStart, lrMax / 1e5 at 1', () => {
    expect(lr(0)).toBeCloseTo(lrMax / 25, 15);
    expect(lr(0.25)).toBeCloseTo(lrMax, 15);
    expect(lr(1)).toBeCloseTo(lrMax / 1e5, 15);
    // midpoints of the two cosines are the means of their ends
    expect(lr(0.125)).toBeCloseTo((lrMax / 25 + lrMax) / 2, 15);
    expect(lr(0.625)).toBeCloseTo((lrMax + lrMax / 1e5) / 2, 15);
  });

  it('lr rises then falls; mom falls then rises', () => {
    for (let i = 1; i < grid.length; i++) {
      const [a, b] = [grid[i - 1], grid[i]];
      if (b <= 0.25) {
        expect(lr(b)).toBeGreaterThanOrEqual(lr(a));
        expect(mom(b)).toBeLessThanOrEqual(mom(a));
      } else if (a >= 0.25) {
        expect(lr(b)).toBeLessThanOrEqual(lr(a));
        expect(mom(b)).toBeGreaterThanOrEqual(mom(a));
      }
    }
  });

  it('mom: 0.95 -> 0.85 -> 0.95', () => {
    expect(mom(0)).toBeCloseTo(0.95, 15);
    expect(mom(0.25)).toBeCloseTo(0.85, 15);
    expect(mom(1)).toBeCloseTo(0.95, 15);
    expect(mom(0.125)).toBeCloseTo(0.9, 15);
  });

  it('honours its options', () => {
    const c = oneCycle({ lrMax: 1, pctStart: 0.5, div: 10, divFinal: 100, moms: [0.9, 0.8, 0.7] });
    expect(c.lr(0)).toBeCloseTo(0.1, 15);
    expect(c.lr(0.5)).toBeCloseTo(1, 15);
    expect(c.lr(1)).toBeCloseTo(0.01, 15);
    expect(c.mom(1)).toBeCloseTo(0.7, 15);
    expect(() => oneCycle({ lrMax: 0 })).toThrow(UsageError);
    expect(() => oneCycle({ lrMax: 1, pctStart: 2 })).toThrow(UsageError);
  });
});

describe('flatCosine (fastai fit_flat_cos)', () => {
  it('flat at lr for 75%, then cosine down to lr / 1e5', () => {
    const s = flatCosine({ lr: 0.01 });
    expect(s(0)).toBe(0.01);
    expect(s(0.5)).toBe(0.01);
    expect(s(0.75)).toBeCloseTo(0.01, 15);
    expect(s(0.875)).toBeCloseTo((0.01 + 1e-7) / 2, 15);
    expect(s(1)).toBeCloseTo(1e-7, 15);
    for (let i = 1; i < grid.length; i++) expect(s(grid[i])).toBeLessThanOrEqual(s(grid[i - 1]));
  });
});
