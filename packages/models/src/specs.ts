import type { ModelKind, ModelSpec, OptionSpec, ResolvedBackend } from './types.js';

const TFJS: ResolvedBackend[] = ['tensorflow', 'wasm', 'cpu', 'webgl'];
const common: OptionSpec[] = [
  { name: 'initStd', default: 0.01, help: 'std of the normal init of embeddings (fastai: trunc_normal_ std 0.01)' },
  { name: 'seed', default: 42, help: 'seed of the init and dropout RNG' },
  { name: 'backend', default: 'auto', help: 'fused | tensorflow | wasm | cpu | webgl | auto' },
];
const factors: OptionSpec = { name: 'factors', default: 50, help: 'number of latent factors' };
const yRange = (d: [number, number] | null): OptionSpec => ({
  name: 'yRange',
  default: d,
  help: 'output range [lo, hi] through lo + (hi - lo) * sigmoid(x); null for the raw score',
});

/** The model registry, for the CLI and the docs: one entry per {@link ModelKind}. */
export const MODEL_SPECS: ModelSpec[] = [
  {
    kind: 'dot',
    fastaiName: 'DotProduct (book, chapter 8)',
    summary: 'user factors . item factors, optionally through a y-range sigmoid',
    options: [factors, yRange(null), ...common],
    backends: ['fused', ...TFJS],
  },
  {
    kind: 'dot-bias',
    fastaiName: 'DotProductBias (book, chapter 8, with Embedding layers)',
    summary: 'dot product plus a user bias and an item bias, through sigmoid_range(0, 5.5); the same model as embedding-dot-bias (same initialisation, bit-identical results for the same seed; only the parameter names differ)',
    options: [factors, yRange([0, 5.5]), ...common],
    backends: ['fused', ...TFJS],
  },
  {
    kind: 'dot-bias-raw',
    fastaiName: 'DotProductBias with create_params (book, chapter 8, raw parameter tables)',
    summary: 'the same model as dot-bias built from raw parameter tables (plain normal init, 1-d biases)',
    options: [factors, yRange([0, 5.5]), ...common],
    backends: ['fused', ...TFJS],
  },
  {
    kind: 'embedding-dot-bias',
    fastaiName: 'EmbeddingDotBias (collab_learner default)',
    summary: "fastai's collab_learner model: the same model as dot-bias under fastai's parameter names (same initialisation, bit-identical results for the same seed), as the book says of EmbeddingDotBias and its hand-built DotProductBias",
    options: [factors, yRange([0, 5.5]), ...common],
    backends: ['fused', ...TFJS],
  },
  {
    kind: 'embedding-nn',
    fastaiName: 'EmbeddingNN / CollabNN (collab_learner(use_nn=True, layers=[100, 50]))',
    summary: 'concatenated user and item embeddings through Linear-ReLU-BatchNorm-Dropout layers and a y-range sigmoid',
    options: [
      { name: 'layers', default: [100, 50], help: 'hidden layer sizes' },
      { name: 'dropout', default: 0, help: 'dropout after each hidden layer (number or one per layer)' },
      { name: 'embDropout', default: 0, help: 'dropout on the concatenated embeddings' },
      { name: 'batchNorm', default: true, help: 'batch norm after each hidden layer (Linear then has no bias)' },
      { name: 'userEmbSize', default: 'embSizeRule(nUsers + 1)', help: 'user embedding width (74 on ML-100k)' },
      { name: 'itemEmbSize', default: 'embSizeRule(nItems + 1)', help: 'item embedding width (103 on ML-100k item ids, 102 on its 1664 titles)' },
      yRange([0, 5.5]),
      ...common,
    ],
    backends: ['fused', ...TFJS],
  },
];

/** The registry entry of a kind. */
export function modelSpec(kind: ModelKind): ModelSpec {
  const s = MODEL_SPECS.find((m) => m.kind === kind);
  if (!s) throw new Error(`no model spec for ${kind}`);
  return s;
}
