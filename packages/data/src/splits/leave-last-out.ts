import { groupRows, UsageError, type RatingColumns } from '@collab-ts/core';
import { columnsOf, type RatingsDataset, type Split } from '../dataset.js';
import { splitByMask } from './mask-split.js';

/** Options of {@link leaveLastOut}. */
export interface LeaveLastOutOptions {
  /** How many of each user's latest ratings to hold out (default 1). */
  k?: number;
}

/**
 * Temporal per-user split: each user's last `k` ratings by timestamp go to validation (ties broken by
 * position: the later row counts as later). A user always keeps at least one rating in training, so a user
 * with `n <= k` ratings contributes `n - 1` to validation. Needs timestamps.
 */
export function leaveLastOut(data: RatingsDataset | RatingColumns, options: LeaveLastOutOptions = {}): Split {
  const k = options.k ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`k must be a positive integer, got ${k}`);
  const r = columnsOf(data);
  const ts = r.timestamps;
  if (!ts) throw new UsageError('leaveLastOut needs timestamps, and these ratings have none');
  const n = r.ratings.length;
  const { start, rows: byUser } = groupRows(r.users);
  const nUsers = start.length - 1;
  const isValid = new Uint8Array(n);
  for (let u = 0; u < nUsers; u++) {
    const lo = start[u];
    const hi = start[u + 1];
    const take = Math.min(k, hi - lo - 1);
    if (take <= 0) continue;
    // pick the `take` latest by (timestamp, position) with a partial selection (groups are small)
    const group = byUser.subarray(lo, hi);
    group.sort((a, b) => ts[a] - ts[b] || a - b);
    for (let j = hi - lo - take; j < hi - lo; j++) isValid[group[j]] = 1;
  }
  return splitByMask(r, isValid, `leave-last-${k}-out`);
}
