import { setImmediate as nextTurn } from 'node:timers/promises';
import { createRng, scanFactorTopK } from '@collab-ts/core';
import type { FactorTables } from '@collab-ts/core';
import type { ItemAnnIndex } from './item-index.js';

/** What {@link measureRecall} found. */
export interface RecallReport {
  /** Mean over the sampled users of |ANN top k ∩ exact top k| / |exact top k|. */
  recall: number;
  /** The `k` of recall@k (10). */
  k: number;
  /** Users sampled. */
  users: number;
  /** Median and 95th-percentile milliseconds of one ANN query (search, filter and re-rank). */
  annMedianMs: number;
  annP95Ms: number;
}

/** The `q`-quantile of `xs` (nearest rank). */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** `count` distinct users of `0..nUsers-1`, drawn with a seeded RNG (all of them when there are no more). */
export function sampleUsers(nUsers: number, count: number, seed = 1): Int32Array {
  const all = Int32Array.from({ length: nUsers }, (_, u) => u);
  const m = Math.min(count, nUsers);
  const rng = createRng(seed);
  for (let j = 0; j < m; j++) {
    const r = j + rng.int(nUsers - j);
    [all[j], all[r]] = [all[r], all[j]];
  }
  return all.subarray(0, m).sort();
}

/**
 * Recall@k of the index against core's exact blocked scan on a seeded sample of users, each with the items
 * `hidden(u)` filtered out of both answers, as the server filters them. The exact scan runs four users at a
 * time with a turn of the event loop in between, so a server measuring a reloaded model keeps answering.
 */
export async function measureRecall(
  index: ItemAnnIndex,
  tables: FactorTables,
  users: ArrayLike<number>,
  hidden: (u: number) => ArrayLike<number> | undefined,
  k = 10,
): Promise<RecallReport> {
  let sum = 0;
  let counted = 0;
  const times: number[] = [];
  for (let from = 0; from < users.length; from += 4) {
    const block = Array.from({ length: Math.min(4, users.length - from) }, (_, b) => users[from + b]);
    const exact = scanFactorTopK(tables, block, k, { exclude: (b) => hidden(block[b]) });
    block.forEach((u, b) => {
      const t0 = performance.now();
      const approx = index.topItems(u, k, hidden(u));
      times.push(performance.now() - t0);
      const want = exact[b].items;
      if (want.length === 0) return; // nothing left to recommend: no recall to measure
      const got = new Set(approx.items);
      let hit = 0;
      for (const item of want) if (got.has(item)) hit++;
      sum += hit / want.length;
      counted++;
    });
    await nextTurn();
  }
  return { recall: counted ? sum / counted : NaN, k, users: counted, annMedianMs: quantile(times, 0.5), annP95Ms: quantile(times, 0.95) };
}
