/**
 * `@collab-ts/train`: the training loop of collab-ts: a {@link Learner} with `fit`, `fitOneCycle` and
 * `fitFlatCos`, callbacks (recorder, progress table, early stopping, save-best), per-epoch checkpoints with
 * resume, a NaN guard, and the learning-rate finder.
 * @packageDocumentation
 */
export { Learner } from './learner.js';
export { trainRecommender, learnerTrainer } from './fit-recommender.js';
export type { LearnerTrainerOptions } from './fit-recommender.js';
export type { LearnerOptions, FitOptions, OneCycleOptions, FitResult } from './learner.js';
export type { Callback, StepInfo, EpochInfo, FitInfo, ValidMetrics } from './callback.js';
export { Recorder } from './recorder.js';
export { ProgressTable, formatEpochRow, formatSeconds, EPOCH_TABLE_HEADER } from './progress-table.js';
export { EarlyStopping } from './early-stopping.js';
export type { EarlyStoppingOptions } from './early-stopping.js';
export { SaveBest } from './save-best.js';
export { lrFind, suggestLearningRates } from './lr-find.js';
export type { LrFindOptions, LrFindResult, LrSuggestions } from './lr-find.js';
export { buildOptimizer } from './optimizer-choice.js';
export type { OptimizerChoice } from './optimizer-choice.js';
export { resolveWd, WD_MODES, WD_REFERENCE_RATINGS } from './weight-decay.js';
export type { WdMode, ResolvedWd } from './weight-decay.js';
export type { Checkpointer } from './checkpointer.js';
