import { existsSync } from 'node:fs';
import { UsageError } from '@collab-ts/core';
import type { Scorer } from '@collab-ts/core';
import { annCacheKey, annCachePath, writeCachedIndex } from './cache.js';
import { ItemAnnIndex } from './item-index.js';
import type { AnnParams } from './item-index.js';
import type { AnnLibrary } from './library.js';
import { measureRecall, sampleUsers } from './recall.js';

/** What `/health` and the startup log say about the index. */
export interface AnnInfo {
  library: string;
  metric: 'inner-product';
  items: number;
  dimensions: number;
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  /** `built` (now), `cache` (read from the file beside the model). */
  source: 'built' | 'cache';
  /** The cache file read or written; null when caching is off or the write failed. */
  cacheFile: string | null;
  /** Milliseconds to build or read the index. */
  ms: number;
  /** Recall@10 against the exact scan on `recallUsers` sampled users (their seen items hidden, as served). */
  recallAt10: number;
  recallUsers: number;
  /** Median and 95th-percentile milliseconds of one ANN query during the recall measurement. */
  queryMedianMs: number;
  queryP95Ms: number;
}

/** How `serve --ann` builds its index. */
export interface AnnSetup {
  lib: AnnLibrary;
  params: AnnParams;
  /** The model directory to cache the index in; null not to cache. */
  cacheDir: string | null;
  /** Users sampled for recall@10. */
  recallUsers: number;
  /** Progress and outcome lines for a person (the startup log). */
  log?: (line: string) => void;
}

/** A model's ANN index as the server uses it, with what was measured about it. */
export interface ServedAnn {
  index: ItemAnnIndex;
  info: AnnInfo;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The ANN index of a factor model: read from the cache beside the model when a file for the same item tables and
 * build parameters is there, else built (and cached, atomically; a folder that cannot be written is only a
 * warning); then its recall@10 against the exact scan is measured on a seeded sample of users, each with
 * `hidden(u)` filtered out as the server filters it.
 * @throws UsageError when the model has no factor tables (item-knn, ease, popularity).
 */
export async function prepareAnn(model: Scorer & { kind: string }, setup: AnnSetup, hidden: (u: number) => ArrayLike<number> | undefined): Promise<ServedAnn> {
  const tables = model.factors();
  if (!tables) throw new UsageError(`--ann needs a model whose scores are factor dot products; ${model.kind} has none (serve it without --ann)`);
  const { lib, params, log } = setup;
  const t0 = performance.now();
  let index: ItemAnnIndex | null = null;
  let cacheFile: string | null = null;
  let source: AnnInfo['source'] = 'built';
  if (setup.cacheDir) {
    cacheFile = annCachePath(setup.cacheDir, await annCacheKey(tables, params));
    if (existsSync(cacheFile)) {
      try {
        index = ItemAnnIndex.open(lib, tables, params, cacheFile);
        source = 'cache';
      } catch (err) {
        log?.(`ann: cannot read ${cacheFile} (${(err as Error).message}); building the index again`);
      }
    }
  }
  if (!index) {
    let shown = 0;
    index = await ItemAnnIndex.build(lib, tables, params, (added, total) => {
      const tenth = Math.floor((10 * added) / total);
      if (tenth > shown && total >= 100_000) log?.(`ann: indexed ${added.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} items`);
      shown = tenth;
    });
    if (cacheFile) {
      try {
        writeCachedIndex(cacheFile, (tmp) => index!.save(tmp));
      } catch (err) {
        log?.(`ann: cannot cache the index in ${setup.cacheDir} (${(err as Error).message.split('\n')[0]}); it is rebuilt at each start`);
        cacheFile = null;
      }
    }
  }
  const ms = performance.now() - t0;
  const sample = sampleUsers(model.nUsers, setup.recallUsers);
  const r = await measureRecall(index, tables, sample, hidden);
  const info: AnnInfo = {
    library: lib.name,
    metric: 'inner-product',
    items: index.nItems,
    dimensions: index.dimensions,
    connectivity: params.connectivity,
    expansionAdd: params.expansionAdd,
    expansionSearch: params.expansionSearch,
    source,
    cacheFile,
    ms: round(ms, 1),
    recallAt10: round(r.recall, 4),
    recallUsers: r.users,
    queryMedianMs: round(r.annMedianMs, 3),
    queryP95Ms: round(r.annP95Ms, 3),
  };
  log?.(
    `ann: ${lib.name} HNSW (inner product) over ${info.items.toLocaleString('en-US')} items, ${source === 'cache' ? `read from ${cacheFile}` : `built${cacheFile ? ` and cached in ${cacheFile}` : ''}`} in ${(ms / 1000).toFixed(1)} s; recall@10 ${info.recallAt10.toFixed(3)} against the exact scan on ${info.recallUsers} users, ${info.queryMedianMs} ms per query (median)`,
  );
  return { index, info };
}

/**
 * Top-`k` recommendations from the index, scored by `predict` as the exact path reports them (on the rating
 * scale), best first. @throws when a score is not finite (the caller answers 500, as for the exact path).
 */
export function annRecommend(ann: ServedAnn, scorer: Scorer, user: number, k: number, hidden: ArrayLike<number> | undefined): { item: number; score: number }[] {
  const top = ann.index.topItems(user, k, hidden);
  if (top.items.length === 0) return [];
  const scores = scorer.predict(new Int32Array(top.items.length).fill(user), top.items);
  return Array.from(top.items, (item, j) => ({ item, score: scores[j] }));
}
