import { ParamStore, createRng } from '@collab-ts/core';
import type { Float32Allocator } from '@collab-ts/core';
import { initNormal } from '../init.js';
import type { ModelConfig, ModelKind } from '../types.js';

/** Parameter names of a dot-family model (`null` where the model has no bias). */
export interface DotLayout {
  userFactors: string;
  itemFactors: string;
  userBias: string | null;
  itemBias: string | null;
}

/** Names follow the PyTorch state dicts of the fastai / book modules, so Python can load them as they are. */
export function dotLayout(kind: ModelKind): DotLayout {
  switch (kind) {
    case 'dot':
      return { userFactors: 'user_factors.weight', itemFactors: 'item_factors.weight', userBias: null, itemBias: null };
    case 'dot-bias':
      return { userFactors: 'user_factors.weight', itemFactors: 'item_factors.weight', userBias: 'user_bias.weight', itemBias: 'item_bias.weight' };
    case 'dot-bias-raw':
      return { userFactors: 'user_factors', itemFactors: 'item_factors', userBias: 'user_bias', itemBias: 'item_bias' };
    case 'embedding-dot-bias':
      return { userFactors: 'u_weight.weight', itemFactors: 'i_weight.weight', userBias: 'u_bias.weight', itemBias: 'i_bias.weight' };
    default:
      throw new Error(`${kind} is not a dot-product model`);
  }
}

/**
 * Builds and initialises the parameters of a dot-family model from its seed. Declaration order (and so
 * RNG order) follows the PyTorch modules: user factors, user bias, item factors, item bias. Embedding-layer
 * models use fastai's truncated normal and `[n, 1]` bias tables; `dot-bias-raw` uses the book's plain normal
 * and 1-d biases.
 */
export function createDotParams(config: ModelConfig, allocate?: Float32Allocator): ParamStore {
  const layout = dotLayout(config.kind);
  const raw = config.kind === 'dot-bias-raw';
  const rng = createRng(config.seed);
  const k = config.factors;
  const store = new ParamStore({ allocate });
  const emb = { kind: 'embedding' as const, decay: true };
  const table = (name: string, n: number, cols: number | null): void => {
    const shape = cols === null ? [n] : [n, cols];
    store.add(name, shape, initNormal(rng, store.table(n * (cols ?? 1)), config.initStd, !raw), emb);
  };
  table(layout.userFactors, config.nUsers, k);
  if (layout.userBias) table(layout.userBias, config.nUsers, raw ? null : 1);
  table(layout.itemFactors, config.nItems, k);
  if (layout.itemBias) table(layout.itemBias, config.nItems, raw ? null : 1);
  return store;
}
