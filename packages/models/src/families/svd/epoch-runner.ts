import type { RatingBlocks } from './rating-blocks.js';
import { sgdBlock } from './sgd-block.js';
import type { SvdStep, SvdTables } from './sgd-block.js';

/** Trains every block of the grid once per call. */
export interface EpochRunner {
  /** Threads it trains on. */
  readonly threads: number;
  /**
   * One epoch: each block once, taken in `blockOrder` (a permutation of the blocks) by one thread, or as
   * they come free by several. Resolves to the sum of squared errors before each update.
   */
  epoch(blockOrder: Int32Array, step: SvdStep): Promise<number>;
  /** Lets go of the tables (threads stay pooled for the next fit). */
  close(): void;
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
    close() {},
  };
}
