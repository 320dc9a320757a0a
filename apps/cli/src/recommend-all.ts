import type { RatingColumns, TaskRunner } from '@collab-ts/core';
import { excludedFrom, recommendationTable } from '@collab-ts/eval';
import type { ExcludedItems, RecommendationTable } from '@collab-ts/eval';
import type { ModelBundle } from '@collab-ts/models';
import { historyCounts } from './model-source.js';
import { recommendOnThreads } from './parallel.js';

/** What `recommend --all` hides: the model's training history, plus the ratings of `--data`. */
export interface HiddenItems {
  /** Hide nothing (`--include-seen`). */
  readonly includeSeen: boolean;
  /** Ratings of `--data`, re-encoded to the model's indices. */
  readonly extra: RatingColumns | null;
}

/** The items to leave out per user, sorted: the history itself when nothing is added (no copy), else a merge. */
function excludedItems(bundle: ModelBundle, hidden: HiddenItems): ExcludedItems | null {
  if (hidden.includeSeen) return null;
  const h = bundle.model.history;
  const extra = hidden.extra && hidden.extra.ratings.length > 0 ? hidden.extra : null;
  if (!extra) return h ? { offsets: h.offsets, items: h.indices } : null;
  if (!h) return excludedFrom(bundle.model, extra, 'recommend --data');
  const n = h.indices.length + extra.items.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let u = 0; u < h.nRows; u++) users.fill(u, h.offsets[u], h.offsets[u + 1]);
  items.set(h.indices);
  users.set(extra.users, h.indices.length);
  items.set(extra.items, h.indices.length);
  return excludedFrom(bundle.model, { users, items, ratings: new Float32Array(n), timestamps: null }, 'recommend --data');
}

/**
 * Every user's top `k`, in user order: the model's blocked top-k for users with training history (on the
 * runner's threads, in shared memory), the most popular items for users without (none of their hidden items).
 */
export async function recommendEveryUser(bundle: ModelBundle, k: number, hidden: HiddenItems, runner: TaskRunner): Promise<{ table: RecommendationTable; cold: number }> {
  const { model } = bundle;
  const h = model.history;
  const known: number[] = [];
  const cold: number[] = [];
  for (let u = 0; u < model.nUsers; u++) (h && h.offsets[u + 1] === h.offsets[u] ? cold : known).push(u);
  const excluded = excludedItems(bundle, hidden);
  const warm = recommendationTable(known, k, { shared: true });
  await recommendOnThreads(model, warm, excluded, runner);
  if (cold.length === 0) return { table: warm, cold: 0 };
  // one table over every user: the model's lists where it has them, popularity for the others
  const all = recommendationTable(Int32Array.from({ length: model.nUsers }, (_, u) => u), k);
  const kk = warm.k;
  for (let j = 0; j < known.length; j++) {
    const u = known[j];
    all.counts[u] = warm.counts[j];
    all.items.set(warm.items.subarray(j * kk, (j + 1) * kk), u * kk);
    all.scores.set(warm.scores.subarray(j * kk, (j + 1) * kk), u * kk);
  }
  const counts = historyCounts(model)!;
  // items by count, most first, ties by lower index: sorted once for every cold user
  const order = Int32Array.from({ length: counts.length }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  const extra = hidden.extra && !hidden.includeSeen && hidden.extra.ratings.length > 0 ? excludedFrom(model, hidden.extra, 'recommend --data') : null;
  for (const u of cold) {
    const lo = extra ? extra.offsets[u] : 0;
    const hi = extra ? extra.offsets[u + 1] : 0;
    let m = 0;
    for (let p = 0; p < order.length && m < kk; p++) {
      const item = order[p];
      let seen = false;
      for (let e = lo; e < hi && !seen; e++) seen = extra!.items[e] === item;
      if (seen) continue;
      all.items[u * kk + m] = item;
      all.scores[u * kk + m] = counts[item];
      m++;
    }
    all.counts[u] = m;
  }
  return { table: all, cold: cold.length };
}
