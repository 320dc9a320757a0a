import { describe, expect, it } from 'vitest';
import { ParamStore, UsageError } from '@collab-ts/core';
import { adam } from '../adam.js';
import { sgd } from '../sgd.js';
import { linear } from './curves.js';
import { oneCycle } from './one-cycle.js';
import { Scheduler } from './scheduler.js';

function store(): ParamStore {
  const s = new ParamStore();
  s.add('a', [1]);
  s.add('b', [1]);
  return s;
}

describe('Scheduler', () => {
  it('sets lr and mom at progress i / totalSteps before step i (one-cycle)', () => {
    const opt = adam(store(), { lr: 1 });
    const sched = new Scheduler(opt, { totalSteps: 100, ...oneCycle({ lrMax: 0.01 }) });
    const seen: [number, number][] = [];
    for (let i = 0; i < 100; i++) {
      sched.next();
      seen.push([opt.lr, opt.mom]);
    }
    expect(seen[0][0]).toBeCloseTo(0.01 / 25, 15);
    expect(seen[0][1]).toBeCloseTo(0.95, 15);
    expect(seen[25][0]).toBeCloseTo(0.01, 15);
    expect(seen[25][1]).toBeCloseTo(0.85, 15);
    expect(seen[99][0]).toBeLessThan(0.01 / 1000);
    expect(sched.position).toBe(100);
  });

  it('a single schedule respects group multipliers; an array sets each group', () => {
    const opt = sgd(store(), { lr: 1, momentum: 0.5, groups: [{ params: ['a'], lrMult: 0.1 }] });
    const single = new Scheduler(opt, { totalSteps: 10, lr: linear(1, 0) });
    single.apply(5);
    expect(opt.lrs()[0]).toBeCloseTo(0.05, 15);
    expect(opt.lrs()[1]).toBeCloseTo(0.5, 15);
    const perGroup = new Scheduler(opt, { totalSteps: 10, lr: [linear(0, 1), linear(2, 2)], mom: [linear(0.5, 0), linear(0, 0.5)] });
    perGroup.apply(5);
    expect(opt.lrs()).toEqual([0.5, 2]);
    expect(opt.moms()).toEqual([0.25, 0.25]);
  });

  it('resumes from a position and validates', () => {
    const opt = sgd(store(), { lr: 1 });
    const sched = new Scheduler(opt, { totalSteps: 4, lr: linear(0, 1) });
    sched.position = 2;
    sched.next();
    expect(opt.lr).toBe(0.5);
    expect(() => new Scheduler(opt, { totalSteps: 0 })).toThrow(UsageError);
    expect(() => new Scheduler(opt, { totalSteps: 4, lr: [linear(0, 1), linear(0, 1)] })).toThrow(/2 schedules for 1 parameter groups/);
  });
});
