import { ParamStore, createRng } from '@collab-ts/core';
import type { Float32Allocator } from '@collab-ts/core';
import { initNormal, initUniform, linearBound } from '../init.js';
import type { ModelConfig } from '../types.js';

/** Parameter names and sizes of one hidden block: Linear -> ReLU -> BatchNorm1d -> Dropout. */
export interface HiddenLayout {
  readonly inSize: number;
  readonly outSize: number;
  readonly weight: string;
  /** Linear bias; `null` when batch norm follows (fastai: `bias = not bn`). */
  readonly bias: string | null;
  /** Batch-norm scale, shift and running statistics; `null` without batch norm. */
  readonly bn: { weight: string; bias: string; runningMean: string; runningVar: string } | null;
  readonly dropout: number;
}

/** The parameter layout of `embedding-nn`; names follow fastai's TabularModel state dict. */
export interface NNLayout {
  readonly userEmb: string;
  readonly itemEmb: string;
  readonly userDim: number;
  readonly itemDim: number;
  readonly inSize: number;
  readonly hidden: HiddenLayout[];
  readonly outWeight: string;
  readonly outBias: string;
  readonly embDropout: number;
}

/** Batch-norm settings (PyTorch defaults). */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

/** The layout of an `embedding-nn` configuration. */
export function nnLayout(config: ModelConfig): NNLayout {
  const nn = config.nn;
  if (!nn) throw new Error(`${config.kind} is not embedding-nn`);
  let inSize = nn.userEmbSize + nn.itemEmbSize;
  const first = inSize;
  const hidden = nn.layers.map((h, l): HiddenLayout => {
    const p = `layers.${l}`;
    const layer: HiddenLayout = {
      inSize,
      outSize: h,
      weight: `${p}.0.weight`,
      bias: nn.batchNorm ? null : `${p}.0.bias`,
      bn: nn.batchNorm
        ? { weight: `${p}.2.weight`, bias: `${p}.2.bias`, runningMean: `${p}.2.running_mean`, runningVar: `${p}.2.running_var` }
        : null,
      dropout: nn.dropout[l],
    };
    inSize = h;
    return layer;
  });
  const L = nn.layers.length;
  return {
    userEmb: 'embeds.0.weight',
    itemEmb: 'embeds.1.weight',
    userDim: nn.userEmbSize,
    itemDim: nn.itemEmbSize,
    inSize: first,
    hidden,
    outWeight: `layers.${L}.0.weight`,
    outBias: `layers.${L}.0.bias`,
    embDropout: nn.embDropout,
  };
}

/**
 * Builds and initialises `embedding-nn` parameters: embeddings from fastai's truncated normal, Linear layers
 * like PyTorch (kaiming uniform a = sqrt(5)), batch norm weight 1 and bias 1e-3 (fastai's `BatchNorm`),
 * running mean 0 and variance 1. Batch-norm parameters, running statistics and Linear biases are not decayed
 * (fastai `wd_bn_bias=False`); running statistics never get a gradient.
 */
export function createNNParams(config: ModelConfig, allocate?: Float32Allocator): ParamStore {
  const layout = nnLayout(config);
  const rng = createRng(config.seed);
  const store = new ParamStore({ allocate });
  const emb = { kind: 'embedding' as const, decay: true };
  const nodecay = { kind: 'dense' as const, decay: false };
  const std = config.initStd;
  store.add(layout.userEmb, [config.nUsers, layout.userDim], initNormal(rng, store.table(config.nUsers * layout.userDim), std, true), emb);
  store.add(layout.itemEmb, [config.nItems, layout.itemDim], initNormal(rng, store.table(config.nItems * layout.itemDim), std, true), emb);
  for (const h of layout.hidden) {
    const bound = linearBound(h.inSize);
    store.add(h.weight, [h.outSize, h.inSize], initUniform(rng, store.table(h.outSize * h.inSize), bound), { kind: 'dense', decay: true });
    if (h.bias) store.add(h.bias, [h.outSize], initUniform(rng, store.table(h.outSize), bound), nodecay);
    if (h.bn) {
      store.add(h.bn.weight, [h.outSize], store.table(h.outSize).fill(1), nodecay);
      store.add(h.bn.bias, [h.outSize], store.table(h.outSize).fill(1e-3), nodecay);
      store.add(h.bn.runningMean, [h.outSize], store.table(h.outSize), nodecay);
      store.add(h.bn.runningVar, [h.outSize], store.table(h.outSize).fill(1), nodecay);
    }
  }
  const last = layout.hidden.length ? layout.hidden[layout.hidden.length - 1].outSize : layout.inSize;
  const bound = linearBound(last);
  store.add(layout.outWeight, [1, last], initUniform(rng, store.table(last), bound), { kind: 'dense', decay: true });
  store.add(layout.outBias, [1], initUniform(rng, store.table(1), bound), nodecay);
  return store;
}

/** Names of the buffers (running statistics) that never get gradients. */
export function nnBuffers(layout: NNLayout): string[] {
  return layout.hidden.flatMap((h) => (h.bn ? [h.bn.runningMean, h.bn.runningVar] : []));
}
