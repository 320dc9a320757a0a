import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CollabError, decodeSafetensors, encodeSafetensors } from '@collab-ts/core';
import type { NamedTensor, ParamStore } from '@collab-ts/core';
import { writeFileAtomic } from '@collab-ts/core/node';
import type { Optimizer, OptimizerState } from '@collab-ts/optim';

import type { Checkpointer } from './checkpointer.js';

const FILE = 'checkpoint.safetensors';

/** A {@link Checkpointer} that keeps the latest checkpoint in `dir/checkpoint.safetensors`. */
export function fileCheckpointer(dir: string): Checkpointer {
  return {
    save: (params, opt, epoch) => saveCheckpoint(dir, params, opt, epoch),
    load: (params, opt) => loadCheckpoint(dir, params, opt),
  };
}

/**
 * Writes the parameters, the optimizer state and the finished epoch to `dir/checkpoint.safetensors`,
 * atomically: an interrupted write leaves the previous checkpoint in place.
 */
export function saveCheckpoint(dir: string, params: ParamStore, opt: Optimizer, epoch: number): void {
  const tensors: Record<string, NamedTensor> = {};
  for (const p of params.list()) tensors[`param/${p.name}`] = { shape: p.shape, data: p.data };
  const state = packState(opt.state(), tensors, 'opt');
  const bytes = encodeSafetensors(tensors, { format: 'collab-ts-checkpoint', version: '1', epoch: String(epoch), optimizer: JSON.stringify(state) });
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
    const t = tensors[`param/${p.name}`];
    if (!t || t.data.length !== p.data.length) {
      throw new CollabError(`${path}: parameter ${p.name} does not match this model (was it trained with other options?)`);
    }
    p.data.set(t.data);
  }
  opt.loadState(unpackState(JSON.parse(metadata.optimizer), tensors) as OptimizerState);
  return Number(metadata.epoch);
}

/** Replaces every Float32Array in a JSON-able state by a reference to a named tensor. */
function packState(value: unknown, tensors: Record<string, NamedTensor>, path: string): unknown {
  if (value instanceof Float32Array) {
    tensors[path] = { shape: [value.length], data: value };
    return { $tensor: path };
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    // other typed arrays (step counters, float64 decay logs) go in the JSON exactly
    return { $typed: value.constructor.name, values: Array.from(value as unknown as ArrayLike<number>) };
  }
  if (Array.isArray(value)) return value.map((v, i) => packState(v, tensors, `${path}/${i}`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = packState(v, tensors, `${path}/${k}`);
    return out;
  }
  return value;
}

function unpackState(value: unknown, tensors: Record<string, NamedTensor>): unknown {
  if (Array.isArray(value)) return value.map((v) => unpackState(v, tensors));
  if (value && typeof value === 'object') {
    const ref = (value as { $tensor?: string }).$tensor;
    if (typeof ref === 'string') return tensors[ref].data;
    const typed = value as { $typed?: string; values?: number[] };
    if (typeof typed.$typed === 'string') return makeTyped(typed.$typed, typed.values ?? []);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unpackState(v, tensors);
    return out;
  }
  return value;
}

function makeTyped(kind: string, values: number[]): ArrayLike<number> {
  switch (kind) {
    case 'Float64Array':
      return Float64Array.from(values);
    case 'Int32Array':
      return Int32Array.from(values);
    case 'Uint32Array':
      return Uint32Array.from(values);
    case 'Uint8Array':
      return Uint8Array.from(values);
    default:
      throw new CollabError(`checkpoint: unsupported array type ${kind}`);
  }
}
