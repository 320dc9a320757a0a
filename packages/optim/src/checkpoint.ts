import { UsageError } from '@collab-ts/core';
import type { OptimizerState } from './types.js';

/** The checkpoint format version written and read by the optimizers. */
export const STATE_VERSION = 1;

/**
 * Checks the parts of a checkpoint every optimizer shares: kind, version, step count and group count.
 * @throws UsageError naming what does not fit
 */
export function checkStateHeader(st: OptimizerState, type: string, groupCount: number): void {
  if (!st || st.type !== type) throw new UsageError(`cannot load ${st?.type ?? 'missing'} optimizer state into ${type}`);
  if (st.version !== STATE_VERSION) throw new UsageError(`unsupported optimizer state version ${st.version}`);
  if (!Number.isInteger(st.step) || st.step < 0) throw new UsageError(`optimizer state: step must be an integer >= 0, got ${st.step}`);
  if (!Array.isArray(st.groups) || st.groups.length !== groupCount) {
    throw new UsageError(`optimizer state has ${st.groups?.length} groups, this optimizer has ${groupCount}`);
  }
}

/** Fetches array `key` of a checkpoint, checking its length. @throws UsageError when missing or mis-sized */
export function stateArray(st: OptimizerState, key: string, length: number): Float32Array {
  const a = st.arrays?.[key];
  if (!(a instanceof Float32Array) || a.length !== length) {
    throw new UsageError(`optimizer state: ${key} is missing or has the wrong length (expected ${length})`);
  }
  return a;
}
