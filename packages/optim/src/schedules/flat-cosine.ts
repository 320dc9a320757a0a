import { UsageError } from '@collab-ts/core';
import { combine } from './combine.js';
import { constant, cosine } from './curves.js';
import { checkPct } from './schedule.js';
import type { Schedule } from './schedule.js';

/** Options of {@link flatCosine}; the defaults are fastai's `fit_flat_cos`. */
export interface FlatCosineOptions {
  /** Learning rate of the flat part. */
  lr: number;
  /** Share of training at the flat `lr` (default 0.75). */
  pctStart?: number;
  /** The end is `lr / divFinal` (default 1e5). */
  divFinal?: number;
}

/** fastai's `fit_flat_cos` learning rate: flat at `lr` for `pctStart` of training, then a cosine down to `lr / divFinal`. */
export function flatCosine(opts: FlatCosineOptions): Schedule {
  const { lr, pctStart = 0.75, divFinal = 1e5 } = opts ?? ({} as FlatCosineOptions);
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) throw new UsageError(`flatCosine lr must be a number > 0, got ${String(lr)}`);
  checkPct(pctStart, 'flatCosine pctStart');
  if (!(divFinal > 0) || !Number.isFinite(divFinal)) throw new UsageError(`flatCosine divFinal must be > 0, got ${divFinal}`);
  return combine([pctStart, 1 - pctStart], [constant(lr), cosine(lr, lr / divFinal)]);
}
