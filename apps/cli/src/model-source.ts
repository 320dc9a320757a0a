import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '@collab-ts/core';
import type { FactorTables, RatingColumns } from '@collab-ts/core';
import { similarItems } from '@collab-ts/eval';
import type { ScoredIndex } from '@collab-ts/eval';
import { DATASETS, randomSplit } from '@collab-ts/data';
import type { RatingsDataset, Split, Vocabulary } from '@collab-ts/data';
import { loadModel } from '@collab-ts/models/node';
import { MANIFEST_FILE } from '@collab-ts/models';
import type { ModelBundle } from '@collab-ts/models';
import { readData } from './data-source.js';
import { describeCandidates, resolveItem } from './item-query.js';
import { collabCommand } from './io/invocation.js';
import type { Output } from './io/output.js';

/**
 * Loads a saved model directory, with a clear message when it is not one. A missing directory, or one
 * without `model.json`, is a usage error (exit 2: the path named is wrong); a damaged `model.json` or weights
 * file is a data error (exit 1).
 */
export async function openModel(dir: string, out: Output): Promise<ModelBundle> {
  const hint = `train one with: ${collabCommand()} train --data <ratings> --out ${dir}`;
  if (!existsSync(dir)) throw new UsageError(`--model ${dir}: no such directory (${hint})`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`--model ${dir}: not a directory; a saved model is a directory holding model.json (${hint})`);
  if (!existsSync(join(dir, MANIFEST_FILE))) throw new UsageError(`--model ${dir}: not a saved model directory, it has no ${MANIFEST_FILE} (${hint})`);
  const bundle = await loadModel(dir);
  out.log(`loaded ${bundle.model.kind} model from ${dir}: ${bundle.users.size} users, ${bundle.items.size} items`);
  return bundle;
}

/**
 * The index of an item given by raw id or by title (exact, else the only title containing it). An unknown
 * item, or a part of a title that several titles contain, is a usage error; the latter lists the candidates.
 */
export function findItem(items: Vocabulary, query: string): number {
  const r = resolveItem(items, query);
  if (r.kind === 'found') return r.index;
  if (r.kind === 'unknown') throw new UsageError(`unknown item ${JSON.stringify(query)}: neither an item id nor a title in the model`);
  throw new UsageError(`item ${JSON.stringify(query)} is ambiguous: ${r.candidates.length} titles match; give the item id or the full title:\n${describeCandidates(items, r.candidates)}`);
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
