import type { Callback, EpochInfo, StepInfo } from './callback.js';

/**
 * Records the loss, learning rate and momentum of every step and the figures of every epoch (fastai's
 * `Recorder`). Every {@link Learner} has one as `learner.recorder`.
 */
export class Recorder implements Callback {
  readonly name = 'recorder';
  readonly losses: number[] = [];
  readonly lrs: number[] = [];
  readonly moms: number[] = [];
  readonly epochs: EpochInfo[] = [];

  afterStep(_learner: unknown, info: StepInfo): void {
    this.losses.push(info.loss);
    this.lrs.push(info.lr);
    this.moms.push(info.mom);
  }

  afterEpoch(_learner: unknown, info: EpochInfo): void {
    this.epochs.push(info);
  }

  /** Forgets everything recorded (a new fit starts a new record). */
  reset(): void {
    this.losses.length = 0;
    this.lrs.length = 0;
    this.moms.length = 0;
    this.epochs.length = 0;
  }
}
