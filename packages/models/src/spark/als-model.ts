// Between a saved Spark ALSModel folder and a collab-ts model: Spark's integer ids become the vocabularies,
// the factor rows are reordered to them, and the objective the user solve needs is carried along.
import { UsageError, Vocabulary } from '@collab-ts/core';
import type { Recommender } from '@collab-ts/core';
import { SparkAlsRecommender } from '../families/spark-als/recommender.js';
import type { SparkAlsObjective } from '../families/spark-als/solve.js';
import type { IalsRecommender } from '../families/ials/recommender.js';
import type { ModelBundle } from '../io/bundle.js';
import type { SparkFactorTable } from './factor-parquet.js';
import { readSparkAlsFolder, writeSparkAlsFolder } from './layout.js';
import type { AlsModelParams } from './metadata.js';

/** Spark's `ALS` defaults: what an imported model's user solve uses when nothing else says. */
export const SPARK_ALS_DEFAULTS: SparkAlsObjective = { regParam: 0.1, implicitPrefs: false, alpha: 1 };

/** Options of {@link importSparkAls}. */
export interface ImportSparkAlsOptions {
  /** The objective of the Spark job (overrides what the folder records). */
  objective?: Partial<SparkAlsObjective>;
}

/** Where the imported model's objective came from. */
export type ObjectiveSource = 'given' | 'recorded by collab-ts export' | "Spark's defaults";

function vocabularyOf(kind: 'user' | 'item', t: SparkFactorTable, rank: number): { vocab: Vocabulary; factors: Float32Array } {
  const vocab = Vocabulary.fromIds(kind, Array.from(t.ids, String));
  const factors = new Float32Array(t.factors.length);
  for (let r = 0; r < t.ids.length; r++) factors.set(t.factors.subarray(r * rank, (r + 1) * rank), vocab.encode(String(t.ids[r])) * rank);
  return { vocab, factors };
}

/**
 * Reads a saved Spark `ALSModel` folder into a `spark-als` model: vocabularies of Spark's ids (numeric order),
 * the factor tables, and the objective for the user solve (given > recorded by a collab-ts export > Spark's
 * defaults; Spark itself does not save `regParam`, `implicitPrefs` or `alpha` with the model). The model has
 * no training history: attach one for seen-item filtering.
 * @example
 * const { model, users, items, meta } = await importSparkAls('als-model', { objective: { implicitPrefs: true, alpha: 40 } });
 * saveModel('models/als', model, { users, items, meta });
 */
