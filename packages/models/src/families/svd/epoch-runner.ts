import type { TaskRunner } from '@collab-ts/core';
import type { RatingBlocks } from './rating-blocks.js';
import { sgdBlock } from './sgd-block.js';
import type { SvdStep, SvdTables } from './sgd-block.js';
import { controlWords, CTL } from './svd-tasks.js';
import type { TrainBlocksInput } from './svd-tasks.js';

/** Trains every block of the grid once per call. */
export interface EpochRunner {
  /** Threads it trains on. */
  readonly threads: number;
  /**
   * One epoch: each block once, taken in `blockOrder` (a permutation of the blocks) by one thread, or as
   * they come free by several. Resolves to the sum of squared errors before each update.
   */
  epoch(blockOrder: Int32Array, step: SvdStep): Promise<number>;
}

/**
 * One thread: the blocks one after the other in the given order, so a seed gives the same digits on every
 * run. Works everywhere (browsers included).
 */
export function sequentialRunner(tables: SvdTables, blocks: RatingBlocks): EpochRunner {
  return {
    threads: 1,
    async epoch(blockOrder, step) {
      let sse = 0;
      const off = blocks.offsets;
      for (let k = 0; k < blockOrder.length; k++) {
        const b = blockOrder[k];
        sse += sgdBlock(tables, blocks, off[b], off[b + 1], step);
      }
      return sse;
    },
  };
}

/**
 * `runner.threads` threads (a `WorkerPool` from `@collab-ts/core/node`): each epoch runs one `svd.trainBlocks`
 * task per thread, and the tasks claim blocks whose user and item groups no other thread holds (LibMF's
 * scheduling), so no row is ever updated by two threads at once. `tables` and `blocks` must be in shared
 * memory. The result equals one thread training the blocks in the order they were claimed, which depends on
 * timing: digits vary between runs, the quality does not.
 */
export function threadedRunner(tables: SvdTables, blocks: RatingBlocks, runner: TaskRunner): EpochRunner {
  const g = blocks.grid;
  const nb = g * g;
  const ctl = new Int32Array(new SharedArrayBuffer(4 * controlWords(g)));
  let epoch = 0;
  return {
    threads: runner.threads,
    async epoch(blockOrder, step) {
      epoch++;
      ctl.set(blockOrder, CTL.head + 2 * g + nb);
      Atomics.store(ctl, CTL.left, nb);
      Atomics.store(ctl, CTL.epoch, epoch);
      const input: TrainBlocksInput = { ctl, tables, blocks, epoch, step };
      const parts = await runner.map<TrainBlocksInput, number>('svd.trainBlocks', Array.from({ length: runner.threads }, () => input));
      // the lock word orders the workers' table writes before this thread's reads
      Atomics.load(ctl, CTL.lock);
      let sse = 0;
      for (const s of parts) sse += s;
      return sse;
    },
  };
}
