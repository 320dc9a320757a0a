import { rowSize } from '@collab-ts/core';
import type { Param, ParamStore } from '@collab-ts/core';

/**
 * What an optimizer keeps per parameter. A parameter is split into `units` equal spans of `unitSize`
 * floats: the rows of an embedding table, or the whole of a dense parameter as one span. Update kernels work
 * on one span at a time, so lazy row updates and dense updates share the same arithmetic.
 */
export interface ParamSlot {
  readonly param: Param;
  /** Position of the parameter in the store (index into per-slot buffers). */
  readonly index: number;
  /** Index of the parameter group. */
  readonly group: number;
  /** Whether the parameter takes sparse row gradients (`kind: 'embedding'`). */
  readonly embedding: boolean;
  /** Rows of an embedding table; 1 for a dense parameter. */
  readonly units: number;
  /** Floats per unit. */
  readonly unitSize: number;
  /** Step stamp per row, to reject duplicate rows in a sparse gradient (embedding tables only). */
  readonly seen: Int32Array | null;
  /**
   * Whether per-row step counts follow the global step (`sparseMode: 'catch-up'`, where an idle row is
   * brought up to date as if it had been stepped) rather than counting the row's own updates.
   */
  readonly globalSteps: boolean;
}

/** Builds one slot per parameter of `params`, in store order. */
export function createSlots(params: ParamStore, groupOf: ReadonlyMap<string, number>, globalSteps: boolean): ParamSlot[] {
  return params.list().map((p, index) => {
    const embedding = p.kind === 'embedding';
    const units = embedding ? (p.shape[0] ?? 1) : 1;
    return {
      param: p,
      index,
      group: groupOf.get(p.name)!,
      embedding,
      units,
      unitSize: embedding ? rowSize(p) : p.data.length,
      seen: embedding ? new Int32Array(units) : null,
      globalSteps: embedding && globalSteps,
    };
  });
}
