import { UsageError } from '@collab-ts/core';
import { combine } from './combine.js';
import { cosine, linear } from './curves.js';
import { checkFinite, checkPct } from './schedule.js';
import type { Schedule } from './schedule.js';

/** How long a warmup lasts: a share of training in [0, 1], or a number of steps out of a total. */
export type WarmupLength = number | { steps: number; totalSteps: number };

/** Options of {@link warmup}. */
export interface WarmupOptions {
  /** Value at the very start (default 0). */
  start?: number;
  /** Shape of the ramp (default `'linear'`). */
  curve?: 'linear' | 'cosine';
}

/** The warmup length as a share of training. */
export function warmupPct(length: WarmupLength): number {
  if (typeof length === 'number') return checkPct(length, 'warmup share');
  if (!length || typeof length !== 'object') throw new UsageError('warmup length must be a share in [0, 1] or { steps, totalSteps }');
  const { steps, totalSteps } = length;
  if (!Number.isInteger(totalSteps) || totalSteps <= 0) throw new UsageError(`warmup totalSteps must be an integer > 0, got ${totalSteps}`);
  if (!Number.isInteger(steps) || steps < 0 || steps > totalSteps) {
    throw new UsageError(`warmup steps must be an integer in [0, ${totalSteps}], got ${steps}`);
  }
  return steps / totalSteps;
}

/**
 * Ramps from `start` up to `then(0)` over the warmup, then runs `then` over the rest of training (its
 * progress 0..1 stretched over the remaining share).
 * @example warmup({ steps: 100, totalSteps: 1000 }, cosine(1e-2, 0)) // warmup-cosine
 */
export function warmup(length: WarmupLength, then: Schedule, opts: WarmupOptions = {}): Schedule {
  const w = warmupPct(length);
  if (typeof then !== 'function') throw new UsageError('warmup needs the schedule to run after it');
  const start = checkFinite(opts.start ?? 0, 'warmup start');
  const curve = opts.curve ?? 'linear';
  if (curve !== 'linear' && curve !== 'cosine') throw new UsageError(`warmup curve must be 'linear' or 'cosine', got ${String(curve)}`);
  if (w === 0) return then;
  const peak = then(0);
  const ramp = curve === 'linear' ? linear(start, peak) : cosine(start, peak);
  if (w === 1) return ramp;
  return combine([w, 1 - w], [ramp, then]);
}

/** {@link warmup} with a linear ramp. */
export function linearWarmup(length: WarmupLength, then: Schedule, opts: Omit<WarmupOptions, 'curve'> = {}): Schedule {
  return warmup(length, then, { ...opts, curve: 'linear' });
}
