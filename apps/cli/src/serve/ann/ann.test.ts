import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, scanFactorTopK, UsageError } from '@collab-ts/core';
import type { FactorTables } from '@collab-ts/core';
import { annCacheKey, annCachePath, writeCachedIndex } from './cache.js';
import { DEFAULT_ANN_PARAMS, ItemAnnIndex } from './item-index.js';
import { loadAnnLibrary } from './library.js';
import { measureRecall, sampleUsers } from './recall.js';
import { prepareAnn } from './served-ann.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Seeded factor tables with cluster structure, as trained factors have. */
function clustered(nUsers: number, nItems: number, dim: number, seed: number, bias = true): FactorTables {
  const rng = createRng(seed);
  const centres = Float32Array.from({ length: 8 * dim }, () => rng.normal());
  const row = (n: number) => {
    const out = new Float32Array(n * dim);
    for (let r = 0; r < n; r++) {
      const c = rng.int(8);
      for (let k = 0; k < dim; k++) out[r * dim + k] = centres[c * dim + k] + 0.3 * rng.normal();
    }
    return out;
  };
  return { dim, userFactors: row(nUsers), itemFactors: row(nItems), userBias: bias ? Float32Array.from({ length: nUsers }, () => rng.normal()) : null, itemBias: bias ? Float32Array.from({ length: nItems }, () => 0.5 * rng.normal()) : null, yRange: null };
}

const params = { ...DEFAULT_ANN_PARAMS, threads: 1 };

describe('the ANN item index (usearch)', () => {
  it('finds what the exact scan finds on a small catalog, with the same scores, the hidden items filtered', async () => {
    const lib = await loadAnnLibrary();
    for (const bias of [true, false]) {
      const t = clustered(30, 40, 6, 3, bias);
      const index = await ItemAnnIndex.build(lib, t, params);
      expect(index.dimensions).toBe(bias ? 7 : 6);
      for (let u = 0; u < 30; u += 7) {
        const hidden = [u, u + 1, 5, 5, 39];
        const [exact] = scanFactorTopK(t, [u], 10, { exclude: () => hidden });
        const approx = index.topItems(u, 10, hidden);
        // 40 items and a search width of 64: the graph search visits every item, so the answer is the exact one
        expect([...approx.items]).toEqual([...exact.items]);
        expect([...approx.scores]).toEqual([...exact.scores]);
      }
    }
  });

  it('over-fetches past the hidden items, and returns every unseen item when k exceeds them', async () => {
    const lib = await loadAnnLibrary();
    const t = clustered(5, 200, 4, 9);
    const index = await ItemAnnIndex.build(lib, t, { ...params, expansionSearch: 8 });
    const hidden = Array.from({ length: 190 }, (_, i) => i + 10); // all but items 0..9
    const top = index.topItems(2, 25, hidden);
    expect([...top.items].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let j = 1; j < top.scores.length; j++) expect(top.scores[j]).toBeLessThanOrEqual(top.scores[j - 1]);
    expect(index.topItems(2, 3, Array.from({ length: 200 }, (_, i) => i)).items.length).toBe(0);
  });

  it('measures recall@10 against the exact scan (near 1 for a wide search, lower for a starved one)', async () => {
    const lib = await loadAnnLibrary();
    const t = clustered(60, 3000, 8, 5);
    const users = sampleUsers(60, 20);
    expect(new Set(users).size).toBe(20);
    expect([...sampleUsers(60, 20)]).toEqual([...users]); // seeded
    const good = await measureRecall(await ItemAnnIndex.build(lib, t, { ...params, expansionSearch: 3000 }), t, users, () => undefined);
    expect(good).toMatchObject({ k: 10, users: 20 });
    expect(good.recall).toBeGreaterThanOrEqual(0.95);
    expect(good.recall).toBeLessThanOrEqual(1);
    expect(good.annMedianMs).toBeGreaterThan(0);
    // a graph with two neighbours per item searched with width 1 misses some of the top 10
    const poor = await measureRecall(await ItemAnnIndex.build(lib, t, { connectivity: 2, expansionAdd: 2, expansionSearch: 1, threads: 1 }), t, users, () => undefined);
    expect(poor.recall).toBeLessThan(good.recall);
    expect(poor.recall).toBeGreaterThan(0);
  });

  it('caches the index beside the model under a key of the item tables and build parameters, written atomically', async () => {
    const lib = await loadAnnLibrary();
    const dir = mkdtempSync(join(tmpdir(), 'collab-ann-cache-'));
    dirs.push(dir);
    const t = clustered(20, 100, 4, 2);
    const key = await annCacheKey(t, params);
    expect(await annCacheKey(t, { ...params, expansionSearch: 999 })).toBe(key); // a search setting, not the graph's
    expect(await annCacheKey(t, { ...params, connectivity: 8 })).not.toBe(key);
    const changed = { ...t, itemBias: t.itemBias!.map((b, i) => (i === 7 ? b + 1 : b)) };
    expect(await annCacheKey(changed, params)).not.toBe(key);

    writeFileSync(annCachePath(dir, 'stale'), 'an index of an older model');
    const model = { kind: 'dot-bias', nUsers: 20, nItems: 100, factors: () => t, predict: () => new Float32Array(0) };
    const setup = { lib, params, cacheDir: dir, recallUsers: 10 };
    const built = await prepareAnn(model, setup, () => undefined);
    expect(built.info).toMatchObject({ library: 'usearch', metric: 'inner-product', items: 100, dimensions: 5, source: 'built', cacheFile: annCachePath(dir, key), recallUsers: 10 });
    expect(readdirSync(dir)).toEqual([`ann-usearch.${key}.index`]); // the stale one removed, no temporary left
    const again = await prepareAnn(model, setup, () => undefined);
    expect(again.info.source).toBe('cache');
    expect(again.info.recallAt10).toBe(built.info.recallAt10);
    expect([...again.index.topItems(3, 10).items]).toEqual([...built.index.topItems(3, 10).items]);

    // a failed write leaves neither the target nor its temporary file
    const target = join(dir, 'ann-usearch.x.index');
    expect(() =>
      writeCachedIndex(target, (tmp) => {
        writeFileSync(tmp, 'half');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([`ann-usearch.${key}.index`]);
  });

  it('refuses a model without factor tables', async () => {
    const lib = await loadAnnLibrary();
    const model = { kind: 'item-knn', nUsers: 2, nItems: 2, factors: () => null, predict: () => new Float32Array(0) };
    await expect(prepareAnn(model, { lib, params, cacheDir: null, recallUsers: 1 }, () => undefined)).rejects.toThrow(/--ann needs a model whose scores are factor dot products; item-knn has none/);
  });
});

describe('loading the optional library', () => {
  it('is a one-line usage error saying what to install when the package is missing', async () => {
    const missing = () => Promise.reject(Object.assign(new Error("Cannot find package 'usearch' imported from /x/bin.js\n    at stack"), { code: 'ERR_MODULE_NOT_FOUND' }));
    const err = await loadAnnLibrary(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toBe(
      "--ann needs the optional package usearch, which could not be loaded (Cannot find package 'usearch' imported from /x/bin.js): run `npm install usearch@~2.25.3` where collab is installed, or serve without --ann",
    );
    await expect(loadAnnLibrary(() => Promise.resolve({ default: {} }))).rejects.toThrow(/has no Index class/);
  });
});
