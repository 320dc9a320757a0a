import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import { scheduleByName, scheduleNames } from './by-name.js';

describe('scheduleByName', () => {
  it('knows every CLI name', () => {
    for (const name of scheduleNames) {
      const s = scheduleByName(name, { lr: 0.01 });
      expect(typeof s.lr).toBe('function');
      expect(Number.isFinite(s.lr(0.3))).toBe(true);
    }
  });

  it('builds each schedule with its defaults', () => {
    const oc = scheduleByName('one-cycle', { lr: 0.01 });
    expect(oc.lr(0)).toBeCloseTo(0.0004, 15);
    expect(oc.mom!(0.25)).toBeCloseTo(0.85, 15);
    expect(scheduleByName('constant', { lr: 0.01 }).lr(0.7)).toBe(0.01);
    expect(scheduleByName('cosine', { lr: 0.01 }).lr(1)).toBeCloseTo(1e-7, 15);
    expect(scheduleByName('flat-cosine', { lr: 0.01 }).lr(0.7)).toBe(0.01);
    const st = scheduleByName('step', { lr: 0.01 }).lr;
    expect(st(0)).toBe(0.01);
    expect(st(0.5)).toBeCloseTo(1e-3, 15);
    expect(st(0.8)).toBeCloseTo(1e-4, 15);
    const wc = scheduleByName('warmup-cosine', { lr: 0.01, warmup: 0.2 }).lr;
    expect(wc(0)).toBe(0);
    expect(wc(0.2)).toBeCloseTo(0.01, 15);
    expect(wc(1)).toBeCloseTo(1e-7, 15);
  });

  it('rejects unknown names and a bad lr', () => {
    expect(() => scheduleByName('triangle', { lr: 0.01 })).toThrow(/one of one-cycle/);
    expect(() => scheduleByName('constant', { lr: -1 })).toThrow(UsageError);
  });
});
