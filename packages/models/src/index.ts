/**
 * `@collab-ts/models`: the collab-ts model zoo behind one `Recommender` contract and a registry of model
 * families: fastai's gradient-trained models (dot product, biased dot product, EmbeddingDotBias, EmbeddingNN)
 * on fused CPU kernels and TensorFlow.js, and the ranking families. Models hold their parameters in a core
 * `ParamStore` and return the mean loss with sparse row gradients; optimizers live in `@collab-ts/optim`.
 * Node-only save/load are in `@collab-ts/models/node`.
 * @packageDocumentation
 */
export { createModel, buildModel, initParams } from './create.js';
export { isCollabModel } from './types.js';
export { embSizeRule } from './emb-size.js';
export { MODEL_SPECS, modelSpec } from './specs.js';
export { resolveConfig } from './config.js';
export { encodeModel, modelFromBytes, MODEL_FORMAT, MODEL_FORMAT_VERSION, MANIFEST_FILE, WEIGHTS_FILE } from './io/bundle.js';
export type { ModelBundle, ModelManifest, ManifestTensor, BundleExtra } from './io/bundle.js';
export { registerFamily, getFamily, hasFamily, listFamilies, familyKinds, resolveFamilyOptions } from './registry/registry.js';
export type { FamilySpec, FamilyOption, OptionType, FitData, FitContext, EpochRecord, GradientTrainer, TrainingMethod } from './registry/family.js';
export { fitRecommender } from './registry/fit.js';
export { shareRecommender, rebuildRecommender } from './registry/share.js';
export type { SharedRecommender } from './registry/share.js';
export { RecommenderBase, topOfScores, cosineNeighbours } from './registry/recommender-base.js';
export { defaultYRange, GRADIENT_TRAINING_OPTIONS } from './families/gradient.js';
export { SparkAlsRecommender } from './families/spark-als/recommender.js';
export type { SparkAlsConfig } from './families/spark-als/recommender.js';
export type { SparkAlsObjective } from './families/spark-als/solve.js';
export type { Recommender, RecommenderState, RecommenderTask, RecommendQuery, ScoredItem } from '@collab-ts/core';
export { dotLayout } from './models/dot-family.js';
export type { DotLayout } from './models/dot-family.js';
export { nnLayout } from './models/embedding-nn.js';
export type { NNLayout, HiddenLayout } from './models/embedding-nn.js';
export type {
  ModelKind,
  BackendName,
  ResolvedBackend,
  LossName,
  ModelOptions,
  ModelConfig,
  NNConfig,
  LossAndGrads,
  LossOptions,
  CollabModel,
  ModelSpec,
  OptionSpec,
} from './types.js';
