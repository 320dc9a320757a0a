import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '@collab-ts/core';
import type { FactorTables, RatingColumns, Recommender, ScoredItem } from '@collab-ts/core';
import { randomSplit } from '@collab-ts/data';
import type { RatingsDataset, Split, Vocabulary } from '@collab-ts/data';
import { loadModel } from '@collab-ts/models/node';
import { MANIFEST_FILE } from '@collab-ts/models';
import type { ModelBundle } from '@collab-ts/models';
import { readData } from './data-source.js';
import { describeCandidates, resolveItem } from './item-query.js';
import { collabCommand } from './io/invocation.js';
import type { DataOptions } from './data-source.js';
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

/** Rows of a ratings file that name users or items a model (or a training set) does not know. */
export interface UnknownIds {
  /** The file or dataset the rows came from. */
  source: string;
  rows: number;
  users: number;
  items: number;
}

/**
 * Reads ratings the user named (`--data`, `--test-file`, ...) and encodes them with a model's vocabularies.
 * Rows whose user or item the vocabularies lack are counted (reported on stderr, and returned for `--json`),
 * never dropped silently. Paths come only from the command line: nothing recorded in a model file is opened.
 */
export async function ratingsForModel(
  bundle: Pick<ModelBundle, 'users' | 'items'>,
  data: string,
  out: Output,
  format: Partial<DataOptions> = {},
): Promise<{ cols: RatingColumns; ds: RatingsDataset; unknown: UnknownIds }> {
  const ds = await readData({ format: 'auto', ...format, data }, out);
  const { cols, unknown } = reencode(ds, bundle.users, bundle.items);
  reportUnknown(unknown, out);
  return { cols, ds, unknown };
}

/** One stderr line about rows with unknown ids (nothing when there are none). */
export function reportUnknown(u: UnknownIds, out: Output): void {
  if (u.rows === 0) return;
  out.warn(`${u.source}: ${u.rows} rows name ids unknown to the model's training data (${u.users} users, ${u.items} items); they are counted, not used`);
}

/** Maps a dataset's rating columns onto another pair of vocabularies (a model's), counting the rows with unknown ids. */
export function reencode(ds: RatingsDataset, users: Vocabulary, items: Vocabulary): { cols: RatingColumns; unknown: UnknownIds } {
  const n = ds.ratings.ratings.length;
  const uMap = Int32Array.from(ds.users.rawIds, (id) => users.tryEncode(id));
  const iMap = Int32Array.from(ds.items.rawIds, (id) => items.tryEncode(id));
  const keep: number[] = [];
  const badUsers = new Set<number>();
  const badItems = new Set<number>();
  for (let i = 0; i < n; i++) {
    const u = uMap[ds.ratings.users[i]];
    const it = iMap[ds.ratings.items[i]];
    if (u >= 0 && it >= 0) keep.push(i);
    if (u < 0) badUsers.add(ds.ratings.users[i]);
    if (it < 0) badItems.add(ds.ratings.items[i]);
  }
  const ts = ds.ratings.timestamps;
  const cols: RatingColumns = {
    users: Int32Array.from(keep, (i) => uMap[ds.ratings.users[i]]),
    items: Int32Array.from(keep, (i) => iMap[ds.ratings.items[i]]),
    ratings: Float32Array.from(keep, (i) => ds.ratings.ratings[i]),
    timestamps: ts ? Float64Array.from(keep, (i) => ts[i]) : null,
  };
  return { cols, unknown: { source: ds.source, rows: n - keep.length, users: badUsers.size, items: badItems.size } };
}

/** A model's training history as rating columns (values as stored: ratings or interaction strengths). */
export function historyColumns(model: Recommender): RatingColumns | null {
  const h = model.history;
  if (!h) return null;
  const users = new Int32Array(h.indices.length);
  for (let u = 0; u < h.nRows; u++) users.fill(u, h.offsets[u], h.offsets[u + 1]);
  return { users, items: h.indices.slice(), ratings: h.values.slice(), timestamps: null };
}

/** How many users interacted with each item in the model's history (`null` without one). */
export function historyCounts(model: Recommender): Float64Array | null {
  const h = model.history;
  if (!h) return null;
  const counts = new Float64Array(model.nItems);
  for (let k = 0; k < h.indices.length; k++) counts[h.indices[k]]++;
  return counts;
}

/** The items of `user` in `cols` (for hiding what a `--data` file says they rated). */
export function seenItems(cols: RatingColumns, user: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < cols.users.length; i++) if (cols.users[i] === user) out.push(cols.items[i]);
  return Int32Array.from(out);
}

/** The `k` most popular items by `counts`, skipping `exclude`: the fallback for users with no history. */
export function popularItems(counts: ArrayLike<number>, k: number, exclude: ArrayLike<number> = []): { item: number; score: number }[] {
  const skip = new Set(Array.from(exclude));
  const order = Array.from({ length: counts.length }, (_, i) => i).filter((i) => !skip.has(i));
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  return order.slice(0, k).map((item) => ({ item, score: counts[item] }));
}

/**
 * Recreates the random train/validation split recorded in a model's metadata by `collab train` (`null` when
 * the model was validated on a file or not at all).
 */
export function recordedSplit(bundle: ModelBundle, cols: RatingColumns): Split | null {
  const o = bundle.meta.options as { validPct?: number; seed?: number; validFile?: string } | undefined;
  if (!o || typeof o.validPct !== 'number' || typeof o.seed !== 'number' || o.validFile || !(o.validPct > 0)) return null;
  return randomSplit(cols, { validPct: o.validPct, seed: o.seed });
}

/** The model's factor tables, or a usage error saying that `what` needs a model with factor tables. */
export function requireFactors(bundle: ModelBundle, what: string): FactorTables {
  const factors = bundle.model.factors();
  if (!factors) throw new UsageError(`${what} needs a model with factor tables (a dot-product or matrix-factorization model); ${bundle.model.kind} has none`);
  return factors;
}

/**
 * The `k` items most similar to `item` under the model's own notion of similarity, among items with at least
 * `minCount` interactions in `counts` (all items when `counts` is null): rarely rated items' factors are
 * mostly initial noise and decay.
 */
export function wellRatedNeighbours(model: Recommender, item: number, k: number, counts: ArrayLike<number> | null, minCount: number): ScoredItem[] {
  const all = model.similarItems(item, counts && minCount > 0 ? model.nItems - 1 : k);
  return all.filter((s) => !counts || counts[s.item] >= minCount).slice(0, k);
}
