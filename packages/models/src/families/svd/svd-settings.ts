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
 *
 * With `adaptive: false` (Surprise's plain SGD) the defaults are this family's earlier fixed ones.
 */
export function sizeDefaults(size: SvdDataSize, adaptive: boolean): { epochs: number; lr: number; reg: number; regBias: number; lrDecay: number } {
  if (!adaptive) return { epochs: 30, lr: 0.01, reg: 0.05, regBias: 0.05, lrDecay: 0.96 };
  const x = Math.max(1, size.ratings) / BASE_RATINGS;
  return {
    epochs: 10,
    lr: Math.min(0.1, Math.max(0.06, 0.06 * Math.pow(x, 0.22))),
    reg: Math.min(0.07, Math.max(0.01, 0.06 * Math.pow(x, -0.8))),
    regBias: 0.01,
    lrDecay: 1,
  };
}

/** Resolves the family's options (`undefined` where the user gave none) into settings for `size`. */
export function svdSettings(o: Readonly<Record<string, unknown>>, size: SvdDataSize): SvdSettings {
  const adaptive = o.adaptive !== false;
  const d = sizeDefaults(size, adaptive);
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
  };
}
