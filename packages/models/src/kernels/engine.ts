import type { RatingBatch } from '@collab-ts/core';
import type { LossAndGrads, LossName, ResolvedBackend } from '../types.js';

/**
 * What one backend implements for one model: the model class validates inputs and delegates here.
 * Fused kernels and tfjs kernels are separate implementations of this interface behind the same model.
 */
export interface Engine {
  readonly backend: ResolvedBackend;
  /** Mean loss and gradients of the batch (indices already validated). */
  lossAndGrads(batch: RatingBatch, training: boolean, loss: LossName): LossAndGrads;
  /** Mean loss in eval mode. */
  evaluateLoss(batch: RatingBatch, loss: LossName): number;
  /** Eval-mode predictions into `out` (indices already validated). */
  predict(users: Int32Array, items: Int32Array, out: Float32Array): void;
  dispose(): void;
}
