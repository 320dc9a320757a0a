import { createRng } from '@collab-ts/core';
import type { Rng } from '@collab-ts/core';

/** The dropout RNG of an `embedding-nn` model: derived from the model seed, separate from the init stream. */
export function nnDropoutRng(seed: number): Rng {
  return createRng(seed).fork(1);
}

/**
 * Fills `mask[0..n)` with inverted-dropout scales: 0 with probability `p`, else `1 / (1 - p)` (PyTorch's
 * `nn.Dropout`). Both engines draw masks in the same order (embeddings, then each layer) from the same RNG,
 * so fused and tfjs runs of one seed drop the same units.
 */
export function dropoutMask(rng: Rng, mask: Float64Array | Float32Array, n: number, p: number): void {
  const keep = 1 / (1 - p);
  for (let e = 0; e < n; e++) mask[e] = rng.next() < p ? 0 : keep;
}
