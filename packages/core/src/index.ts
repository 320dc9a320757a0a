/**
 * `@collab-ts/core`: the small shared layer every collab-ts package builds on: a seeded RNG, typed errors,
 * rating columns, vocabularies, the parameter store and sparse row gradients, the CSR user-item matrix,
 * dense linear algebra (Cholesky, conjugate gradient, a WebAssembly SIMD matrix product), top-k selection and the `Recommender` contract.
 * @packageDocumentation
 */
export { Rng, createRng } from './rng.js';
export { CollabError, UsageError, DataError, UnknownIdError, DivergenceError } from './errors.js';
export type { SourceLocation } from './errors.js';
export { IndexRangeError, checkIndexRange, checkIndex } from './index-range.js';
export { ratingCount, takeRows } from './ratings.js';
export type { RatingColumns } from './ratings.js';
export type { Split } from './split.js';
export { Vocabulary } from './vocabulary.js';
export type { VocabularyJSON } from './vocabulary.js';
export { ParamStore, rowSize, shapeSize } from './params.js';
export type { Param, ParamKind, AddParamOptions, ParamStoreOptions, SparseRowGrad, DenseGrad, Gradient, Gradients } from './params.js';
export { heapFloat32, sharedFloat32, allocateFloat32, allocateInt32, allocateFloat64 } from './allocator.js';
export type { Float32Allocator } from './allocator.js';
export { SparseRowAccumulator } from './sparse-accumulator.js';
export type { RatingBatch, FactorTables, Scorer } from './scoring.js';
export { factorScore, scoreFactorBlock } from './score-block.js';
export type { BlockAccumulation } from './score-block.js';
export { F32ScoreBound } from './score-bound.js';
export { gemm, sharedGemmArena, wasmGemmAvailable } from './gemm/gemm.js';
export { GemmArena, ArenaMatrix } from './gemm/arena.js';
export type { Matrix, GemmOptions } from './gemm/matrix.js';
export { TopKHeap, selectTopK } from './top-k-heap.js';
export { scanFactorTopK } from './factor-scan.js';
export type { FactorScanOptions, FactorTopK } from './factor-scan.js';
export { csrFromCoordinates, userItemMatrix, transposeCsr, csrRow, csrRowLength } from './csr.js';
export type { CsrMatrix } from './csr.js';
export { NegativeSampler } from './negative-sampler.js';
export type { NegativeSamplerOptions, NegativeDistribution } from './negative-sampler.js';
export { choleskyFactor, choleskySubstitute, choleskySolve, choleskyInverse } from './linalg/cholesky.js';
export { conjugateGradient, cgWorkspace } from './linalg/conjugate-gradient.js';
export type { CgOptions, CgWorkspace } from './linalg/conjugate-gradient.js';
export type { Recommender, RecommenderTask, RecommenderState, RecommendQuery, ScoredItem } from './recommender.js';
export { encodeSafetensors, decodeSafetensors, SafetensorsFormatError } from './safetensors.js';
export type { NamedTensor, DecodedSafetensors } from './safetensors.js';
export { foldInUser } from './fold-in.js';
export type { FoldIn, FoldInOptions, NewUserRating } from './fold-in.js';
export { toInteractions, recencyWeights, weightedHistory } from './interactions.js';
export type { InteractionOptions } from './interactions.js';
export { crc32, crc32Of } from './crc32.js';
export { cosineToRow } from './cosine.js';
export { groupRows } from './group-rows.js';
export type { RowGroups } from './group-rows.js';
export { registerWorkerTasks, registeredTask, inlineRunner, splitRange } from './worker-tasks.js';
export type { WorkerTask, WorkerTaskTable, TaskRunner, RegisteredTask } from './worker-tasks.js';
export { sharedArray, toShared, isShared, hasSharedMemory } from './shared-arrays.js';
export type { SharedArrayType } from './shared-arrays.js';
