/** Ratings layouts `loadRatings` (from `@collab-ts/data/node`) knows; `'auto'` detects MovieLens layouts. */
export type RatingsFormat = 'auto' | 'ml-100k' | 'ml-1m' | 'ml-10m' | 'ml-latest' | 'delimited';
