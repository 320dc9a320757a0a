import { UsageError } from '@collab-ts/core';

/**
 * A schedule maps training progress `pct` (0 at the first step, 1 at the end) to a hyper-parameter value,
 * like fastai's annealers. The schedules in this package clamp `pct` to [0, 1].
 */
export type Schedule = (pct: number) => number;

/** A learning-rate schedule with an optional momentum schedule, as one-cycle and {@link scheduleByName} give. */
export interface SchedulePair {
  lr: Schedule;
  mom?: Schedule;
}

/** Clamps progress to [0, 1] (NaN becomes 0). */
export function clampPct(pct: number): number {
  return pct > 0 ? (pct < 1 ? pct : 1) : 0;
}

/** Throws a UsageError unless `v` is a finite number. */
export function checkFinite(v: number, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`${what} must be a finite number, got ${String(v)}`);
  return v;
}

/** Throws a UsageError unless `v` is a finite number in [0, 1]. */
export function checkPct(v: number, what: string): number {
  checkFinite(v, what);
  if (v < 0 || v > 1) throw new UsageError(`${what} must be in [0, 1], got ${v}`);
  return v;
}
