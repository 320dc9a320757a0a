import { UsageError } from '@collab-ts/core';
import { checkPct, clampPct } from './schedule.js';
import type { Schedule } from './schedule.js';

/**
 * Chains schedules (fastai `combine_scheds`): `scheds[i]` runs over a share `pcts[i]` of training, seeing its
 * own progress from 0 to 1 there. The shares must add up to 1.
 * @example combine([0.25, 0.75], [cosine(1e-4, 1e-2), cosine(1e-2, 1e-7)]) // one-cycle's lr curve
 */
export function combine(pcts: number[], scheds: Schedule[]): Schedule {
  if (!Array.isArray(pcts) || !Array.isArray(scheds) || pcts.length !== scheds.length || pcts.length === 0) {
    throw new UsageError('combine needs as many shares as schedules (at least one)');
  }
  pcts.forEach((p, i) => checkPct(p, `combine share ${i}`));
  const total = pcts.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-9) throw new UsageError(`combine shares must add up to 1, got ${total}`);
  const starts = [0];
  for (const p of pcts) starts.push(starts[starts.length - 1] + p);
  starts[starts.length - 1] = 1;
  const fs = [...scheds];
  const last = fs.length - 1;
  return (pct) => {
    const x = clampPct(pct);
    // the last segment whose start is <= x (zero-width segments are skipped), as fastai picks it
    let i = last;
    while (i > 0 && starts[i] > x) i--;
    const width = starts[i + 1] - starts[i];
    return fs[i](width > 0 ? (x - starts[i]) / width : 1);
  };
}
