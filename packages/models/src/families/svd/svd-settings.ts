/** Every setting of one `svd` fit, defaults resolved. */
export interface SvdSettings {
  readonly factors: number;
  readonly epochs: number;
  readonly lr: number;
  readonly reg: number;
  readonly lrBias: number;
  readonly regBias: number;
  readonly lrDecay: number;
  readonly initStd: number;
  readonly adaptive: boolean;
  readonly clip: boolean;
  readonly seed: number;
  /** SVD++'s implicit-feedback term (see `implicit-epoch.ts`). */
  readonly implicit: boolean;
  readonly lrImplicit: number;
  readonly regImplicit: number;
}

/** The size of the training data, which some defaults follow. */
export interface SvdDataSize {
  readonly ratings: number;
  readonly users: number;
  readonly items: number;
}

/** The data size the default rule is anchored at (MovieLens 100k's 80,000 training ratings, rounded). */
const BASE_RATINGS = 100_000;

/**
 * The defaults that follow the data (the option help and the docs' "svd at scale" page describe them):
 *
 * - `reg = 0.06 (n / 100k)^(-0.8)` within [0.01, 0.07] (the range measured), for `n` training ratings. The penalty is applied per touch
 *   (each rating shrinks only the two rows it updates), so a row's shrinkage per epoch grows with its own number
 *   of ratings, not with the number of optimizer steps: no rescaling for batch sizes or data size is needed to
 *   keep it meaningful. What still changes with size is how much shrinkage is best. The best validation `reg`
 *   was 0.07 on MovieLens 100k's folds (validation carved at random from each training fold, never u*.test)
 *   and about 0.01 on MovieLens-25M-shaped synthetic data at 1M and at 5M ratings (generator seed 2, 80/20
 *   split, 5 epochs; flat between 0.007 and 0.015); the power law joins the two
 *   and stops at both ends.
 * - `lr = 0.06 (n / 100k)^(0.22)` between 0.06 and 0.1 (LibMF's eta): large data gets LibMF's step so that 5
 *   epochs are enough; small data a smaller one, which overfits less in its 10 epochs.
 * - `regBias` 0.01, `epochs` 10, `lrDecay` 1 (the adaptive step already shrinks).
 * - With the implicit term (SVD++): `epochs` 8 and `lr` at least 0.07, which on MovieLens 100k's validation
 *   folds gave the validation RMSE of 10 epochs at 0.06 (0.9019) in 20% less time.
 *
 * With `adaptive: false` (Surprise's plain SGD) the defaults are this family's earlier fixed ones.
 */
export function sizeDefaults(size: SvdDataSize, adaptive: boolean, implicit = false): { epochs: number; lr: number; reg: number; regBias: number; lrDecay: number } {
  if (!adaptive) return { epochs: 30, lr: 0.01, reg: 0.05, regBias: 0.05, lrDecay: 0.96 };
  const x = Math.max(1, size.ratings) / BASE_RATINGS;
  const lr = Math.min(0.1, Math.max(0.06, 0.06 * Math.pow(x, 0.22)));
  return {
    // SVD++: 8 epochs at a step of at least 0.07 matched 10 at 0.06 on MovieLens 100k's validation folds, for 20% less time
    epochs: implicit ? 8 : 10,
    lr: implicit ? Math.max(0.07, lr) : lr,
    reg: Math.min(0.07, Math.max(0.01, 0.06 * Math.pow(x, -0.8))),
    regBias: 0.01,
    lrDecay: 1,
  };
}

/**
 * Training ratings up to which the implicit term (SVD++) is on by default. It trains on one thread (a user's
 * ratings must be trained together, which LibMF's blocks cannot schedule) at about twice svd's cost per
 * rating: below this size a fit takes a second or two, and on MovieLens 100k's folds it lowered the validation
 * RMSE by 0.008 (validation carved from each training fold, never u*.test). Above it the blocked, threaded
 * plain svd is the default.
 */
export const IMPLICIT_DEFAULT_MAX_RATINGS = 1_000_000;

/** Resolves the family's options (`undefined` where the user gave none) into settings for `size`. */
export function svdSettings(o: Readonly<Record<string, unknown>>, size: SvdDataSize): SvdSettings {
  const adaptive = o.adaptive !== false;
  const implicit = (o.implicit as boolean | undefined) ?? size.ratings <= IMPLICIT_DEFAULT_MAX_RATINGS;
  const d = sizeDefaults(size, adaptive, implicit);
  const lr = (o.lr as number | undefined) ?? d.lr;
  const reg = (o.reg as number | undefined) ?? d.reg;
  return {
    factors: o.factors as number,
    epochs: (o.epochs as number | undefined) ?? d.epochs,
    lr,
    reg,
    lrBias: (o.lrBias as number | undefined) ?? lr,
    regBias: (o.regBias as number | undefined) ?? d.regBias,
    lrDecay: (o.lrDecay as number | undefined) ?? d.lrDecay,
    initStd: o.initStd as number,
    adaptive,
    clip: o.clip !== false,
    seed: o.seed as number,
    implicit,
    lrImplicit: (o.lrImplicit as number | undefined) ?? 0.007,
    regImplicit: (o.regImplicit as number | undefined) ?? 0.1,
  };
}
