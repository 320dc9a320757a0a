import { fitRecommender } from '@collab-ts/models';
import type { FitContext, FitData, GradientTrainer } from '@collab-ts/models';
import type { Recommender } from '@collab-ts/core';
import { scheduleByName } from '@collab-ts/optim';
import type { Callback } from './callback.js';
import type { FitResult } from './learner.js';
import { Learner } from './learner.js';
import type { WdMode } from './weight-decay.js';

/** Options of {@link learnerTrainer}. */
export interface LearnerTrainerOptions {
  /** Extra callbacks for every fit (progress bars, early stopping, ...). */
  callbacks?: Callback[];
  /** Called with the learner and its result after each fit. */
  onFit?: (learner: Learner, result: FitResult) => void;
}

/**
 * The `GradientTrainer` that fits gradient families with a {@link Learner}: batch size, seed, epochs, rate,
 * weight decay and schedule from the family's resolved options (fastai chapter 8's recipe by default).
 */
export function learnerTrainer(extra: LearnerTrainerOptions = {}): GradientTrainer {
  return async (model, data, o) => {
    const learner = new Learner({ model, train: data.train, valid: data.valid ?? null, bs: o.bs as number, seed: (o.seed as number | undefined) ?? 42, callbacks: extra.callbacks });
    const epochs = o.epochs as number;
    const lr = o.lr as number;
    const fitOpts = { wd: o.wd as number, wdMode: o.wdMode as WdMode | undefined };
    let result: FitResult;
    const schedule = o.schedule as string;
    if (schedule === 'one-cycle') result = await learner.fitOneCycle(epochs, lr, fitOpts);
    else if (schedule === 'constant') result = await learner.fit(epochs, lr, fitOpts);
    else if (schedule === 'flat-cosine') result = await learner.fitFlatCos(epochs, lr, fitOpts);
    else result = await learner.fitSchedule(epochs, scheduleByName(schedule, { lr }), fitOpts);
    extra.onFit?.(learner, result);
  };
}

/**
 * Fits a recommender of any registered family: gradient families with a {@link Learner} (fastai's recipe
 * by default), the others with their own solvers.
 *
 * @example
 * const dot = await trainRecommender('dot-bias', { train, valid, nUsers, nItems }, { epochs: 5, lr: 5e-3, wd: 0.1 });
 * const ials = await trainRecommender('ials', { train, nUsers, nItems }, { factors: 64 });
 * ials.recommend(0, { k: 10 });
 */
export function trainRecommender(kind: string, data: FitData, options: Readonly<Record<string, unknown>> = {}, ctx: FitContext = {}): Promise<Recommender> {
  return fitRecommender(kind, data, options, { ...ctx, trainGradient: ctx.trainGradient ?? learnerTrainer() });
}
