import { UsageError } from '@collab-ts/core';

/**
 * How weight decay relates to the size of the data.
 *
 * - `'step'`: fastai's decoupled ("true") weight decay, `p *= 1 - lr * wd` at every optimizer step, every
 *   row. The total decay of an epoch grows with the number of steps in it: fine at MovieLens 100k's 1,250 steps
 *   (where fastai's `wd 0.1` was tuned), far too strong at 25M ratings' 390,000 (`e^-195` per epoch).
 * - `'epoch'`: the same decay, scaled so an epoch decays as much as an epoch of {@link WD_REFERENCE_RATINGS}
 *   ratings would in `'step'` mode (`wd * min(1, 100000 / training ratings)` per step): the regularisation of
 *   an epoch no longer depends on how many steps it has. Identical to `'step'` up to 100,000 ratings.
 * - `'touch'`: L2 on the rows a step touches (`wd * p` added to their gradient), as LibMF and Surprise
 *   regularise per rating: rows are regularised in proportion to how often they are seen, whatever the data
 *   size. `wd` is then an L2 coefficient (around 1e-3 with Adam), not fastai's.
 * - `'auto'` (default): `'step'` up to 100,000 training ratings (the fastai-faithful figures), `'epoch'` above.
 */
export type WdMode = 'auto' | 'step' | 'epoch' | 'touch';

/** The modes, for option parsers. */
export const WD_MODES: readonly WdMode[] = ['auto', 'step', 'epoch', 'touch'];

/** The data size at which fastai's per-step decay is kept as it is: MovieLens 100k. */
export const WD_REFERENCE_RATINGS = 100_000;

/** What a {@link WdMode} amounts to for one fit. */
export interface ResolvedWd {
  /** The mode in force (`'auto'` resolved). */
  readonly mode: Exclude<WdMode, 'auto'>;
  /** The coefficient handed to the optimizer. */
  readonly wd: number;
  /** Decoupled decay (`'step'`, `'epoch'`) or L2 on touched rows (`'touch'`). */
  readonly decoupled: boolean;
}

/**
 * Resolves a weight-decay mode for a training set of `trainRatings` ratings.
 * @example
 * resolveWd('auto', 0.1, 80_000); // { mode: 'step', wd: 0.1, decoupled: true }
 * resolveWd('auto', 0.1, 4_000_000); // { mode: 'epoch', wd: 0.0025 (to rounding), decoupled: true }
 */
export function resolveWd(mode: WdMode, wd: number, trainRatings: number): ResolvedWd {
  if (!WD_MODES.includes(mode)) throw new UsageError(`wdMode must be one of ${WD_MODES.join(', ')}, got ${String(mode)}`);
  if (!Number.isFinite(wd) || wd < 0) throw new UsageError(`wd must be a finite number >= 0, got ${wd}`);
  const m = mode === 'auto' ? (trainRatings <= WD_REFERENCE_RATINGS ? 'step' : 'epoch') : mode;
  if (m === 'step') return { mode: m, wd, decoupled: true };
  if (m === 'touch') return { mode: m, wd, decoupled: false };
  return { mode: m, wd: wd * Math.min(1, WD_REFERENCE_RATINGS / Math.max(1, trainRatings)), decoupled: true };
}
