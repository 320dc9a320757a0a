import { UsageError } from '@collab-ts/core';

/** Checks a learning rate: finite and >= 0. */
export function checkLr(v: number, what = 'lr'): number {
  if (!Number.isFinite(v) || v < 0) throw new UsageError(`${what} must be a finite number >= 0, got ${v}`);
  return v;
}

/** Checks a momentum / beta1: in [0, 1). */
export function checkMom(v: number, what = 'mom'): number {
  if (!Number.isFinite(v) || v < 0 || v >= 1) throw new UsageError(`${what} must be in [0, 1), got ${v}`);
  return v;
}

/**
 * The learning rate and momentum of each parameter group: a base value times the group's multiplier
 * (fastai's discriminative learning rates), or values set per group with {@link GroupHyperParams.setLrs}.
 */
export class GroupHyperParams {
  /** Current learning rate of each group. */
  readonly lrs: Float64Array;
  /** Current momentum / beta1 of each group. */
  readonly moms: Float64Array;
  /** 1 where the group's rate was set by `setLrs` rather than derived from the base rate. */
  readonly explicitLr: Uint8Array;
  private baseLrValue: number;
  private baseMomValue: number;

  constructor(
    readonly lrMults: readonly number[],
    lr: number,
    mom: number,
  ) {
    this.lrs = new Float64Array(lrMults.length);
    this.moms = new Float64Array(lrMults.length);
    this.explicitLr = new Uint8Array(lrMults.length);
    this.baseLrValue = checkLr(lr);
    this.baseMomValue = checkMom(mom);
    this.moms.fill(mom);
    this.lr = lr;
  }

  /** Number of groups. */
  get count(): number {
    return this.lrMults.length;
  }

  /** Base learning rate. Setting it gives every group `lr * lrMult`, replacing values set by `setLrs`. */
  get lr(): number {
    return this.baseLrValue;
  }

  set lr(v: number) {
    this.baseLrValue = checkLr(v);
    for (let g = 0; g < this.lrMults.length; g++) this.lrs[g] = v * this.lrMults[g];
    this.explicitLr.fill(0);
  }

  /** Base momentum / beta1. Setting it sets every group's value. */
  get mom(): number {
    return this.baseMomValue;
  }

  set mom(v: number) {
    this.baseMomValue = checkMom(v);
    this.moms.fill(v);
  }

  /** One number for all groups (ignoring multipliers; it also becomes the base `lr`), or one per group. */
  setLrs(lrs: number | number[]): void {
    if (typeof lrs === 'number') {
      this.baseLrValue = checkLr(lrs);
      this.lrs.fill(lrs);
    } else {
      if (!Array.isArray(lrs) || lrs.length !== this.lrs.length) {
        throw new UsageError(`setLrs: expected ${this.lrs.length} learning rates (one per group), got ${Array.isArray(lrs) ? lrs.length : typeof lrs}`);
      }
      for (let g = 0; g < lrs.length; g++) this.lrs[g] = checkLr(lrs[g], `lr of group ${g}`);
    }
    this.explicitLr.fill(1);
  }

  /** One momentum for all groups, or one per group. */
  setMoms(moms: number | number[]): void {
    if (typeof moms === 'number') {
      this.mom = moms;
      return;
    }
    if (!Array.isArray(moms) || moms.length !== this.moms.length) {
      throw new UsageError(`setMoms: expected ${this.moms.length} values (one per group), got ${Array.isArray(moms) ? moms.length : typeof moms}`);
    }
    for (let g = 0; g < moms.length; g++) this.moms[g] = checkMom(moms[g], `mom of group ${g}`);
  }

  /** The per-group values for a checkpoint. */
  snapshot(): { lr: number; mom: number; explicitLr: boolean }[] {
    return Array.from({ length: this.count }, (_, g) => ({ lr: this.lrs[g], mom: this.moms[g], explicitLr: this.explicitLr[g] === 1 }));
  }

  /** Restores base and per-group values from a checkpoint (validated). */
  restore(lr: number, mom: number, groups: readonly { lr: number; mom: number; explicitLr: boolean }[]): void {
    this.baseLrValue = checkLr(lr);
    this.baseMomValue = checkMom(mom);
    groups.forEach((g, i) => {
      this.lrs[i] = checkLr(g.lr);
      this.moms[i] = checkMom(g.mom);
      this.explicitLr[i] = g.explicitLr ? 1 : 0;
    });
  }
}
