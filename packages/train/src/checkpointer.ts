import type { ParamStore } from '@collab-ts/core';
import type { Optimizer } from '@collab-ts/optim';

/**
 * Saves and restores training state at epoch ends. The Node implementation is `fileCheckpointer(dir)` from
 * `@collab-ts/train/node`; a browser app can keep checkpoints in memory or IndexedDB.
 */
export interface Checkpointer {
  /** Stores parameters, optimizer state and the epoch just finished. */
  save(params: ParamStore, opt: Optimizer, epoch: number): void;
  /** Restores the last checkpoint into `params` and `opt`; returns its epoch, or `null` when there is none. */
  load(params: ParamStore, opt: Optimizer): number | null;
}
