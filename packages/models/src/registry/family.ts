import type { Float32Allocator, RatingColumns, Recommender, RecommenderState, RecommenderTask, TaskRunner } from '@collab-ts/core';
import type { BackendName, CollabModel } from '../types.js';

/** The value types a family option can take (the CLI parses flags by these, the docs print them). */
export type OptionType = 'int' | 'number' | 'boolean' | 'string' | 'int[]' | 'range';

/** One documented option of a model family: its name (camelCase; `--kebab-case` on the CLI), default and help. */
export interface FamilyOption {
  readonly name: string;
  readonly type: OptionType;
  readonly default: unknown;
  readonly help: string;
  /** Allowed values of a `string` option. */
  readonly choices?: readonly string[];
  /** Smallest allowed value of a numeric option (inclusive). */
  readonly min?: number;
  /** Largest allowed value of a numeric option (inclusive). */
  readonly max?: number;
  /** Whether `null` is allowed (for example `yRange: null`, a raw score). */
  readonly nullable?: boolean;
}

/** The data a family fits on: interactions (or ratings) with contiguous indices, and optional validation. */
export interface FitData {
  readonly train: RatingColumns;
  readonly nUsers: number;
  readonly nItems: number;
  /** Held-out ratings for per-epoch validation of gradient-trained families (ignored by the others). */
  readonly valid?: RatingColumns | null;
  /** Smallest and largest rating, for default output ranges. */
  readonly ratingRange?: readonly [number, number];
}

/**
 * Trains a freshly created gradient model in place. `@collab-ts/train` supplies one (its `Learner`);
 * the families that are not trained by gradient descent never call it.
 */
export type GradientTrainer = (model: CollabModel, data: FitData, options: Readonly<Record<string, unknown>>, ctx: FitContext) => Promise<void>;

/** One finished epoch of a family that trains by its own loop (`FitContext.epoch`). */
export interface EpochRecord {
  /** 1-based. */
  readonly epoch: number;
  /** Training time of the epoch alone (validation excluded). */
  readonly seconds: number;
  /** Mean squared training error over the epoch (each rating's error before its update). */
  readonly trainLoss: number;
  /** Mean squared error on `FitData.valid` after the epoch (`null` without validation data). */
  readonly validLoss: number | null;
}

/** What a fit may use besides the data and options: logging, progress, and the gradient trainer. */
export interface FitContext {
  /** A line of progress for a person (stderr in the CLI). */
  log?: (line: string) => void;
  /** Called with the fraction done (0..1) during long fits. */
  progress?: (fraction: number, label: string) => void;
  /** The training loop for gradient families (see `fitRecommender` in `@collab-ts/train`). */
  trainGradient?: GradientTrainer;
  /** Compute engine for families that have several (default `auto`). */
  backend?: BackendName;
  /** Called after each epoch by families with their own epoch loop (`svd`), for epoch tables and JSON. */
  epoch?: (record: EpochRecord) => void;
  /**
   * Threads for families whose fit can use them (ials's row solves, svd's blocks): the `WorkerPool` of
   * `@collab-ts/core/node`, or any `TaskRunner`. Default: the calling thread only. Results do not depend on it,
   * except svd's: several threads train its blocks in the order they take them (see the family).
   */
  runner?: TaskRunner;
  /** Where gradient families allocate their parameter tables and optimizer state (default: the heap). */
  allocate?: Float32Allocator;
}

/** How a family learns, for `collab models` and the docs. */
export type TrainingMethod = 'gradient' | 'closed-form' | 'alternating-least-squares' | 'counting' | 'sampled-ranking';

/**
 * A registered model family: what it is, what it is for, its options, and how to fit and load it. Adding
 * a family is writing one of these in its own folder and one `registerFamily` line.
 */
export interface FamilySpec {
  readonly kind: string;
  /** One line for `collab models`. */
  readonly summary: string;
  /** The name a peer library uses for the same model (fastai, implicit, Surprise, ...). */
  readonly peerName?: string;
  /** What it is meant for; the first entry is its main task. */
  readonly tasks: readonly RecommenderTask[];
  readonly method: TrainingMethod;
  readonly options: readonly FamilyOption[];
  /** Compute engines that run it (`fused` for the typed-array CPU code every family has). */
  readonly backends: readonly string[];
  /** Fits a recommender; `options` have been resolved (defaults filled, values checked). */
  fit(data: FitData, options: Readonly<Record<string, unknown>>, ctx: FitContext): Promise<Recommender>;
  /** Rebuilds a saved recommender from its state; throws `DataError`-worthy `Error`s on mismatch. */
  load(state: RecommenderState, ctx: { backend?: BackendName }): Promise<Recommender>;
}
