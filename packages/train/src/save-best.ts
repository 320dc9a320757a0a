import type { Callback, EpochInfo } from './callback.js';
import type { Learner } from './learner.js';

/**
 * Calls `save` whenever the validation loss reaches a new best (fastai's `SaveModelCallback`). The CLI
 * passes a function that writes the model directory atomically.
 */
export class SaveBest implements Callback {
  readonly name = 'save-best';
  private best = Infinity;
  /** Epoch of the best validation loss so far. */
  bestEpoch: number | null = null;
  constructor(private readonly save: (learner: Learner, info: EpochInfo) => void | Promise<void>) {}

  beforeFit(): void {
    this.best = Infinity;
    this.bestEpoch = null;
  }

  async afterEpoch(learner: Learner, info: EpochInfo): Promise<void> {
    if (info.validLoss === null || !(info.validLoss < this.best)) return;
    this.best = info.validLoss;
    this.bestEpoch = info.epoch;
    await this.save(learner, info);
  }
}
