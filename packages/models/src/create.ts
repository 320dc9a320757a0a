import { UsageError } from '@collab-ts/core';
import type { Float32Allocator, ParamStore } from '@collab-ts/core';
import { resolveConfig } from './config.js';
import type { Engine } from './kernels/engine.js';
import { FusedDotEngine } from './kernels/fused/dot-engine.js';
import { importTfjs } from './kernels/tfjs-loader.js';
import { Model } from './model.js';
import { createDotParams } from './models/dot-family.js';
import { createNNParams } from './models/embedding-nn.js';
import type { BackendName, CollabModel, ModelConfig, ModelKind, ModelOptions, ResolvedBackend } from './types.js';

const BACKENDS: BackendName[] = ['auto', 'fused', 'tensorflow', 'wasm', 'cpu', 'webgl'];

/** Fresh, seeded parameters for a configuration, in tables from `allocate` (default: the heap). */
export function initParams(config: ModelConfig, allocate?: Float32Allocator): ParamStore {
  return config.nn ? createNNParams(config, allocate) : createDotParams(config, allocate);
}

/** `auto` -> the fastest engine for the model: the fused CPU kernels (written for every model). */
export function resolveBackend(_config: ModelConfig, backend: BackendName): ResolvedBackend {
  if (!BACKENDS.includes(backend)) throw new UsageError(`unknown backend ${JSON.stringify(backend)}; expected one of ${BACKENDS.join(', ')}`);
  return backend === 'auto' ? 'fused' : backend;
}

async function createEngine(config: ModelConfig, params: ParamStore, backend: ResolvedBackend): Promise<Engine> {
  if (backend === 'fused') {
    if (config.nn) {
      const { FusedNNEngine } = await import('./kernels/fused/nn/engine.js');
      return new FusedNNEngine(config, params);
    }
    return new FusedDotEngine(config, params);
  }
  // TensorFlow.js is an optional peer dependency: a missing package becomes a UsageError naming what to install
  const tfjs = await importTfjs(backend, async () => {
    const engines = await import('./kernels/tfjs/index.js');
    await engines.initBackend(backend);
    return engines;
  });
  return config.nn ? new tfjs.TfNNEngine(config, params, backend) : new tfjs.TfDotEngine(config, params, backend);
}

/** Builds a model around existing parameters (used by {@link createModel} and the loaders). */
export async function buildModel(config: ModelConfig, params: ParamStore, backend: BackendName = 'auto'): Promise<CollabModel> {
  const engine = await createEngine(config, params, resolveBackend(config, backend));
  return new Model(config, params, engine);
}

/**
 * Creates a freshly initialised model. Async because TensorFlow.js backends initialise asynchronously.
 *
 * @example
 * const model = await createModel('dot-bias', { nUsers: 943, nItems: 1682, factors: 50 });
 * const { loss, grads } = model.lossAndGrads(batch);
 */
export async function createModel(kind: ModelKind, opts: ModelOptions): Promise<CollabModel> {
  const config = resolveConfig(kind, opts);
  return buildModel(config, initParams(config, opts.allocate), opts.backend ?? 'auto');
}