export async function importSparkAls(dir: string, opts: ImportSparkAlsOptions = {}): Promise<ModelBundle & { objectiveSource: ObjectiveSource; complete: boolean }> {
  const saved = await readSparkAlsFolder(dir);
  const { rank } = saved.metadata;
  const u = vocabularyOf('user', saved.users, rank);
  const i = vocabularyOf('item', saved.items, rank);
  const given = opts.objective ?? {};
  const base = saved.metadata.objective ?? SPARK_ALS_DEFAULTS;
  const objective: SparkAlsObjective = { ...base, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  const objectiveSource: ObjectiveSource = Object.values(given).some((v) => v !== undefined) ? 'given' : saved.metadata.objective ? 'recorded by collab-ts export' : "Spark's defaults";
  const model = new SparkAlsRecommender({ nUsers: u.vocab.size, nItems: i.vocab.size, factors: rank, ...objective }, u.factors, i.factors);
  const { uid, sparkVersion, timestamp, params } = saved.metadata;
  const meta = { spark: { uid, sparkVersion, timestamp, params, userParts: saved.users.parts.length, itemParts: saved.items.parts.length }, objectiveSource };
  return { model, users: u.vocab, items: i.vocab, meta, objectiveSource, complete: saved.users.complete && saved.items.complete };
}

function sparkIds(v: Vocabulary): Int32Array {
  return Int32Array.from(v.rawIds, (id) => {
    const n = Number(id);
    if (!/^-?\d+$/.test(id.trim()) || n < -2147483648 || n > 2147483647) {
      throw new UsageError(`${v.kind} id ${JSON.stringify(id)} is not an integer in Spark's int range: Spark's ALS keys its factors by int ids (index string ids with Spark's StringIndexer before training)`);
    }
    return n;
  });
}

/** Options of {@link exportSparkAls}. */
export interface ExportSparkAlsOptions {
  /**
   * Models with user and item biases: add two factor columns, `[x_u, b_u, 1]` and `[y_i, 1, b_i]`, so that the
   * dot product adds both biases (the rank grows by 2). Without it such a model is refused. A global mean or
   * an output range (sigmoid) has no place in Spark's dot product: rankings stay the same, score values do not.
   */
  foldBiases?: boolean;
  parts?: number;
  overwrite?: boolean;
}

/** What an export wrote. */
export interface ExportSparkAlsReport {
  rank: number;
  users: number;
  items: number;
  foldedBiases: boolean;
  /** Score differences Spark's dot product cannot carry (empty when its scores equal collab's). */
  caveats: string[];
}

function objectiveOf(model: Recommender): SparkAlsObjective | null {
  if (model instanceof SparkAlsRecommender) return { regParam: model.config.regParam, implicitPrefs: model.config.implicitPrefs, alpha: model.config.alpha };
  if (model.kind === 'ials') {
    const c = (model as IalsRecommender).config;
    // ials's penalty is reg I, Spark's regParam x n: recorded as a starting point for a warm start, not an equivalence
    return { regParam: c.regularization, implicitPrefs: true, alpha: c.alpha };
  }
  return null;
}

/**
 * Writes a model's factor tables as a Spark `ALSModel` folder (`ALSModel.load(dir)` reads it, to score or to
 * seed a new fit). Works for every family with factor tables (`spark-als`, `ials`, `dot`, `bpr`, ...); raw ids
 * must be Spark ints.
 * @throws UsageError for a model without factor tables, with biases and no `foldBiases`, or with non-int ids.
 */
export async function exportSparkAls(dir: string, bundle: Pick<ModelBundle, 'model' | 'users' | 'items' | 'meta'>, opts: ExportSparkAlsOptions = {}): Promise<ExportSparkAlsReport> {
  const { model } = bundle;
  const t = model.factors();
  if (!t) throw new UsageError(`${model.kind} has no factor tables, so it has no Spark ALSModel form (export a dot-product or ALS model: ials, spark-als, dot, ...)`);
  const hasBias = t.userBias !== null || t.itemBias !== null;
  if (hasBias && !opts.foldBiases) {
    throw new UsageError(`${model.kind} adds user and item biases to its dot product, which Spark's ALSModel cannot hold; pass --fold-biases to carry them as two extra factor columns (rank ${t.dim} -> ${t.dim + 2})`);
  }
  const caveats: string[] = [];
  let rank = t.dim;
  let U = t.userFactors;
  let V = t.itemFactors;
  if (hasBias) {
    rank = t.dim + 2;
    U = widen(t.userFactors, model.nUsers, t.dim, (r) => [t.userBias ? t.userBias[r] : 0, 1]);
    V = widen(t.itemFactors, model.nItems, t.dim, (r) => [1, t.itemBias ? t.itemBias[r] : 0]);
  }
  if (t.yRange) caveats.push(`Spark's scores are the raw dot products; collab maps them through the sigmoid range [${t.yRange.join(', ')}] (same ranking, other values)`);
  if (model.kind === 'svd') caveats.push("Spark's scores leave out svd's global mean (same ranking, values shifted)");
  const spark = (bundle.meta.spark ?? {}) as { uid?: string; params?: Partial<AlsModelParams> };
  await writeSparkAlsFolder(dir, {
    rank,
    users: { ids: sparkIds(bundle.users), factors: U },
    items: { ids: sparkIds(bundle.items), factors: V },
    objective: objectiveOf(model),
    params: spark.params,
    uid: spark.uid,
    parts: opts.parts,
    overwrite: opts.overwrite,
  });
  return { rank, users: model.nUsers, items: model.nItems, foldedBiases: hasBias, caveats };
}

/** `n x d` rows with two columns appended from `extra(row)`. */
function widen(x: Float32Array, n: number, d: number, extra: (row: number) => [number, number]): Float32Array {
  const out = new Float32Array(n * (d + 2));
  for (let r = 0; r < n; r++) {
    out.set(x.subarray(r * d, (r + 1) * d), r * (d + 2));
    const [a, b] = extra(r);
    out[r * (d + 2) + d] = a;
    out[r * (d + 2) + d + 1] = b;
  }
  return out;
}
