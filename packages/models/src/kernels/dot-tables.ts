import { SparseRowAccumulator, rowSize } from '@collab-ts/core';
import type { Gradients, ParamStore } from '@collab-ts/core';
import { dotLayout } from '../models/dot-family.js';
import type { ModelConfig } from '../types.js';
import type { DotAccumulators, DotTables } from './dot-args.js';

/** Views of a dot-family model's parameters as kernel tables (the arrays are shared, not copied). */
export function dotTables(config: ModelConfig, params: ParamStore): DotTables {
  const l = dotLayout(config.kind);
  return {
    k: config.factors,
    userFactors: params.get(l.userFactors).data,
    itemFactors: params.get(l.itemFactors).data,
    userBias: l.userBias ? params.get(l.userBias).data : null,
    itemBias: l.itemBias ? params.get(l.itemBias).data : null,
    hasRange: config.yRange !== null,
    lo: config.yRange?.[0] ?? 0,
    hi: config.yRange?.[1] ?? 1,
  };
}

/** One reusable sparse accumulator per table of a dot-family model. */
export function dotAccumulators(config: ModelConfig, params: ParamStore): DotAccumulators {
  const l = dotLayout(config.kind);
  const acc = (name: string): SparseRowAccumulator => {
    const p = params.get(name);
    return new SparseRowAccumulator(p.shape[0], rowSize(p), 128);
  };
  return {
    userFactors: acc(l.userFactors),
    itemFactors: acc(l.itemFactors),
    userBias: l.userBias ? acc(l.userBias) : null,
    itemBias: l.itemBias ? acc(l.itemBias) : null,
  };
}

/** Clears every accumulator (cost proportional to the rows touched last time). */
export function resetDotAccumulators(acc: DotAccumulators): void {
  acc.userFactors.reset();
  acc.itemFactors.reset();
  acc.userBias?.reset();
  acc.itemBias?.reset();
}

/** Writes the accumulated row gradients into `grads` under the parameter names. */
export function publishDotGrads(config: ModelConfig, acc: DotAccumulators, grads: Gradients): Gradients {
  const l = dotLayout(config.kind);
  grads.set(l.userFactors, acc.userFactors.result());
  grads.set(l.itemFactors, acc.itemFactors.result());
  if (l.userBias && acc.userBias) grads.set(l.userBias, acc.userBias.result());
  if (l.itemBias && acc.itemBias) grads.set(l.itemBias, acc.itemBias.result());
  return grads;
}
