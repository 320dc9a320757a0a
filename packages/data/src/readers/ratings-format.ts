/**
 * Ratings layouts `loadRatings` and `openRatings` (from `@collab-ts/data/node`) know; `'auto'` detects MovieLens
 * layouts and Parquet files (by extension or content) and folders of Parquet part files.
 */
export type RatingsFormat = 'auto' | 'ml-100k' | 'ml-1m' | 'ml-10m' | 'ml-latest' | 'delimited' | 'parquet';
