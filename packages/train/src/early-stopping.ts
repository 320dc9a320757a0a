import type { Callback, EpochInfo } from './callback.js';
import type { Learner } from './learner.js';

/** Options for {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  patience?: number;
  /** Smallest decrease of the validation loss that counts as improvement. */
  minDelta?: number;
}

/** Stops the fit when the validation loss has not improved for `patience` epochs (fastai's `EarlyStoppingCallback`). */
export class EarlyStopping implements Callback {
  readonly name = 'early-stopping';
  private best = Infinity;
  private wait = 0;
  private readonly patience: number;
  private readonly minDelta: number;
  /** Epoch at which the fit was stopped, if it was. */
  stoppedAt: number | null = null;

  constructor(opts: EarlyStoppingOptions = {}) {
    this.patience = opts.patience ?? 1;
    this.minDelta = opts.minDelta ?? 0;
  }

  beforeFit(): void {
    this.best = Infinity;
    this.wait = 0;
    this.stoppedAt = null;
  }

  afterEpoch(learner: Learner, info: EpochInfo): void {
    if (info.validLoss === null) return;
    if (info.validLoss < this.best - this.minDelta) {
      this.best = info.validLoss;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      learner.stopRequested = true;
      this.stoppedAt = info.epoch;
    }
  }
}
