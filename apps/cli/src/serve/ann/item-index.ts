import { setImmediate as nextTurn } from 'node:timers/promises';
import { scoreFactorBlock, TopKHeap } from '@collab-ts/core';
import type { FactorTables } from '@collab-ts/core';
import type { AnnLibrary, NativeAnnIndex } from './library.js';

/** How the HNSW graph is built and searched. */
export interface AnnParams {
  /** Neighbours kept per node (HNSW's M): more is better recall, more memory, slower build. */
  connectivity: number;
  /** Candidates examined per insertion (efConstruction): more is a better graph and a slower build. */
  expansionAdd: number;
  /** Candidates examined per query (ef): more is better recall and slower queries. */
  expansionSearch: number;
  /** Threads that add vectors (0: the library picks, usually one per core). */
  threads: number;
}

/**
 * Defaults chosen on 1M clustered items x 64 factors (`apps/cli/bench/ann.mjs`): recall@10 about 0.97 for about a
 * millisecond per query; a search width of 64 gave 0.94, 256 gave 0.99 at several times the query cost.
 */
export const DEFAULT_ANN_PARAMS: AnnParams = { connectivity: 16, expansionAdd: 64, expansionSearch: 128, threads: 0 };

/**
 * An approximate index of a factor model's items for top-k recommendations: an HNSW graph (usearch) under the
 * inner-product metric over the rows `[itemFactors_i, itemBias_i]`, queried with `[userFactors_u, 1]`, so the
 * inner product is the model's score less the user's bias (which does not change a user's ranking; neither does
 * a `yRange` sigmoid). The candidates it returns are re-scored with core's {@link scoreFactorBlock} and ranked
 * with its heap, so the items returned carry exactly the exact scan's scores and tie-break, and whenever the
 * index finds the true top k, the answer is the exact one.
 */
export class ItemAnnIndex {
  readonly nItems: number;
  /** Dimensions of the indexed vectors: the factors, plus one for the item bias when there is one. */
  readonly dimensions: number;
  private readonly query: Float32Array;

  private constructor(
    private readonly tables: FactorTables,
    readonly native: NativeAnnIndex,
  ) {
    this.nItems = tables.itemFactors.length / tables.dim;
    this.dimensions = tables.dim + (tables.itemBias ? 1 : 0);
    this.query = new Float32Array(this.dimensions);
  }

  /** The usearch configuration for these tables and parameters. */
  static config(tables: FactorTables, params: AnnParams): Parameters<AnnLibrary['createIndex']>[0] {
    return { dimensions: tables.dim + (tables.itemBias ? 1 : 0), metric: 'ip', quantization: 'f32', connectivity: params.connectivity, expansion_add: params.expansionAdd, expansion_search: params.expansionSearch, multi: false };
  }

  /**
   * Builds the index, a slice of items at a time with a turn of the event loop between slices (about 100 ms
   * each), so a server that rebuilds on reload keeps answering meanwhile. `progress` hears the items added.
   */
  static async build(lib: AnnLibrary, tables: FactorTables, params: AnnParams, progress?: (added: number, total: number) => void): Promise<ItemAnnIndex> {
    const native = lib.createIndex(ItemAnnIndex.config(tables, params));
    const index = new ItemAnnIndex(tables, native);
    const n = index.nItems;
    let slice = 256;
    for (let start = 0; start < n; ) {
      const end = Math.min(n, start + slice);
      const t0 = performance.now();
      native.add(index.keys(start, end), index.vectors(start, end), params.threads);
      const ms = performance.now() - t0;
      start = end;
      // aim at ~100 ms per slice: long enough for the library's threads to share it, short enough for requests
      slice = Math.max(64, Math.min(65_536, Math.round(slice * Math.min(4, 100 / Math.max(ms, 1)))));
      progress?.(start, n);
      await nextTurn();
    }
    return index;
  }

  /** An index read from a file that {@link save} wrote for the same tables and parameters. */
  static open(lib: AnnLibrary, tables: FactorTables, params: AnnParams, path: string): ItemAnnIndex {
    const native = lib.createIndex(ItemAnnIndex.config(tables, params));
    native.load(path);
    const index = new ItemAnnIndex(tables, native);
    if (native.size() !== index.nItems || native.dimensions() !== index.dimensions) {
      throw new Error(`${path} holds ${native.size()} vectors of ${native.dimensions()} dimensions, the model needs ${index.nItems} of ${index.dimensions}`);
    }
    return index;
  }

  save(path: string): void {
    this.native.save(path);
  }

  /** Keys of items `start..end` (the item index). */
  private keys(start: number, end: number): BigUint64Array {
    const keys = new BigUint64Array(end - start);
    for (let i = start; i < end; i++) keys[i - start] = BigInt(i);
    return keys;
  }

  /** Rows `[itemFactors_i, itemBias_i]` of items `start..end`. */
  private vectors(start: number, end: number): Float32Array {
    const { dim: d, itemFactors: V, itemBias: ib } = this.tables;
    if (!ib) return V.subarray(start * d, end * d);
    const D = d + 1;
    const out = new Float32Array((end - start) * D);
    for (let i = start; i < end; i++) {
      out.set(V.subarray(i * d, (i + 1) * d), (i - start) * D);
      out[(i - start) * D + d] = ib[i];
    }
    return out;
  }

  /**
   * The `k` best items for user `user` that `hidden` does not hold, best first, with their exact factor scores
   * (fewer when fewer remain). Over-fetches `k` plus the number of hidden items, and doubles that while the
   * hidden ones leave fewer than `k`.
   */
  topItems(user: number, k: number, hidden?: ArrayLike<number>): { items: Int32Array; scores: Float32Array } {
    const { dim: d, userFactors: U } = this.tables;
    const q = this.query;
    q.set(U.subarray(user * d, (user + 1) * d));
    if (this.dimensions > d) q[d] = 1;
    const skip = hidden && hidden.length > 0 ? new Set(Array.from(hidden)) : null;
    const n = this.nItems;
    let want = Math.min(n, k + (skip ? skip.size : 0));
    let found: number[] = [];
    while (want > 0) {
      const m = this.native.search(q, want, 1);
      found = [];
      for (let j = 0; j < m.keys.length; j++) {
        const item = Number(m.keys[j]);
        if (item < n && !skip?.has(item)) found.push(item);
      }
      if (found.length >= k || want >= n || m.keys.length < want) break;
      want = Math.min(n, want * 2);
    }
    return this.rank(user, found, k);
  }

  /** The best `k` of `candidates` under the exact factor scores (core's kernel and heap: ties by lower index). */
  private rank(user: number, candidates: number[], k: number): { items: Int32Array; scores: Float32Array } {
    const t = this.tables;
    const d = t.dim;
    const c = candidates.length;
    const rows = new Float32Array(c * d);
    const bias = t.itemBias ? new Float32Array(c) : null;
    for (let j = 0; j < c; j++) {
      rows.set(t.itemFactors.subarray(candidates[j] * d, (candidates[j] + 1) * d), j * d);
      if (bias) bias[j] = t.itemBias![candidates[j]];
    }
    const scores = new Float32Array(c);
    scoreFactorBlock({ ...t, itemFactors: rows, itemBias: bias }, [user], 0, 1, c, scores);
    const heap = new TopKHeap(Math.max(1, Math.min(k, c)));
    heap.reset(k);
    for (let j = 0; j < c; j++) heap.push(scores[j], candidates[j]);
    const items = new Int32Array(heap.size);
    const out = new Float32Array(items.length);
    heap.drain(items, out);
    return { items, scores: out };
  }
}
