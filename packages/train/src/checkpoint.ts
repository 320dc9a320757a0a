import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CollabError, decodeSafetensors, encodeSafetensors } from '@collab-ts/core';
import type { NamedTensor, ParamStore } from '@collab-ts/core';
import { writeFileAtomic } from '@collab-ts/core/node';
import type { Optimizer, OptimizerState } from '@collab-ts/optim';

import type { Checkpointer } from './checkpointer.js';

const FILE = 'checkpoint.safetensors';
const PARAM = 'param/';
const OPT = 'opt/';

/** A {@link Checkpointer} that keeps the latest checkpoint in `dir/checkpoint.safetensors`. */
export function fileCheckpointer(dir: string): Checkpointer {
  return {
    save: (params, opt, epoch) => saveCheckpoint(dir, params, opt, epoch),
    load: (params, opt) => loadCheckpoint(dir, params, opt),
  };
}

/**
 * Writes the parameters, the optimizer state and the finished epoch to `dir/checkpoint.safetensors`,
 * atomically: an interrupted write leaves the previous checkpoint in place. The optimizer's arrays are
 * tensors beside the parameters; its scalars go in the metadata as JSON.
 */
export function saveCheckpoint(dir: string, params: ParamStore, opt: Optimizer, epoch: number): void {
  const tensors: Record<string, NamedTensor> = {};
  for (const p of params.list()) tensors[PARAM + p.name] = { shape: p.shape, data: p.data };
  const { arrays, ...scalars } = opt.state();
  for (const [key, data] of Object.entries(arrays)) tensors[OPT + key] = { shape: [data.length], data };
  const bytes = encodeSafetensors(tensors, { format: 'collab-ts-checkpoint', version: '1', epoch: String(epoch), optimizer: JSON.stringify(scalars) });
  writeFileAtomic(join(dir, FILE), bytes);
}

/**
 * Restores parameters and optimizer state from `dir`; returns the last finished epoch, or `null` when
 * there is no checkpoint. A checkpoint from a different model shape is a clear error.
 */
export function loadCheckpoint(dir: string, params: ParamStore, opt: Optimizer): number | null {
  const path = join(dir, FILE);
  if (!existsSync(path)) return null;
  const { tensors, metadata } = decodeSafetensors(readFileSync(path), path);
  if (metadata.format !== 'collab-ts-checkpoint') throw new CollabError(`${path}: not a collab-ts checkpoint`);
  for (const p of params.list()) {
    const t = tensors[PARAM + p.name];
    if (!t || t.data.length !== p.data.length) {
      throw new CollabError(`${path}: parameter ${p.name} does not match this model (was it trained with other options?)`);
    }
    p.data.set(t.data);
  }
  const arrays: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(tensors)) if (name.startsWith(OPT) && t.data instanceof Float32Array) arrays[name.slice(OPT.length)] = t.data;
  opt.loadState({ ...(JSON.parse(metadata.optimizer) as Omit<OptimizerState, 'arrays'>), arrays });
  return Number(metadata.epoch);
}
