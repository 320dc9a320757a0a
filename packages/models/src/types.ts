import type { FactorTables, Float32Allocator, Gradients, ParamStore, RatingBatch, Recommender } from '@collab-ts/core';

/** The models in the zoo (see {@link MODEL_SPECS} for the fastai name of each). */
export type ModelKind = 'dot' | 'dot-bias' | 'dot-bias-raw' | 'embedding-dot-bias' | 'embedding-nn';

/**
 * Compute engines. `fused`: hand-written typed-array kernels (forward, loss and backward in one pass);
 * `tensorflow`: tfjs-node (optional, install `@tensorflow/tfjs-node` yourself); `wasm`/`cpu`/`webgl`: the
 * TensorFlow.js backends; `auto`: the fastest one available for the model.
 */
export type BackendName = 'auto' | 'fused' | 'tensorflow' | 'wasm' | 'cpu' | 'webgl';

/** A backend after `auto` has been resolved. */
export type ResolvedBackend = Exclude<BackendName, 'auto'>;

/** Loss functions: mean squared error, or binary cross-entropy with the raw score as logit (y-range ignored). */
export type LossName = 'mse' | 'bce';

/** Options for {@link createModel}. Defaults are fastai's (see {@link MODEL_SPECS}). */
export interface ModelOptions {
  /** Rows of the user table (the user vocabulary size). */
  nUsers: number;
  /** Rows of the item table (the item vocabulary size). */
  nItems: number;
  /** Latent factors for the dot-product family (default 50). */
  factors?: number;
  /** Output range `[lo, hi]`: predictions are `lo + (hi - lo) * sigmoid(x)`; `null` for the raw score. */
  yRange?: [number, number] | null;
  /** Hidden layer sizes of `embedding-nn` (default `[100, 50]`). */
  layers?: number[];
  /** Dropout after each hidden layer of `embedding-nn` (one value for all, or one per layer; default 0). */
  dropout?: number[] | number;
  /** Dropout on the concatenated embeddings of `embedding-nn` (default 0). */
  embDropout?: number;
  /** Batch norm after each hidden layer of `embedding-nn` (default true). */
  batchNorm?: boolean;
  /** User embedding width of `embedding-nn` (default `embSizeRule(nUsers + 1)`). */
  userEmbSize?: number;
  /** Item embedding width of `embedding-nn` (default `embSizeRule(nItems + 1)`). */
  itemEmbSize?: number;
  /** Standard deviation of the normal embedding init (default 0.01). */
  initStd?: number;
  /** Seed of the init and dropout RNG (default 42). */
  seed?: number;
  /** Compute engine (default `auto`). */
  backend?: BackendName;
  /**
   * Allocates the parameter tables (and, through the store, the optimizer's state): `sharedFloat32` from
   * `@collab-ts/core` puts them in shared memory for worker threads. Not part of the saved configuration.
   */
  allocate?: Float32Allocator;
}

/** The `embedding-nn` part of a {@link ModelConfig}. */
export interface NNConfig {
  layers: number[];
  dropout: number[];
  embDropout: number;
  batchNorm: boolean;
  userEmbSize: number;
  itemEmbSize: number;
}

/** A model's full, JSON-able configuration: enough to rebuild it (with its weights). */
export interface ModelConfig {
  kind: ModelKind;
  nUsers: number;
  nItems: number;
  /** Latent factors (dot family); 0 for `embedding-nn`. */
  factors: number;
  yRange: [number, number] | null;
  initStd: number;
  seed: number;
  /** Network settings for `embedding-nn`, `null` for the dot family. */
  nn: NNConfig | null;
}

/** What {@link CollabModel.lossAndGrads} returns. `grads` may be reused buffers, valid until the next call. */
export interface LossAndGrads {
  loss: number;
  grads: Gradients;
}

/** Options for {@link CollabModel.lossAndGrads}. */
export interface LossOptions {
  /** Training mode: dropout on, batch norm uses (and updates) batch statistics. Default true. */
  training?: boolean;
  /** Default `mse`. */
  loss?: LossName;
}

/**
 * A gradient-trained collaborative-filtering model: parameters in a ParamStore, loss and sparse gradients on
 * demand. It is also a `Recommender`, like every family.
 */
export interface CollabModel extends Recommender {
  readonly kind: ModelKind;
  readonly config: ModelConfig;
  readonly params: ParamStore;
  /** The engine in use (`auto` resolved). */
  readonly backend: ResolvedBackend;
  /** Mean loss over the batch and the gradients of every trainable parameter (sparse rows for embeddings). */
  lossAndGrads(batch: RatingBatch, opts?: LossOptions): LossAndGrads;
  /** Mean loss in eval mode, without gradients. */
  evaluateLoss(batch: RatingBatch, opts?: { loss?: LossName }): number;
  /** Predictions in eval mode, computed in chunks; throws IndexRangeError for an index outside the tables. */
  predict(users: Int32Array, items: Int32Array): Float32Array;
  /** The factor tables for dot-family models, `null` for `embedding-nn`. */
  factors(): FactorTables | null;
  /** Releases engine resources (tfjs memory). */
  dispose(): void;
}

/** One documented option of a model, for the CLI and docs. */
export interface OptionSpec {
  name: keyof ModelOptions;
  default: unknown;
  help: string;
}

/** A registry entry: what a model is, its fastai name, its options and the backends that run it. */
export interface ModelSpec {
  kind: ModelKind;
  fastaiName: string;
  summary: string;
  options: OptionSpec[];
  backends: ResolvedBackend[];
}

/** Whether a recommender is a gradient-trained model (parameters, engine, losses). */
export function isCollabModel(r: Recommender): r is CollabModel {
  return 'params' in r && 'lossAndGrads' in r;
}
