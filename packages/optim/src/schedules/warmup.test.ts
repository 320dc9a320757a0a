import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import { cosine } from './curves.js';
import { linearWarmup, warmup, warmupPct } from './warmup.js';

describe('warmup', () => {
  it('ramps linearly to the next schedule start, then runs it over the rest', () => {
    const s = linearWarmup(0.1, cosine(1, 0));
    expect(s(0)).toBe(0);
    expect(s(0.05)).toBeCloseTo(0.5, 12);
    expect(s(0.1)).toBeCloseTo(1, 12);
    expect(s(0.55)).toBeCloseTo(0.5, 12); // halfway through the cosine part
    expect(s(1)).toBeCloseTo(0, 12);
  });

  it('takes a number of steps out of a total', () => {
    expect(warmupPct({ steps: 100, totalSteps: 1000 })).toBe(0.1);
    const s = warmup({ steps: 100, totalSteps: 1000 }, cosine(2, 0), { start: 1 });
    expect(s(0)).toBe(1);
    expect(s(0.05)).toBeCloseTo(1.5, 12);
    expect(() => warmupPct({ steps: 2000, totalSteps: 1000 })).toThrow(UsageError);
    expect(() => warmupPct(1.5)).toThrow(UsageError);
  });

  it('cosine ramp and degenerate lengths', () => {
    const s = warmup(0.5, cosine(1, 0), { curve: 'cosine' });
    expect(s(0.25)).toBeCloseTo(0.5, 12);
    const then = cosine(1, 0);
    expect(warmup(0, then)).toBe(then);
    expect(warmup(1, then)(0.5)).toBeCloseTo(0.5, 12);
  });
});
