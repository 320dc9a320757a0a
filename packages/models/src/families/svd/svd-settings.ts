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
  /** Worker threads; 0 for all cores. */
  readonly threads: number;
}

/** The size of the training data, which some defaults follow. */
export interface SvdDataSize {
  readonly ratings: number;
  readonly users: number;
  readonly items: number;
}

/**
 * The defaults that follow the data, as the option help describes them. Regularisation is applied per touch
 * (each rating shrinks only the rows it updates), so the shrinkage a row gets per epoch is proportional to
 * its number of ratings, whatever the data size or the order of the updates: `reg` needs no rescaling with
 * the number of steps per epoch, unlike a weight decay applied once per optimizer step.
 */
export function sizeDefaults(size: SvdDataSize, adaptive: boolean): { epochs: number; lr: number; reg: number; regBias: number; lrDecay: number } {
  if (!adaptive) return { epochs: 30, lr: 0.01, reg: 0.05, regBias: 0.05, lrDecay: 0.96 };
  const perUser = size.ratings / Math.max(1, size.users);
  void perUser;
  return { epochs: 20, lr: 0.1, reg: 0.03, regBias: 0.03, lrDecay: 1 };
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
    threads: (o.threads as number | undefined) ?? 0,
  };
}
