// The worker task of svd's threaded epochs (LibMF's block scheduling). This module is a build entry of its own
// (dist/svd-tasks.js), the file pool workers import; one-thread runs call the same function inline.
import type { RatingBlocks } from './rating-blocks.js';
import { sgdBlock } from './sgd-block.js';
import type { SvdStep, SvdTables } from './sgd-block.js';

/**
 * Layout of the shared control words (Int32): the lock, the epoch, the number of unclaimed blocks, a release
 * counter, then the busy flags of the user groups and of the item groups, each block's last epoch, and the
 * epoch's block order.
 */
export const CTL = { lock: 0, epoch: 1, left: 2, releases: 3, head: 4 } as const;

/** Int32 words of the control array for a `grid` x `grid` grid. */
export const controlWords = (grid: number): number => CTL.head + 2 * grid + 2 * grid * grid;

/** One thread's share of an epoch: the shared tables, blocks and control words, and the epoch's step. */
export interface TrainBlocksInput {
  readonly ctl: Int32Array;
  readonly tables: SvdTables;
  readonly blocks: RatingBlocks;
  readonly epoch: number;
  readonly step: SvdStep;
}

/**
 * The loop each worker runs for an epoch: claim a free block under the lock (the first of the epoch's
 * order whose user and item groups are idle), train it with the same kernel as one thread does, free its
 * groups, repeat until no block is left. Several threads run it at once on the same control words; the lock
 * (an Atomics compare-exchange) orders each thread's table writes before the next claim of the same rows.
 */
export function trainClaimedBlocks(input: TrainBlocksInput): number {
  const { ctl, tables, blocks, epoch, step } = input;
  const g = blocks.grid;
  const nb = g * g;
  const row = CTL.head;
  const col = CTL.head + g;
  const claim = CTL.head + 2 * g;
  const order = CTL.head + 2 * g + nb;
  const off = blocks.offsets;
  let sse = 0;
  for (;;) {
    while (Atomics.compareExchange(ctl, CTL.lock, 0, 1) !== 0) {
      // the lock is held for one short scan: spin
    }
    if (ctl[CTL.left] === 0) {
      Atomics.store(ctl, CTL.lock, 0);
      break;
    }
    let pick = -1;
    for (let k = 0; k < nb; k++) {
      const b = ctl[order + k];
      if (ctl[claim + b] === epoch) continue;
      const a = (b / g) | 0;
      if (ctl[row + a] === 0 && ctl[col + b - a * g] === 0) {
        pick = b;
        break;
      }
    }
    const a = (pick / g) | 0;
    const c = pick - a * g;
    if (pick >= 0) {
      ctl[claim + pick] = epoch;
      ctl[row + a] = 1;
      ctl[col + c] = 1;
      ctl[CTL.left]--;
    }
    const seen = Atomics.load(ctl, CTL.releases);
    Atomics.store(ctl, CTL.lock, 0);
    if (pick < 0) {
      // every unclaimed block shares a group with a running one: wait for a release
      Atomics.wait(ctl, CTL.releases, seen, 10);
      continue;
    }
    sse += sgdBlock(tables, blocks, off[pick], off[pick + 1], step);
    while (Atomics.compareExchange(ctl, CTL.lock, 0, 1) !== 0) {
      // spin
    }
    ctl[row + a] = 0;
    ctl[col + c] = 0;
    Atomics.add(ctl, CTL.releases, 1);
    Atomics.store(ctl, CTL.lock, 0);
    Atomics.notify(ctl, CTL.releases);
  }
  return sse;
}

/** The task table workers import (see core's `registerWorkerTasks`). */
export const tasks = {
  'svd.trainBlocks': (input: TrainBlocksInput): number => trainClaimedBlocks(input),
};
