/**
 * Node-only part of `@collab-ts/data`: readers that open files and directories, dataset find/download,
 * and the CSV and Parquet writers. Import from `@collab-ts/data/node`; the main entry stays browser-safe.
 * @packageDocumentation
 */
export { readDelimited } from './node/read-delimited.js';
export { readMovieLens100k, readMovieLens100kUsers, movieLens100kItems } from './node/read-movielens-100k.js';
export { readMovieLensDat, readMovieLens1m, readMovieLens10m } from './node/read-movielens-dat.js';
export { readMovieLensCsv, readMovieLensLatest } from './node/read-movielens-csv.js';
export { loadRatings, loadRatingsAsync, detectFormat } from './node/load-ratings.js';
export { readParquet } from './node/read-parquet.js';
export type { RatingsFormat, LoadRatingsOptions, LoadedRatings } from './node/load-ratings.js';
export { movieLens100kFold } from './node/movielens-folds.js';

export { writeRatingsCsv } from './node/write-csv.js';
export type { WriteCsvOptions } from './node/write-csv.js';
export { writeParquetTable, writeParquetParts, writeRatingsParquet, writeSplitParquet } from './node/write-parquet.js';
export type { WriteRatingsParquetOptions, WriteParquetPartsOptions, WriteSplitParquetOptions, SplitParts } from './node/write-parquet.js';
export { readParquetTable } from './node/read-parquet-table.js';
export { parquetParts } from './node/parquet-files.js';

export { findDataset, defaultCacheDir } from './node/find.js';
export type { FindDatasetOptions } from './node/find.js';
export { downloadDataset, ensureDataset, loadDataset, searchedLocations, ChecksumError, DatasetUnavailableError } from './node/download.js';
export type { DownloadOptions, EnsureDatasetOptions, SearchedLocation } from './node/download.js';
export { openRatings } from './node/open.js';
export type { OpenRatingsOptions } from './node/open.js';
