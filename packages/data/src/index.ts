/**
 * `@collab-ts/data`: ratings ingestion for collab-ts: MovieLens and delimited readers, id vocabularies,
 * seeded splits, batches, dataset download and a synthetic generator.
 * @packageDocumentation
 */
export { Vocabulary } from './vocabulary.js';
export type { VocabularyJSON } from './vocabulary.js';
export { columnsOf } from './dataset.js';
export type { RatingsDataset, Split, SkippedRows } from './dataset.js';
export type { TextEncoding } from './internal/text.js';

export { readDelimited, parseDelimited } from './readers/delimited.js';
export { guessDelimiter } from './readers/layout.js';
export type { Delimiter, ColumnRef, DelimitedOptions } from './readers/layout.js';
export {
  readMovieLens100k,
  readMovieLens100kUsers,
  movieLens100kItems,
  parseMovieLens100kItems,
  ML_100K_GENRES,
} from './readers/movielens-100k.js';
export type { MovieLens100kItem, MovieLensOptions } from './readers/movielens-100k.js';
export { readMovieLensDat, readMovieLens1m, readMovieLens10m, parseMovieLensDatMovies } from './readers/movielens-dat.js';
export type { MovieLensDatOptions } from './readers/movielens-dat.js';
export { readMovieLensCsv, readMovieLensLatest, parseMovieLensCsvMovies } from './readers/movielens-csv.js';
export { loadRatings, detectFormat } from './readers/load-ratings.js';
export type { RatingsFormat, LoadRatingsOptions, LoadedRatings } from './readers/load-ratings.js';

export { randomSplit } from './splits/random-split.js';
export type { RandomSplitOptions } from './splits/random-split.js';
export { kFoldSplits } from './splits/k-fold.js';
export type { KFoldOptions } from './splits/k-fold.js';
export { leaveLastOut } from './splits/leave-last-out.js';
export type { LeaveLastOutOptions } from './splits/leave-last-out.js';
export { movieLens100kFold } from './splits/movielens-folds.js';
export type { MovieLens100kFoldName } from './splits/movielens-folds.js';

export { BatchLoader } from './batches/batch-loader.js';
export type { BatchLoaderOptions } from './batches/batch-loader.js';
export { showBatch } from './batches/show-batch.js';
export type { ShowBatchOptions } from './batches/show-batch.js';
export { describeDataset, formatDescription } from './batches/describe.js';
export type { DatasetDescription, DescribeOptions, TopItem } from './batches/describe.js';

export { generateSynthetic } from './synthetic/generate.js';
export type { SyntheticOptions, SyntheticData, PlantedModel } from './synthetic/generate.js';
export { AliasTable } from './synthetic/alias-table.js';
export { writeRatingsCsv } from './synthetic/write-csv.js';
export type { WriteCsvOptions } from './synthetic/write-csv.js';

export { DATASETS, DATASET_NAMES, GROUPLENS_BASE_URL, datasetInfo } from './datasets/registry.js';
export type { DatasetInfo } from './datasets/registry.js';
export { findDataset, defaultCacheDir, CACHE_DIR_ENV } from './datasets/find.js';
export type { FindDatasetOptions } from './datasets/find.js';
export { downloadDataset, ensureDataset, loadDataset, formatProgress, ChecksumError } from './datasets/download.js';
export type { DownloadOptions, EnsureDatasetOptions } from './datasets/download.js';
export { openRatings } from './datasets/open.js';
export type { OpenRatingsOptions } from './datasets/open.js';
