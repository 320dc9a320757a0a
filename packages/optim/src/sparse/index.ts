import { UsageError } from '@collab-ts/core';
import type { SparseMode } from '../types.js';
import { CatchUpRows } from './catch-up.js';
import { DenseRows } from './dense.js';
import { LazyRows } from './lazy.js';
import type { SparseModeFactory } from './sparse-rows.js';

/** The sparse modes by name: adding one is a class implementing `SparseRows` and a line here. */
export const SPARSE_MODES: Readonly<Record<SparseMode, SparseModeFactory>> = {
  lazy: (ctx) => new LazyRows(ctx),
  dense: (ctx) => new DenseRows(ctx),
  'catch-up': (ctx) => new CatchUpRows(ctx),
};

/** The factory of sparse mode `mode`. @throws UsageError for an unknown name */
export function sparseModeFactory(mode: unknown): SparseModeFactory {
  if (typeof mode !== 'string' || !Object.hasOwn(SPARSE_MODES, mode)) {
    throw new UsageError(`sparseMode must be 'lazy', 'dense' or 'catch-up', got ${String(mode)}`);
  }
  return SPARSE_MODES[mode as SparseMode];
}

export type { RowKernel, SparseModeContext, SparseModeFactory, SparseRows } from './sparse-rows.js';
export type { IdleSummary } from './idle-summary.js';
export type { IdleHistory, IdleHistoryFactory } from './idle-history.js';
export { CATCH_UP_METHODS } from './catch-up.js';
export { BlockedIdleSums, BLOCKED_CAPACITY } from './blocked-idle-sums.js';
export { ReplayIdleSums } from './replay-idle-sums.js';
