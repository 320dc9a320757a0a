import { describe, expect, it } from 'vitest';
import { ParamStore, rowSize } from './params.js';
import { SparseRowAccumulator } from './sparse-accumulator.js';

describe('ParamStore', () => {
  it('adds, clones and copies parameters', () => {
    const s = new ParamStore();
    const p = s.add('u', [3, 2], undefined, { kind: 'embedding' });
    p.data[5] = 1.5;
    expect(rowSize(p)).toBe(2);
    const c = s.clone();
    p.data[5] = 0;
    expect(c.get('u').data[5]).toBe(1.5);
    s.copyFrom(c);
    expect(p.data[5]).toBe(1.5);
    expect(() => s.add('u', [1])).toThrow(/already exists/);
    expect(() => s.add('w', [2, 2], new Float32Array(3))).toThrow(/3 values/);
  });
});

describe('SparseRowAccumulator', () => {
  it('sums duplicate rows into one slot and clears only touched rows on reset', () => {
    const acc = new SparseRowAccumulator(10, 2, 1);
    let o = acc.slot(7);
    acc.buffer[o] += 1;
    o = acc.slot(3);
    acc.buffer[o + 1] += 2;
    o = acc.slot(7);
    acc.buffer[o] += 4;
    const g = acc.result();
    expect(g.count).toBe(2);
    expect(Array.from(g.rows.slice(0, 2))).toEqual([7, 3]);
    expect(Array.from(g.values.slice(0, 4))).toEqual([5, 0, 0, 2]);
    acc.reset();
    expect(acc.count).toBe(0);
    o = acc.slot(3);
    expect(acc.buffer[o + 1]).toBe(0);
  });
});
