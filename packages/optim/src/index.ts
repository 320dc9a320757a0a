/**
 * `@collab-ts/optim`: optimizers (SGD, Adam / AdamW, L2 or decoupled weight decay) that update embedding
 * tables lazily from sparse row gradients, with exact lazy decoupled weight decay, and learning-rate /
 * momentum schedules including fastai's one-cycle.
 * @packageDocumentation
 */
export type { Optimizer, OptimizerState, ParamGroupSpec, SparseMode, CatchUpMethod, CommonOptimizerOptions } from './types.js';
export { BaseOptimizer } from './base-optimizer.js';
export type { ParamSlot } from './param-slot.js';
export { SPARSE_MODES, CATCH_UP_METHODS, BlockedIdleSums, ReplayIdleSums, BLOCKED_CAPACITY } from './sparse/index.js';
export type { IdleSummary, IdleHistory, IdleHistoryFactory, RowKernel, SparseModeContext, SparseModeFactory, SparseRows } from './sparse/index.js';
export { resolveGroups } from './groups.js';
export type { ResolvedGroups } from './groups.js';
export { LazyDecay } from './lazy-decay.js';
export { Sgd, sgd } from './sgd.js';
export type { SgdOptions } from './sgd.js';
export { Adam, adam, adamW } from './adam.js';
export type { AdamOptions } from './adam.js';
export type { IdleEps } from './adam-idle.js';
export * from './schedules/index.js';
