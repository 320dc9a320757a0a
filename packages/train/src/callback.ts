import type { Learner } from './learner.js';

/** What a callback sees after each optimisation step. */
export interface StepInfo {
  readonly epoch: number;
  /** Global step index since the start of the fit (0-based). */
  readonly step: number;
  /** Batch index within the epoch. */
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly lr: number;
  readonly mom: number;
}

/** What a callback sees at the end of each epoch. */
export interface EpochInfo {
  readonly epoch: number;
  readonly epochs: number;
  readonly trainLoss: number;
  readonly validLoss: number | null;
  readonly metrics: ValidMetrics | null;
  readonly seconds: number;
}

/** Validation figures computed at the end of every epoch. */
export interface ValidMetrics {
  readonly mse: number;
  readonly rmse: number;
  readonly mae: number;
}

/** What a callback sees before a fit starts. */
export interface FitInfo {
  readonly epochs: number;
  readonly startEpoch: number;
  readonly stepsPerEpoch: number;
}

/**
 * A hook into the training loop (fastai's `Callback`). Every method is optional. Setting
 * `learner.stopRequested = true` ends the fit after the current epoch.
 */
export interface Callback {
  readonly name: string;
  beforeFit?(learner: Learner, info: FitInfo): void;
  beforeEpoch?(learner: Learner, epoch: number): void;
  afterStep?(learner: Learner, info: StepInfo): void;
  afterEpoch?(learner: Learner, info: EpochInfo): void | Promise<void>;
  afterFit?(learner: Learner): void;
}
