import { GRADIENT_TRAINING_OPTIONS, hasFamily, getFamily } from '@collab-ts/models';
import type { FamilySpec } from '@collab-ts/models';

/**
 * The one place where the CLI names model families. Everything else reads the registry
 * (`listFamilies()`), so families added there appear in every command without a change here.
 */

/** The model `train`, `cv` and `demo` use when none is named: fastai's `collab_learner` default (chapter 8). */
export const DEFAULT_MODEL = 'embedding-dot-bias';

/** The baseline every ranking table includes (eval's `popularityRanker` stands in when it is not registered). */
export const POPULARITY = 'popularity';

/** Ranking models in order of preference for the demo, best first on the ranking bench (apps/cli/bench/ranking.mjs): the first one registered is shown. */
export const RANKING_PREFERENCE: readonly string[] = ['ease', 'item-knn', 'ials', POPULARITY];

/** Whether a family is meant for ranking first (it fits on interactions, not ratings). */
export function isRankingFamily(spec: FamilySpec): boolean {
  return spec.tasks[0] === 'ranking';
}

/** Whether a family is trained by gradient descent (by the Learner or by its own loop). */
export function isGradientFamily(spec: FamilySpec): boolean {
  return spec.method === 'gradient';
}

/**
 * Whether a family is trained by the `Learner` (fastai's recipe: it takes every training option the Learner
 * reads, batch size and schedule included), so checkpoints, resume, early stopping, save-best, loss plots and
 * the learning-rate finder apply to it. Gradient families with their own loop (Surprise-style SVD) do not.
 */
export function isLearnerFamily(spec: FamilySpec): boolean {
  return isGradientFamily(spec) && GRADIENT_TRAINING_OPTIONS.every((o) => spec.options.some((x) => x.name === o.name));
}

/** The preferred ranking family that is registered, or `null` when none of them is. */
export function preferredRankingFamily(): FamilySpec | null {
  for (const kind of RANKING_PREFERENCE) if (hasFamily(kind)) return getFamily(kind);
  return null;
}
