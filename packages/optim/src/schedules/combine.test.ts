import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import { combine } from './combine.js';
import { constant, linear } from './curves.js';
import { step } from './step.js';

describe('combine', () => {
  it('runs each schedule over its share with its own 0..1 progress', () => {
    const s = combine([0.25, 0.75], [linear(0, 1), linear(1, 0)]);
    expect(s(0)).toBe(0);
    expect(s(0.125)).toBe(0.5);
    expect(s(0.25)).toBe(1); // the second schedule starts at its own 0 (as fastai)
    expect(s(0.625)).toBe(0.5);
    expect(s(1)).toBe(0);
  });

  it('skips zero-width segments', () => {
    expect(combine([0, 1], [constant(5), constant(7)])(0)).toBe(7);
    expect(combine([1, 0], [linear(0, 1), constant(7)])(0.5)).toBe(0.5);
  });

  it('validates shares', () => {
    expect(() => combine([0.5, 0.4], [constant(1), constant(2)])).toThrow(/add up to 1/);
    expect(() => combine([1], [])).toThrow(UsageError);
    expect(() => combine([1.5, -0.5], [constant(1), constant(2)])).toThrow(UsageError);
  });
});

describe('step', () => {
  it('changes value at each boundary (inclusive)', () => {
    const s = step([1, 0.1, 0.01], [0.5, 0.75]);
    expect(s(0)).toBe(1);
    expect(s(0.49)).toBe(1);
    expect(s(0.5)).toBe(0.1);
    expect(s(0.74)).toBe(0.1);
    expect(s(0.75)).toBe(0.01);
    expect(s(1)).toBe(0.01);
  });

  it('validates', () => {
    expect(() => step([1, 2], [0.5, 0.6])).toThrow(UsageError);
    expect(() => step([1, 2, 3], [0.6, 0.5])).toThrow(/non-decreasing/);
    expect(() => step([1, 2], [1.5])).toThrow(UsageError);
  });
});
