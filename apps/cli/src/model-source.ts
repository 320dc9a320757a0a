import { existsSync } from 'node:fs';
import { UsageError } from '@collab-ts/core';
import type { FactorTables, RatingColumns } from '@collab-ts/core';
import { similarItems } from '@collab-ts/eval';
import type { ScoredIndex } from '@collab-ts/eval';
import { DATASETS, randomSplit } from '@collab-ts/data';
import type { RatingsDataset, Split, Vocabulary } from '@collab-ts/data';
import { loadModel } from '@collab-ts/models/node';
import type { ModelBundle } from '@collab-ts/models';
import { readData } from './data-source.js';
import type { Output } from './io/output.js';

/** Loads a saved model directory, with a clear message when it is not one. */
export async function openModel(dir: string, out: Output): Promise<ModelBundle> {
  if (!existsSync(dir)) throw new UsageError(`--model ${dir}: no such directory (train one with: collab train --data <ratings> --out ${dir})`);
  const bundle = await loadModel(dir);
  out.log(`loaded ${bundle.model.kind} model from ${dir}: ${bundle.users.size} users, ${bundle.items.size} items`);
  return bundle;
}

/** The index of an item given by raw id or, failing that, by title (exact, then partial match). */
export function findItem(items: Vocabulary, query: string): number {
  const byId = items.tryEncode(query);
  if (byId >= 0) return byId;
  const byTitle = items.findTitle(query);
  if (byTitle >= 0) return byTitle;
  throw new UsageError(`unknown item ${JSON.stringify(query)}: neither an item id nor a title in the model`);
}

/**
 * Reads the ratings a model was trained on (from `--data`, or the source recorded in the model) re-encoded
 * with the model's vocabularies; ratings of users or items the model does not know are dropped.
 */
export async function ratingsForModel(bundle: ModelBundle, data: string | undefined, out: Output): Promise<{ cols: RatingColumns; ds: RatingsDataset } | null> {
  const source = data ?? (typeof bundle.meta.source === 'string' ? bundle.meta.source : undefined);
  if (!source || (!data && !existsSync(source) && !(source in DATASETS))) return null;
  const ds = await readData({ data: source, format: 'auto' }, out);
  return { cols: reencode(ds, bundle.users, bundle.items), ds };
}

/** Maps a dataset's rating columns onto another pair of vocabularies (a model's), dropping unknown ids. */
export function reencode(ds: RatingsDataset, users: Vocabulary, items: Vocabulary): RatingColumns {
  const n = ds.ratings.ratings.length;
  const uMap = Int32Array.from(ds.users.rawIds, (id) => users.tryEncode(id));
  const iMap = Int32Array.from(ds.items.rawIds, (id) => items.tryEncode(id));
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (uMap[ds.ratings.users[i]] >= 0 && iMap[ds.ratings.items[i]] >= 0) keep.push(i);
  const u = new Int32Array(keep.length);
  const it = new Int32Array(keep.length);
  const r = new Float32Array(keep.length);
  keep.forEach((i, k) => {
    u[k] = uMap[ds.ratings.users[i]];
    it[k] = iMap[ds.ratings.items[i]];
    r[k] = ds.ratings.ratings[i];
  });
  return { users: u, items: it, ratings: r, timestamps: null };
}

/** Items each user rated, for excluding seen items from recommendations. */
export function seenItems(cols: RatingColumns, user: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < cols.users.length; i++) if (cols.users[i] === user) out.push(cols.items[i]);
  return Int32Array.from(out);
}

/** Recreates the random train/validation split recorded in a model's metadata, when it was made by `collab train`. */
export function recordedSplit(bundle: ModelBundle, cols: RatingColumns): Split | null {
  const o = bundle.meta.options as { validPct?: number; seed?: number } | undefined;
  if (!o || typeof o.validPct !== 'number' || typeof o.seed !== 'number') return null;
  return randomSplit(cols, { validPct: o.validPct, seed: o.seed });
}

/** The model's factor tables, or a usage error saying that `what` needs a dot-product model. */
export function requireFactors(bundle: ModelBundle, what: string): FactorTables {
  const factors = bundle.model.factors();
  if (!factors) throw new UsageError(`${what} needs a dot-product model; ${bundle.model.kind} has no factor tables`);
  return factors;
}

/**
 * The `k` items nearest to `item` by cosine similarity, among items with at least `minRatings` ratings in
 * `counts` (all items when `counts` is null): rarely rated items' factors are mostly initial noise and decay.
 */
export function wellRatedNeighbours(factors: FactorTables, item: number, k: number, counts: ArrayLike<number> | null, minRatings: number): ScoredIndex[] {
  const nItems = factors.itemFactors.length / factors.dim;
  return similarItems(factors, item, nItems - 1)
    .filter((s) => !counts || counts[s.index] >= minRatings)
    .slice(0, k);
}
