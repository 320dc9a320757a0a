import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CollabError, UsageError, decodeSafetensors, encodeSafetensors } from '@collab-ts/core';
import type { NamedTensor, ParamStore } from '@collab-ts/core';
import { writeFileAtomic } from '@collab-ts/core/node';
import type { Optimizer, OptimizerState } from '@collab-ts/optim';

import type { Checkpointer } from './checkpointer.js';

const FILE = 'checkpoint.safetensors';
const PARAM = 'param/';
const OPT = 'opt/';

/** Options of {@link fileCheckpointer}. */
export interface CheckpointerOptions {
  /**
   * The options that define the run (seed, split, learning rate, epochs, data, ...). They are recorded in the
   * checkpoint, and resuming with different ones is refused, naming them: a different seed would, for
   * example, draw another validation split and leak validation ratings into training.
   */
  options?: Readonly<Record<string, unknown>>;
}

/** A {@link Checkpointer} that keeps the latest checkpoint in `dir/checkpoint.safetensors`. */
export function fileCheckpointer(dir: string, co: CheckpointerOptions = {}): Checkpointer {
  return {
    save: (params, opt, epoch) => saveCheckpoint(dir, params, opt, epoch, co.options),
    load: (params, opt) => loadCheckpoint(dir, params, opt, co.options),
  };
}

/** The keys whose values differ between two option records (as JSON), sorted. */
export function differingOptions(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)).sort();
}

/**
 * Writes the parameters, the optimizer state and the finished epoch to `dir/checkpoint.safetensors`,
 * atomically: an interrupted write leaves the previous checkpoint in place. The optimizer's arrays are
 * tensors beside the parameters; its scalars go in the metadata as JSON.
 */
export function saveCheckpoint(dir: string, params: ParamStore, opt: Optimizer, epoch: number, options?: Readonly<Record<string, unknown>>): void {
  const tensors: Record<string, NamedTensor> = {};
  for (const p of params.list()) tensors[PARAM + p.name] = { shape: p.shape, data: p.data };
  const { arrays, ...scalars } = opt.state();
  for (const [key, data] of Object.entries(arrays)) tensors[OPT + key] = { shape: [data.length], data };
  const bytes = encodeSafetensors(tensors, { format: 'collab-ts-checkpoint', version: '1', epoch: String(epoch), optimizer: JSON.stringify(scalars), ...(options ? { options: JSON.stringify(options) } : {}) });
  writeFileAtomic(join(dir, FILE), bytes);
}

/**
 * Restores parameters and optimizer state from `dir`; returns the last finished epoch, or `null` when
 * there is no checkpoint. A checkpoint from a different model shape is a clear error.
 */
export function loadCheckpoint(dir: string, params: ParamStore, opt: Optimizer, options?: Readonly<Record<string, unknown>>): number | null {
  const path = join(dir, FILE);
  if (!existsSync(path)) return null;
  const { tensors, metadata } = decodeSafetensors(readFileSync(path), path);
  if (metadata.format !== 'collab-ts-checkpoint') throw new CollabError(`${path}: not a collab-ts checkpoint`);
  if (options) {
    const recorded = metadata.options ? (JSON.parse(metadata.options) as Record<string, unknown>) : null;
    if (!recorded) throw new UsageError(`cannot resume from ${path}: it does not record the options it was trained with; delete ${dir} to start afresh`);
    const diff = differingOptions(recorded, options);
    if (diff.length > 0) {
      const show = (r: Readonly<Record<string, unknown>>) => diff.map((k) => `${k} ${JSON.stringify(r[k] ?? null)}`).join(', ');
      throw new UsageError(`cannot resume: the checkpoint in ${dir} was trained with ${show(recorded)}, this run has ${show(options)}; resume with the same options, or delete ${dir} to start afresh`);
    }
  }
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
