import { UsageError } from '@collab-ts/core';
import { checkFinite, checkPct, clampPct } from './schedule.js';
import type { Schedule } from './schedule.js';

/**
 * A piecewise-constant schedule: `values[i]` holds from `boundaries[i - 1]` (inclusive) up to
 * `boundaries[i]`, so `values` has one more entry than the increasing `boundaries` (given as progress in
 * [0, 1]).
 * @example step([1e-2, 1e-3, 1e-4], [0.5, 0.75]) // 1e-2 for the first half, 1e-3 up to 75%, then 1e-4
 */
export function step(values: number[], boundaries: number[]): Schedule {
  if (!Array.isArray(values) || !Array.isArray(boundaries) || values.length !== boundaries.length + 1) {
    throw new UsageError('step schedule needs one more value than boundaries');
  }
  values.forEach((v, i) => checkFinite(v, `step value ${i}`));
  boundaries.forEach((b, i) => {
    checkPct(b, `step boundary ${i}`);
    if (i > 0 && b < boundaries[i - 1]) throw new UsageError('step boundaries must be non-decreasing');
  });
  const vs = [...values];
  const bs = [...boundaries];
  return (pct) => {
    const x = clampPct(pct);
    let i = 0;
    while (i < bs.length && x >= bs[i]) i++;
    return vs[i];
  };
}
