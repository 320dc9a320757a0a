import type { FactorTables } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import type { Vocabulary } from '@collab-ts/core';

/** One item and its learned bias. */
export interface ItemBiasEntry {
  index: number;
  /** Raw item id from the vocabulary. */
  id: string;
  /** Title when the vocabulary has titles, else the raw id. */
  title: string;
  bias: number;
}

/**
 * The `n` items with the lowest and the highest learned bias: fastai chapter 8's "movies people dislike
 * even when they match their tastes" and the reverse. `lowest` is ascending, `highest` descending; equal
 * biases are ordered by item index.
 * @throws UsageError when the model has no item biases, or the vocabulary size differs from the table.
 */
export function itemBiasExtremes(factors: FactorTables, items: Vocabulary, n: number): { lowest: ItemBiasEntry[]; highest: ItemBiasEntry[] } {
  const b = factors.itemBias;
  if (!b) throw new UsageError('itemBiasExtremes: this model has no item biases');
  if (b.length !== items.size) throw new UsageError(`itemBiasExtremes: ${b.length} item biases but ${items.size} items in the vocabulary`);
  if (!Number.isInteger(n) || n < 0) throw new UsageError('itemBiasExtremes: n must be a non-negative integer');
  const order = Array.from({ length: b.length }, (_, i) => i).sort((x, y) => b[x] - b[y] || x - y);
  const entry = (i: number): ItemBiasEntry => ({ index: i, id: items.decode(i), title: items.title(i), bias: b[i] });
  const m = Math.min(n, b.length);
  const highest = Array.from({ length: b.length }, (_, i) => i)
    .sort((x, y) => b[y] - b[x] || x - y)
    .slice(0, m)
    .map(entry);
  return { lowest: order.slice(0, m).map(entry), highest };
}
