import { takeRows, UsageError, type RatingColumns } from '@collab-ts/core';
import { columnsOf, type RatingsDataset, type Split } from '../dataset.js';

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
  const users = r.users;
  let nUsers = 0;
  for (let i = 0; i < n; i++) if (users[i] >= nUsers) nUsers = users[i] + 1;
  // counting sort by user (stable: positions ascend inside each group)
  const start = new Uint32Array(nUsers + 1);
  for (let i = 0; i < n; i++) start[users[i] + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const fill = start.slice(0, nUsers);
  const byUser = new Uint32Array(n);
  for (let i = 0; i < n; i++) byUser[fill[users[i]]++] = i;
  const isValid = new Uint8Array(n);
  let nValid = 0;
  for (let u = 0; u < nUsers; u++) {
    const lo = start[u];
    const hi = start[u + 1];
    const take = Math.min(k, hi - lo - 1);
    if (take <= 0) continue;
    // pick the `take` latest by (timestamp, position) with a partial selection (groups are small)
    const group = byUser.subarray(lo, hi);
    group.sort((a, b) => ts[a] - ts[b] || a - b);
    for (let j = hi - lo - take; j < hi - lo; j++) isValid[group[j]] = 1;
    nValid += take;
  }
  const train = new Uint32Array(n - nValid);
  const valid = new Uint32Array(nValid);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (isValid[i]) valid[b++] = i;
    else train[a++] = i;
  }
  return { name: `leave-last-${k}-out`, train: takeRows(r, train), valid: takeRows(r, valid) };
}
