import { toShared } from '@collab-ts/core';
import type { CsrMatrix, NamedTensor, Recommender } from '@collab-ts/core';
import type { BackendName } from '../types.js';
import { getFamily } from './registry.js';

/**
 * A recommender as plain data that worker threads can rebuild without copying its tables: its family, its
 * saved configuration, and its state's tensors and training history moved into SharedArrayBuffers.
 * `key` differs between shares, so a worker can keep the model it rebuilt for the next task of the same share.
 */
export interface SharedRecommender {
  readonly key: string;
  readonly kind: string;
  readonly config: Record<string, unknown>;
  readonly tensors: Record<string, NamedTensor>;
  readonly history: CsrMatrix | null;
  /** The compute engine the model ran on, for families that have several (rebuilt on the same one). */
  readonly backend?: BackendName;
}

let shares = 0;

/**
 * Puts a recommender's state into shared memory (one copy of each tensor; tensors already shared are not
 * copied) for {@link rebuildRecommender} on another thread. Works for every registered family.
 * @example
 * const shared = shareRecommender(rec);
 * await pool.map('mypkg.score', ranges.map(([from, to]) => ({ shared, from, to })));
 * // in the task: const rec = await rebuildRecommender(shared);
 */
export function shareRecommender(rec: Recommender): SharedRecommender {
  const state = rec.state();
  const tensors: Record<string, NamedTensor> = {};
  for (const [name, t] of Object.entries(state.tensors)) tensors[name] = { shape: [...t.shape], data: toShared(t.data) };
  const h = rec.history;
  const history = h ? { nRows: h.nRows, nCols: h.nCols, offsets: toShared(h.offsets), indices: toShared(h.indices), values: toShared(h.values) } : null;
  const key = `${rec.kind}:${++shares}:${Math.random().toString(36).slice(2)}`;
  const backend = (rec as { backend?: unknown }).backend;
  return { key, kind: rec.kind, config: JSON.parse(JSON.stringify(state.config)) as Record<string, unknown>, tensors, history, ...(typeof backend === 'string' ? { backend: backend as BackendName } : {}) };
}

/**
 * The recommender of a {@link shareRecommender} share, rebuilt through its family's `load` (the family must be
 * registered on this thread too; the built-in ones always are), with its training history.
 */
export async function rebuildRecommender(shared: SharedRecommender): Promise<Recommender> {
  const rec = await getFamily(shared.kind).load({ config: shared.config, tensors: shared.tensors }, shared.backend ? { backend: shared.backend } : {});
  rec.history = shared.history;
  return rec;
}
