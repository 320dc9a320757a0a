import type { ParamStore } from '@collab-ts/core';
import { adam, sgd } from '@collab-ts/optim';
import type { Optimizer, SparseMode } from '@collab-ts/optim';

/** The optimizers a {@link Learner} can build by name, or a factory of your own. */
export type OptimizerChoice = 'adam' | 'sgd' | ((params: ParamStore, hyper: { lr: number; wd: number; decoupledWd: boolean }) => Optimizer);

/**
 * Builds the optimizer for a fit. `adam` is fastai's default (beta2 0.99, eps 1e-5, decoupled "true"
 * weight decay); `sgd` is SGD with momentum 0.9 and decoupled weight decay. Embedding rows are updated in
 * `'catch-up'` sparse mode by default: only the rows in a batch are touched, yet the result tracks a dense
 * optimizer (the one fastai runs), so fastai's learning rates and weight decays mean the same here.
 * `decoupledWd: false` makes `wd` an L2 term on the rows each step touches (`wdMode: 'touch'`).
 */
export function buildOptimizer(choice: OptimizerChoice, params: ParamStore, lr: number, wd: number, sparseMode: SparseMode = 'catch-up', decoupledWd = true): Optimizer {
  if (typeof choice === 'function') return choice(params, { lr, wd, decoupledWd });
  if (choice === 'adam') return adam(params, { lr, wd, decoupledWd, sparseMode });
  return sgd(params, { lr, wd, momentum: 0.9, decoupledWd, sparseMode });
}
