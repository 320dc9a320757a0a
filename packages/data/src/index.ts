/**
 * `@collab-ts/data`: ratings ingestion for collab-ts: MovieLens and delimited readers, id vocabularies,
 * seeded splits, batches, dataset download and a synthetic generator.
 * @packageDocumentation
 */
export { Vocabulary } from './vocabulary.js';
export type { VocabularyJSON } from './vocabulary.js';
export type { RatingsDataset, Split } from './dataset.js';
