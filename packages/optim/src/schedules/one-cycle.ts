import { UsageError } from '@collab-ts/core';
import { combine } from './combine.js';
import { cosine } from './curves.js';
import { checkPct } from './schedule.js';
import type { Schedule } from './schedule.js';

/** Options of {@link oneCycle}; the defaults are fastai's `fit_one_cycle`. */
export interface OneCycleOptions {
  /** Peak learning rate. */
  lrMax: number;
  /** Share of training spent rising to the peak (default 0.25). */
  pctStart?: number;
  /** The start is `lrMax / div` (default 25). */
  div?: number;
  /** The end is `lrMax / divFinal` (default 1e5). */
  divFinal?: number;
  /** Momentum at the start, at the peak and at the end (default [0.95, 0.85, 0.95]). */
  moms?: [number, number, number];
}

/** One-cycle's learning-rate and momentum schedules. */
export interface OneCycle {
  lr: Schedule;
  mom: Schedule;
}

/**
 * fastai's `fit_one_cycle` schedules: the learning rate follows a cosine from `lrMax / div` up to `lrMax`
 * over the first `pctStart` of training, then a cosine down to `lrMax / divFinal`; momentum follows a cosine
 * from `moms[0]` down to `moms[1]` and back up to `moms[2]` over the same two phases.
 */
export function oneCycle(opts: OneCycleOptions): OneCycle {
  const { lrMax, pctStart = 0.25, div = 25, divFinal = 1e5, moms = [0.95, 0.85, 0.95] } = opts ?? ({} as OneCycleOptions);
  if (typeof lrMax !== 'number' || !Number.isFinite(lrMax) || lrMax <= 0) throw new UsageError(`oneCycle lrMax must be a number > 0, got ${String(lrMax)}`);
  checkPct(pctStart, 'oneCycle pctStart');
  if (!(div > 0) || !Number.isFinite(div)) throw new UsageError(`oneCycle div must be > 0, got ${div}`);
  if (!(divFinal > 0) || !Number.isFinite(divFinal)) throw new UsageError(`oneCycle divFinal must be > 0, got ${divFinal}`);
  if (!Array.isArray(moms) || moms.length !== 3 || moms.some((m) => !Number.isFinite(m))) {
    throw new UsageError('oneCycle moms must be three numbers [start, middle, end]');
  }
  const phases = [pctStart, 1 - pctStart];
  return {
    lr: combine(phases, [cosine(lrMax / div, lrMax), cosine(lrMax, lrMax / divFinal)]),
    mom: combine(phases, [cosine(moms[0], moms[1]), cosine(moms[1], moms[2])]),
  };
}
