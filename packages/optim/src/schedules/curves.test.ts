import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import { constant, cosine, exponential, linear, polynomial } from './curves.js';
import type { Schedule } from './schedule.js';

const grid = Array.from({ length: 101 }, (_, i) => i / 100);

function monotone(s: Schedule, dir: 1 | -1): boolean {
  return grid.every((x, i) => i === 0 || dir * (s(x) - s(grid[i - 1])) >= -1e-15);
}

describe('curves', () => {
  it('constant', () => {
    expect(grid.every((x) => constant(3)(x) === 3)).toBe(true);
  });

  it('linear: endpoints, midpoint, monotone', () => {
    const s = linear(1, 3);
    expect(s(0)).toBe(1);
    expect(s(0.5)).toBe(2);
    expect(s(1)).toBe(3);
    expect(monotone(s, 1)).toBe(true);
    expect(monotone(linear(3, 1), -1)).toBe(true);
  });

  it('cosine: endpoints, midpoint is the mean, flat at the ends', () => {
    const s = cosine(1, 0);
    expect(s(0)).toBeCloseTo(1, 15);
    expect(s(0.5)).toBeCloseTo(0.5, 15);
    expect(s(1)).toBeCloseTo(0, 15);
    expect(s(0.25)).toBeCloseTo((1 + Math.cos(Math.PI * 0.25)) / 2, 15);
    expect(monotone(s, -1)).toBe(true);
    expect(monotone(cosine(0, 1), 1)).toBe(true);
    expect(1 - s(0.01)).toBeLessThan(s(0.5) - s(0.51)); // slow start, fast middle
  });

  it('exponential: geometric midpoint', () => {
    const s = exponential(1e-4, 1e-2);
    expect(s(0)).toBeCloseTo(1e-4, 18);
    expect(s(0.5)).toBeCloseTo(1e-3, 15);
    expect(s(1)).toBeCloseTo(1e-2, 15);
    expect(monotone(s, 1)).toBe(true);
    expect(() => exponential(0, 1)).toThrow(UsageError);
  });

  it('polynomial', () => {
    const s = polynomial(1, 0, 2);
    expect(s(0)).toBe(1);
    expect(s(0.5)).toBe(0.75);
    expect(s(1)).toBe(0);
    expect(monotone(s, -1)).toBe(true);
    expect(() => polynomial(1, 0, 0)).toThrow(UsageError);
  });

  it('clamps progress outside [0, 1]', () => {
    expect(linear(1, 3)(-1)).toBe(1);
    expect(linear(1, 3)(2)).toBe(3);
    expect(() => linear(Number.NaN, 1)).toThrow(UsageError);
  });
});
