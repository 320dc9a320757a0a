/**
 * `@collab-ts/core`: the small shared layer every collab-ts package builds on: a seeded RNG, typed errors,
 * rating columns, the parameter store and sparse row gradients.
 * @packageDocumentation
 */
export { Rng, createRng } from './rng.js';
export { CollabError, UsageError, DataError, UnknownIdError, DivergenceError } from './errors.js';
export type { SourceLocation } from './errors.js';
export { ratingCount, takeRows } from './ratings.js';
export type { RatingColumns } from './ratings.js';
export { ParamStore, rowSize, shapeSize } from './params.js';
export type { Param, ParamKind, AddParamOptions, SparseRowGrad, DenseGrad, Gradient, Gradients } from './params.js';
export { SparseRowAccumulator } from './sparse-accumulator.js';
export type { RatingBatch, FactorTables, Scorer } from './scoring.js';
export { encodeSafetensors, decodeSafetensors, SafetensorsFormatError } from './safetensors.js';
export type { NamedTensor, DecodedSafetensors } from './safetensors.js';
