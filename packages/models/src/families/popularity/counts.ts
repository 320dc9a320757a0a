import type { RatingColumns } from '@collab-ts/core';

/**
 * Each item's popularity in the training interactions: how many interactions it has, or with
 * `sumStrengths` the sum of their strengths. Counts are exact in float32 up to 2^24 per item.
 */
export function popularityScores(train: RatingColumns, nItems: number, sumStrengths = false): Float32Array {
  const acc = new Float64Array(nItems);
  const { items, ratings } = train;
  if (sumStrengths) for (let k = 0; k < items.length; k++) acc[items[k]] += ratings[k];
  else for (let k = 0; k < items.length; k++) acc[items[k]]++;
  return Float32Array.from(acc);
}
