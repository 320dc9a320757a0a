import { describe, expect, it } from 'vitest';
import { ParamStore, UsageError, createRng } from '@collab-ts/core';
import type { Gradients } from '@collab-ts/core';
import { adam } from './adam.js';
import { sgd } from './sgd.js';
import type { Optimizer } from './types.js';
import { randomRows } from './test-helpers.js';

function model(): ParamStore {
  const rng = createRng(21);
  const s = new ParamStore();
  s.add('users', [10, 3], Float32Array.from({ length: 30 }, () => rng.normal()), { kind: 'embedding' });
  s.add('bias', [10], Float32Array.from({ length: 10 }, () => rng.normal()), { kind: 'embedding', decay: false });
  s.add('w', [2, 3], Float32Array.from({ length: 6 }, () => rng.normal()), { kind: 'dense' });
  return s;
}

function batch(seed: number): Gradients {
  const rng = createRng(seed);
  const rows = Int32Array.from(randomRows(rng, 10, 4));
  return new Map([
    ['users', { kind: 'sparse' as const, rows, values: Float32Array.from({ length: 12 }, () => rng.normal()), count: 4 }],
    ['bias', { kind: 'sparse' as const, rows, values: Float32Array.from({ length: 4 }, () => rng.normal()), count: 4 }],
    ['w', { kind: 'dense' as const, values: Float32Array.from({ length: 6 }, () => rng.normal()) }],
  ]);
}

const builders: [string, (s: ParamStore) => Optimizer][] = [
  ['adam', (s) => adam(s, { lr: 0.01, wd: 0.1, groups: [{ params: ['w'], lrMult: 0.5 }] })],
  ['sgd', (s) => sgd(s, { lr: 0.05, momentum: 0.9, wd: 0.1, groups: [{ params: ['w'], lrMult: 0.5 }] })],
];

describe('state() / loadState()', () => {
  for (const [name, build] of builders) {
    it(`${name}: a run restored from a checkpoint continues identically`, () => {
      const a = model();
      const oa = build(a);
      for (let t = 0; t < 7; t++) {
        oa.mom = 0.9 - t * 0.01;
        oa.step(batch(t));
      }
      oa.setLrs([0.02, 0.03]);
      const st = oa.state(); // flushes
      const saved = a.clone();

      const b = saved;
      const ob = build(b);
      ob.lr = 123; // overwritten by the checkpoint
      ob.loadState(st);
      expect(ob.lr).toBe(oa.lr);
      expect(ob.mom).toBe(oa.mom);
      expect(ob.stepCount).toBe(7);
      for (let t = 7; t < 15; t++) {
        oa.step(batch(t));
        ob.step(batch(t));
      }
      oa.flush();
      ob.flush();
      for (const p of a.list()) expect(b.get(p.name).data).toEqual(p.data);
      expect(ob.state()).toEqual(oa.state());
    });
  }

  it('rejects a checkpoint of another kind or shape', () => {
    const st = adam(model(), { lr: 0.01 }).state();
    expect(() => sgd(model(), { lr: 0.1, momentum: 0.9 }).loadState(st)).toThrow(UsageError);
    const other = new ParamStore();
    other.add('users', [11, 3], undefined, { kind: 'embedding' });
    other.add('bias', [10], undefined, { kind: 'embedding' });
    other.add('w', [2, 3]);
    expect(() => adam(other, { lr: 0.01 }).loadState(st)).toThrow(/users\.m/);
    expect(() => adam(model(), { lr: 0.01, groups: [{ params: ['w'] }] }).loadState(st)).toThrow(/groups/);
  });

  it('zeroState makes the optimizer behave like a fresh one', () => {
    const a = model();
    const oa = adam(a, { lr: 0.01 });
    for (let t = 0; t < 5; t++) oa.step(batch(t));
    oa.zeroState();
    const b = a.clone();
    const ob = adam(b, { lr: 0.01 });
    for (let t = 5; t < 9; t++) {
      oa.step(batch(t));
      ob.step(batch(t));
    }
    oa.flush();
    ob.flush();
    for (const p of a.list()) expect(b.get(p.name).data).toEqual(p.data);
  });
});
