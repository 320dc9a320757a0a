import { describe, expect, it } from 'vitest';
import { inlineRunner } from '@collab-ts/core';
import type { TaskRunner } from '@collab-ts/core';
import { generateSynthetic, randomSplit } from '@collab-ts/data';
import { fitRecommender } from '../../registry/fit.js';

function rmse(p: Float32Array, r: Float32Array): number {
  let s = 0;
  for (let j = 0; j < p.length; j++) s += (p[j] - r[j]) ** 2;
  return Math.sqrt(s / p.length);
}

describe('svd with a runner of several threads', () => {
  const { dataset } = generateSynthetic({ users: 300, items: 200, ratings: 20000, factors: 4, seed: 11, noise: 0.2 });
  const { train, valid } = randomSplit(dataset.ratings, { validPct: 0.2, seed: 2 });
  const data = { train, nUsers: 300, nItems: 200 };

  it('one thread gives the same digits for a seed; the block-claiming tasks of a threaded run reach the same quality', async () => {
    const opts = { factors: 16, epochs: 15, seed: 4, implicit: false }; // SVD++ trains on one thread
    const a = await fitRecommender('svd', data, opts);
    const b = await fitRecommender('svd', data, opts, { runner: inlineRunner });
    const pa = a.predict(valid.users, valid.items);
    expect(Array.from(pa)).toEqual(Array.from(b.predict(valid.users, valid.items)));
    // a runner that claims two threads and runs the tasks one after the other on this thread, last first: the
    // shared tables, the control words and the claiming loop are those of a threaded run (the CLI tests run the
    // same fit on real worker threads from the built package)
    const tasks: number[] = [];
    const two: TaskRunner = {
      threads: 2,
      async map<I, O>(task: string, inputs: readonly I[]): Promise<O[]> {
        tasks.push(inputs.length);
        return (await inlineRunner.map<I, O>(task, [...inputs].reverse())).reverse();
      },
    };
    const trainLoss: number[] = [];
    const c = await fitRecommender('svd', data, opts, { runner: two, epoch: (e) => trainLoss.push(e.trainLoss) });
    expect(tasks).toEqual(Array.from({ length: 15 }, () => 2));
    expect(trainLoss.length).toBe(15);
    expect(trainLoss[14]).toBeLessThan(trainLoss[0]);
    // with the claims made in one order (as here), the threaded path is as reproducible as one thread
    const again = await fitRecommender('svd', data, opts, { runner: two });
    expect(Array.from(again.predict(valid.users, valid.items))).toEqual(Array.from(c.predict(valid.users, valid.items)));
    expect((c.state().config as { options: { threads: number } }).options.threads).toBe(2);
    const one = rmse(pa, valid.ratings);
    const threaded = rmse(c.predict(valid.users, valid.items), valid.ratings);
    expect(one).toBeLessThan(0.5);
    expect(Math.abs(threaded - one)).toBeLessThan(0.02);
  });
});
