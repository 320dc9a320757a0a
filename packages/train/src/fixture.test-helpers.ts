import { generateSynthetic, randomSplit } from '@collab-ts/data';
import type { RatingsDataset, Split } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import type { CollabModel, ModelKind, ModelOptions } from '@collab-ts/models';

/** The shared training fixture: planted factors, long-tail items, 1-5 stars, 30k ratings, seeded. */
export function fixture(): { ds: RatingsDataset; split: Split } {
  const { dataset } = generateSynthetic({ users: 400, items: 600, ratings: 30_000, factors: 8, seed: 1, noise: 0.6 });
  return { ds: dataset, split: randomSplit(dataset.ratings, { validPct: 0.2, seed: 42 }) };
}

/** A model sized for a dataset, with fastai's chapter-8 defaults unless overridden. */
export function modelFor(ds: RatingsDataset, kind: ModelKind, extra: Partial<ModelOptions> = {}): Promise<CollabModel> {
  return createModel(kind, { nUsers: ds.users.size, nItems: ds.items.size, factors: 50, seed: 42, ...extra });
}
