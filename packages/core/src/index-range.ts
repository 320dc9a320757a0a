import { UsageError } from './errors.js';

/**
 * A user or item index outside a model's or matrix's tables. A usage error (exit code 2): indices come
 * from the caller, and a vocabulary never produces one out of range. Extends `UsageError`, so code that
 * catches usage errors catches it too.
 */
export class IndexRangeError extends UsageError {
  readonly position: number;
  readonly index: number;
  constructor(message: string, position: number, index: number) {
    super(message);
    this.position = position;
    this.index = index;
  }
}

/**
 * The one index-range check: throws an {@link IndexRangeError} naming the first user (row) or item
 * (column) index outside `[0, nUsers) x [0, nItems)`, and a `RangeError`-style message when the two
 * columns differ in length.
 * @param what the caller's name, prefixed to messages
 * @param names what the two index columns are called in messages (default user, item)
 */
export function checkIndexRange(
  users: ArrayLike<number>,
  items: ArrayLike<number>,
  nUsers: number,
  nItems: number,
  what: string,
  names: readonly [string, string] = ['user', 'item'],
): void {
  if (users.length !== items.length) {
    throw new IndexRangeError(`${what}: ${names[0]}s and ${names[1]}s must have the same length (got ${users.length} and ${items.length})`, -1, -1);
  }
  for (let b = 0; b < users.length; b++) {
    const u = users[b];
    const i = items[b];
    if (!(u >= 0 && u < nUsers) || !Number.isInteger(u)) {
      throw new IndexRangeError(`${what}: ${names[0]} index ${u} (position ${b}) is out of range: there are ${nUsers} ${names[0]}s, 0..${nUsers - 1}`, b, u);
    }
    if (!(i >= 0 && i < nItems) || !Number.isInteger(i)) {
      throw new IndexRangeError(`${what}: ${names[1]} index ${i} (position ${b}) is out of range: there are ${nItems} ${names[1]}s, 0..${nItems - 1}`, b, i);
    }
  }
}

/** Throws an {@link IndexRangeError} unless `index` is an integer in `[0, n)`. */
export function checkIndex(index: number, n: number, what: string, name = 'item'): void {
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new IndexRangeError(`${what}: ${name} index ${index} is out of range: there are ${n} ${name}s, 0..${n - 1}`, 0, index);
  }
}
