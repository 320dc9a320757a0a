import { UsageError } from '@collab-ts/core';
import { constant, cosine } from './curves.js';
import { flatCosine } from './flat-cosine.js';
import { oneCycle } from './one-cycle.js';
import type { SchedulePair } from './schedule.js';
import { step } from './step.js';
import { warmup } from './warmup.js';
import type { WarmupLength } from './warmup.js';

/** Names {@link scheduleByName} knows, as the CLI spells them. */
export const scheduleNames = ['one-cycle', 'constant', 'cosine', 'flat-cosine', 'step', 'warmup-cosine'] as const;

/** One of {@link scheduleNames}. */
export type ScheduleName = (typeof scheduleNames)[number];

/** Options of {@link scheduleByName}; each schedule reads the ones it needs. */
export interface NamedScheduleOptions {
  /** The learning rate: the peak for one-cycle and warmup-cosine, the start for cosine and step. */
  lr: number;
  /** one-cycle: share rising (default 0.25); flat-cosine: share flat (default 0.75). */
  pctStart?: number;
  /** one-cycle: start at `lr / div` (default 25). */
  div?: number;
  /** one-cycle, cosine, flat-cosine, warmup-cosine: end at `lr / divFinal` (default 1e5). */
  divFinal?: number;
  /** one-cycle: momentum start, middle, end (default [0.95, 0.85, 0.95]). */
  moms?: [number, number, number];
  /** step: boundaries as progress (default [0.5, 0.75]). */
  boundaries?: number[];
  /** step: values (default `lr * gamma^i`). */
  values?: number[];
  /** step: factor between successive values when `values` is not given (default 0.1). */
  gamma?: number;
  /** warmup-cosine: warmup length, a share or `{ steps, totalSteps }` (default 0.1). */
  warmup?: WarmupLength;
}

/**
 * Builds a schedule from its CLI name:
 * - `one-cycle`: {@link oneCycle} (learning rate and momentum);
 * - `constant`: `lr` throughout;
 * - `cosine`: cosine from `lr` down to `lr / divFinal`;
 * - `flat-cosine`: {@link flatCosine};
 * - `step`: `values` (or `lr`, `lr * gamma`, ...) changing at `boundaries`;
 * - `warmup-cosine`: linear warmup from 0 to `lr`, then cosine down to `lr / divFinal`.
 * @throws UsageError for an unknown name or bad options.
 */
export function scheduleByName(name: string, opts: NamedScheduleOptions): SchedulePair {
  if (!opts || typeof opts.lr !== 'number' || !Number.isFinite(opts.lr) || opts.lr <= 0) {
    throw new UsageError(`schedule ${name}: lr must be a number > 0, got ${String(opts?.lr)}`);
  }
  const { lr } = opts;
  const divFinal = opts.divFinal ?? 1e5;
  switch (name as ScheduleName) {
    case 'one-cycle':
      return oneCycle({ lrMax: lr, pctStart: opts.pctStart, div: opts.div, divFinal: opts.divFinal, moms: opts.moms });
    case 'constant':
      return { lr: constant(lr) };
    case 'cosine':
      return { lr: cosine(lr, lr / divFinal) };
    case 'flat-cosine':
      return { lr: flatCosine({ lr, pctStart: opts.pctStart, divFinal: opts.divFinal }) };
    case 'step': {
      const boundaries = opts.boundaries ?? [0.5, 0.75];
      const gamma = opts.gamma ?? 0.1;
      const values = opts.values ?? Array.from({ length: boundaries.length + 1 }, (_, i) => lr * Math.pow(gamma, i));
      return { lr: step(values, boundaries) };
    }
    case 'warmup-cosine':
      return { lr: warmup(opts.warmup ?? 0.1, cosine(lr, lr / divFinal)) };
    default:
      throw new UsageError(`unknown schedule ${JSON.stringify(name)}; expected one of ${scheduleNames.join(', ')}`);
  }
}
