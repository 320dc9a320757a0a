import { UsageError, userItemMatrix } from '@collab-ts/core';
import type { RecommenderState } from '@collab-ts/core';
import type { FamilyOption, FamilySpec } from '../../registry/family.js';
import { savedTensor } from '../saved-tensor.js';
import { SparkAlsRecommender } from './recommender.js';
import type { SparkAlsConfig } from './recommender.js';
import { trainSparkAls } from './train.js';
import type { SparkAlsSettings } from './train.js';

const OPTIONS: readonly FamilyOption[] = [
  { name: 'factors', type: 'int', min: 1, default: 10, help: "latent factors per user and item (Spark's rank)" },
  { name: 'iterations', type: 'int', min: 1, default: 10, help: "alternating iterations, items then users (Spark's maxIter)" },
  { name: 'regParam', type: 'number', min: 0, default: 0.1, help: "Spark's regParam: each row's ridge penalty is regParam x its number of ratings (ALS-WR)" },
  { name: 'implicitPrefs', type: 'boolean', default: false, help: "Spark's implicitPrefs: ratings are confidences of a 0/1 preference (Hu, Koren and Volinsky) instead of targets" },
  { name: 'alpha', type: 'number', min: 0, default: 1, help: 'confidence slope: an interaction of strength r has confidence 1 + alpha |r| (ials, implicitPrefs)' },
  { name: 'seed', type: 'int', min: 0, default: 42, help: 'seed of the random initial factors' },
];

function settings(o: Readonly<Record<string, unknown>>): SparkAlsSettings {
  return {
    factors: o.factors as number,
    iterations: o.iterations as number,
    regParam: o.regParam as number,
    implicitPrefs: o.implicitPrefs as boolean,
    alpha: o.alpha as number,
    seed: o.seed as number,
  };
}

function count(c: Record<string, unknown>, name: string, min: number): number {
  const v = c[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new UsageError(`spark-als: config ${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function nonNegative(c: Record<string, unknown>, name: string): number {
  const v = c[name];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new UsageError(`spark-als: config ${name} must be a finite number >= 0, got ${JSON.stringify(v)}`);
  return v;
}

/** A saved `spark-als` configuration, checked. */
export function sparkAlsConfig(c: Record<string, unknown>): SparkAlsConfig {
  if (typeof c.implicitPrefs !== 'boolean') throw new UsageError(`spark-als: config implicitPrefs must be true or false, got ${JSON.stringify(c.implicitPrefs)}`);
  return {
    nUsers: count(c, 'nUsers', 0),
    nItems: count(c, 'nItems', 0),
    factors: count(c, 'factors', 1),
    regParam: nonNegative(c, 'regParam'),
    implicitPrefs: c.implicitPrefs,
    alpha: nonNegative(c, 'alpha'),
  };
}

/**
 * Spark MLlib's ALS (`org.apache.spark.ml.recommendation.ALS`): the model a Spark cluster trains, imported
 * from its saved `ALSModel` folder (`collab import spark-als`, `readSparkAlsModel` in
 * `@collab-ts/models/node`), or trained here on one machine by the same objective, explicit ratings with the
 * ALS-WR penalty or `implicitPrefs`. Scores are plain factor dot products, as Spark's; a new user is folded in
 * by Spark's user solve.
 *
 * @example
 * const rec = await fitRecommender('spark-als', { train: ratings, nUsers, nItems }, { factors: 10, regParam: 0.1 });
 * rec.recommendNew([12, 40], [5, 4], { k: 10 }); // a new user's ratings, solved as Spark solves its users
 */
export const SPARK_ALS_FAMILY: FamilySpec = {
  kind: 'spark-als',
  summary: "Spark MLlib's ALS: imported from a saved ALSModel, or trained here by the same objective (ALS-WR, implicitPrefs)",
  peerName: 'Spark MLlib ALS',
  tasks: ['rating', 'ranking'],
  method: 'alternating-least-squares',
  options: OPTIONS,
  backends: ['fused'],
  async fit(data, options, ctx) {
    const s = settings(options);
    const r = data.train.ratings;
    for (let j = 0; j < r.length; j++) {
      if (!Number.isFinite(r[j])) throw new UsageError(`spark-als: rating ${r[j]} at row ${j} is not a finite number`);
    }
    const ui = userItemMatrix(data.train, data.nUsers, data.nItems);
    ctx.log?.(`spark-als: ${data.nUsers} users, ${data.nItems} items, ${r.length} ratings, rank ${s.factors}, ${s.iterations} iterations, ${s.implicitPrefs ? `implicit (alpha ${s.alpha})` : 'explicit'}`);
    const t = trainSparkAls(ui, s, ctx.progress);
    const config: SparkAlsConfig = { nUsers: data.nUsers, nItems: data.nItems, factors: s.factors, regParam: s.regParam, implicitPrefs: s.implicitPrefs, alpha: s.alpha };
    const rec = new SparkAlsRecommender(config, Float32Array.from(t.userFactors), Float32Array.from(t.itemFactors));
    rec.history = ui;
    return rec;
  },
  async load(state: RecommenderState) {
    const c = sparkAlsConfig(state.config);
    for (const name of Object.keys(state.tensors)) {
      if (name !== 'userFactors' && name !== 'itemFactors') throw new Error(`unexpected tensor ${name} for a spark-als model`);
    }
    const userFactors = savedTensor(state.tensors, 'userFactors', Float32Array, [c.nUsers, c.factors]);
    const itemFactors = savedTensor(state.tensors, 'itemFactors', Float32Array, [c.nItems, c.factors]);
    return new SparkAlsRecommender(c, userFactors, itemFactors);
  },
};
