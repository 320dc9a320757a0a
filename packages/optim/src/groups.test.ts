import { describe, expect, it } from 'vitest';
import { ParamStore, UsageError } from '@collab-ts/core';
import type { Gradients } from '@collab-ts/core';
import { resolveGroups } from './groups.js';
import { sgd } from './sgd.js';

function twoParams(): ParamStore {
  const s = new ParamStore();
  s.add('a', [1], Float32Array.of(0));
  s.add('b', [1], Float32Array.of(0));
  return s;
}

const ones: Gradients = new Map([
  ['a', { kind: 'dense', values: Float32Array.of(1) }],
  ['b', { kind: 'dense', values: Float32Array.of(1) }],
]);

describe('parameter groups', () => {
  it('listed groups first, unlisted parameters in a default group', () => {
    const s = twoParams();
    const { groupOf, lrMults } = resolveGroups(s, [{ params: ['b'], lrMult: 0.1 }]);
    expect(lrMults).toEqual([0.1, 1]);
    expect(groupOf.get('b')).toBe(0);
    expect(groupOf.get('a')).toBe(1);
    expect(resolveGroups(s, [{ params: ['a', 'b'] }]).lrMults).toEqual([1]);
    expect(() => resolveGroups(s, [{ params: ['c'] }])).toThrow(UsageError);
    expect(() => resolveGroups(s, [{ params: ['a'] }, { params: ['a'] }])).toThrow(/more than one/);
    expect(() => resolveGroups(s, [{ params: ['a'], lrMult: -1 }])).toThrow(UsageError);
  });

  it('each group steps with base lr * lrMult', () => {
    const s = twoParams();
    const opt = sgd(s, { lr: 1, groups: [{ params: ['a'], lrMult: 0.1 }] });
    expect(opt.groupCount).toBe(2);
    expect(opt.lrs()).toEqual([0.1, 1]);
    opt.step(ones);
    expect(s.get('a').data[0]).toBeCloseTo(-0.1, 6);
    expect(s.get('b').data[0]).toBeCloseTo(-1, 6);
    opt.lr = 2; // multipliers still apply
    opt.step(ones);
    expect(s.get('a').data[0]).toBeCloseTo(-0.3, 6);
    expect(s.get('b').data[0]).toBeCloseTo(-3, 6);
  });

  it('setLrs sets groups explicitly until lr is assigned again', () => {
    const s = twoParams();
    const opt = sgd(s, { lr: 1, groups: [{ params: ['a'], lrMult: 0.1 }] });
    opt.setLrs([0.5, 0.25]);
    opt.step(ones);
    expect(s.get('a').data[0]).toBeCloseTo(-0.5, 6);
    expect(s.get('b').data[0]).toBeCloseTo(-0.25, 6);
    opt.setLrs(0.01); // one value for every group, multipliers ignored
    expect(opt.lrs()).toEqual([0.01, 0.01]);
    expect(opt.lr).toBe(0.01);
    opt.lr = 1;
    expect(opt.lrs()).toEqual([0.1, 1]);
    expect(() => opt.setLrs([1])).toThrow(/2 learning rates/);
    expect(() => opt.setLrs([1, Number.NaN])).toThrow(UsageError);
  });

  it('setMoms sets momentum per group', () => {
    const s = twoParams();
    const opt = sgd(s, { lr: 1, momentum: 0.5, groups: [{ params: ['a'] }] });
    opt.setMoms([0, 0.5]);
    opt.step(ones); // both: buf = 1, p = -1
    opt.step(ones); // a: buf = 1, p = -2; b: buf = 1.5, p = -2.5
    expect(s.get('a').data[0]).toBeCloseTo(-2, 6);
    expect(s.get('b').data[0]).toBeCloseTo(-2.5, 6);
    expect(opt.moms()).toEqual([0, 0.5]);
    expect(() => opt.setMoms([0.1])).toThrow(UsageError);
  });
});
