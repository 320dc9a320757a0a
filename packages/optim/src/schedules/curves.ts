import { UsageError } from '@collab-ts/core';
import { checkFinite, clampPct } from './schedule.js';
import type { Schedule } from './schedule.js';

/** The same value at every point (fastai `SchedNo`). */
export function constant(v: number): Schedule {
  checkFinite(v, 'constant value');
  return () => v;
}

/** Straight line from `a` at 0 to `b` at 1 (fastai `SchedLin`). */
export function linear(a: number, b: number): Schedule {
  checkFinite(a, 'linear start');
  checkFinite(b, 'linear end');
  return (pct) => a + clampPct(pct) * (b - a);
}

/** Half a cosine from `a` at 0 to `b` at 1, flat at both ends (fastai `SchedCos`). */
export function cosine(a: number, b: number): Schedule {
  checkFinite(a, 'cosine start');
  checkFinite(b, 'cosine end');
  return (pct) => a + ((1 + Math.cos(Math.PI * (1 - clampPct(pct)))) * (b - a)) / 2;
}

/** Geometric interpolation `a * (b / a)^pct` (fastai `SchedExp`); `a` and `b` must be > 0. */
export function exponential(a: number, b: number): Schedule {
  checkFinite(a, 'exponential start');
  checkFinite(b, 'exponential end');
  if (!(a > 0 && b > 0)) throw new UsageError(`exponential schedule needs start and end > 0, got ${a} and ${b}`);
  const ratio = b / a;
  return (pct) => a * Math.pow(ratio, clampPct(pct));
}

/** `a + (b - a) * pct^power` (fastai `SchedPoly`); `power` must be > 0. */
export function polynomial(a: number, b: number, power: number): Schedule {
  checkFinite(a, 'polynomial start');
  checkFinite(b, 'polynomial end');
  if (!(power > 0) || !Number.isFinite(power)) throw new UsageError(`polynomial power must be > 0, got ${power}`);
  return (pct) => a + (b - a) * Math.pow(clampPct(pct), power);
}
