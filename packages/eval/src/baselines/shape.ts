import type { RatingColumns } from '@collab-ts/core';
import { UsageError, checkIndexRange } from '@collab-ts/core';
import { checkColumns, countFromIndex } from '../validate.js';

/** The index space of a baseline: how many users and items it scores (default: largest train index + 1). */
export interface BaselineShape {
  nUsers?: number;
  nItems?: number;
}

/** Resolves and validates a baseline's shape against its training columns. @internal */
export function resolveShape(train: RatingColumns, shape: BaselineShape, what: string): { nUsers: number; nItems: number } {
  const nUsers = shape.nUsers ?? countFromIndex(train.users);
  const nItems = shape.nItems ?? countFromIndex(train.items);
  if (!Number.isInteger(nUsers) || nUsers < 0 || !Number.isInteger(nItems) || nItems < 0) {
    throw new UsageError(`${what}: nUsers and nItems must be non-negative integers`);
  }
  checkColumns(train, nUsers, nItems, what);
  return { nUsers, nItems };
}

/** The mean rating of a training set. @throws UsageError when it is empty. @internal */
export function globalMean(train: RatingColumns, what: string): number {
  const n = train.ratings.length;
  if (n === 0) throw new UsageError(`${what}: the training set is empty`);
  let s = 0;
  for (let i = 0; i < n; i++) s += train.ratings[i];
  return s / n;
}

/** Per-index rating sums and counts. @internal */
export function groupSums(index: Int32Array, ratings: Float32Array, size: number, offset = 0): { sum: Float64Array; count: Int32Array } {
  const sum = new Float64Array(size);
  const count = new Int32Array(size);
  for (let i = 0; i < index.length; i++) {
    sum[index[i]] += ratings[i] - offset;
    count[index[i]]++;
  }
  return { sum, count };
}

/** Checks that a predict call's inputs are equal-length and in range. @internal */
export function checkPairs(users: Int32Array, items: Int32Array, nUsers: number, nItems: number, what: string): void {
  checkIndexRange(users, items, nUsers, nItems, `${what}.predict`);
}
