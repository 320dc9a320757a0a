/**
 * `@collab-ts/data`: ratings ingestion for collab-ts: MovieLens and delimited readers, id vocabularies,
 * seeded splits, batches, dataset download and a synthetic generator.
 *
 * This main entry is browser-safe (no Node built-ins): it parses bytes you already have. Everything that
 * reads or writes files, or downloads, is in `@collab-ts/data/node`.
 * @packageDocumentation
 */
export { Vocabulary } from './vocabulary.js';
export type { VocabularyJSON } from './vocabulary.js';
export { columnsOf } from './dataset.js';
export type { RatingsDataset, Split, SkippedRows } from './dataset.js';
export type { TextEncoding } from './internal/text.js';

export { parseDelimited } from './readers/delimited.js';
export { dedupeRatings, formatDuplicates, DUPLICATE_POLICIES } from './readers/dedupe.js';
export type { DuplicatePolicy, DuplicateReport, DedupeOptions } from './readers/dedupe.js';
export { DEFAULT_MAX_LINE_BYTES } from './readers/scan.js';
export { guessDelimiter } from './readers/layout.js';
export type { Delimiter, ColumnRef, DelimitedOptions } from './readers/layout.js';
export {
  parseMovieLens100k,
  parseMovieLens100kItems,
  parseMovieLens100kUsers,
  movieLens100kItemsTable,
  ML_100K_GENRES,
} from './readers/movielens-100k.js';
export type { MovieLens100kItem, MovieLens100kFiles, MovieLensOptions } from './readers/movielens-100k.js';
export { parseMovieLensDatMovies } from './readers/movielens-dat.js';
export type { MovieLensDatOptions } from './readers/movielens-dat.js';
export { parseMovieLensCsvMovies } from './readers/movielens-csv.js';
export type { RatingsFormat } from './readers/ratings-format.js';

export { encodeParquet } from './parquet/encode.js';
export type { ParquetColumn, ParquetColumnType, EncodeParquetOptions } from './parquet/encode.js';
export { parseParquetTable } from './parquet/read-table.js';
export type { ParquetTable, ReadParquetTableOptions } from './parquet/read-table.js';
export type { ParquetSource, ParquetColumnInfo } from './parquet/source.js';
export { parseParquetRatings } from './parquet/ratings.js';
export type { ParquetRatingsOptions } from './parquet/ratings.js';
export type { ParquetIdType, RatingsTableOptions } from './parquet/ratings-table.js';

export { randomSplit } from './splits/random-split.js';
export type { RandomSplitOptions } from './splits/random-split.js';
export { kFoldSplits } from './splits/k-fold.js';
export type { KFoldOptions } from './splits/k-fold.js';
export { leaveLastOut } from './splits/leave-last-out.js';
export type { LeaveLastOutOptions } from './splits/leave-last-out.js';
export { userHoldout } from './splits/user-holdout.js';
export type { UserHoldoutOptions } from './splits/user-holdout.js';
export { parseMovieLens100kFold } from './splits/movielens-folds.js';
export type { MovieLens100kFoldName } from './splits/movielens-folds.js';

export { BatchLoader } from './batches/batch-loader.js';
export type { BatchLoaderOptions } from './batches/batch-loader.js';
export { NegativeSampler, negativeSampler } from './batches/negative-sampler.js';
export type { NegativeSamplerOptions, NegativeSamplerFor, NegativeDistribution } from './batches/negative-sampler.js';
export { showBatch } from './batches/show-batch.js';
export type { ShowBatchOptions } from './batches/show-batch.js';
export { describeDataset, formatDescription } from './batches/describe.js';
export type { DatasetDescription, DescribeOptions, TopItem } from './batches/describe.js';

export { generateSynthetic } from './synthetic/generate.js';
export type { SyntheticOptions, SyntheticData, PlantedModel } from './synthetic/generate.js';
export { AliasTable } from './synthetic/alias-table.js';
export { movieLens25mShape } from './synthetic/movielens-25m-shape.js';

export { DATASETS, DATASET_NAMES, GROUPLENS_BASE_URL, CACHE_DIR_ENV, datasetInfo } from './datasets/registry.js';
export type { DatasetInfo } from './datasets/registry.js';
export { formatProgress } from './datasets/progress.js';
