// The `metadata/` line of a saved Spark `ALSModel` (Spark's `DefaultParamsWriter.saveMetadata`): one JSON
// object with the class, a timestamp, the Spark version, the uid, the model's params and `rank`.
import { DataError } from '@collab-ts/core';
import type { SparkAlsObjective } from '../families/spark-als/solve.js';

/** The class name Spark checks when `ALSModel.load` reads the metadata. */
export const ALS_MODEL_CLASS = 'org.apache.spark.ml.recommendation.ALSModel';

/** The Spark version written into exported metadata (it decides how Spark reads `defaultParamMap`: >= 2.4). */
export const EXPORTED_SPARK_VERSION = '3.5.1';

/**
 * The top-level key under which an export records what Spark's metadata has no place for: the objective
 * the factors were trained with. Spark ignores top-level keys it does not know (it reads `rank` the same way),
 * while an unknown name in `paramMap` would make `ALSModel.load` fail: `regParam`, `implicitPrefs` and
 * `alpha` are params of the `ALS` estimator, not of the `ALSModel`.
 */
export const OBJECTIVE_KEY = 'collabTs';

/** The params of a Spark `ALSModel` (`ALSModelParams`), with Spark's defaults. */
export interface AlsModelParams {
  userCol: string;
  itemCol: string;
  predictionCol: string;
  coldStartStrategy: string;
}

const DEFAULT_PARAMS: AlsModelParams = { userCol: 'user', itemCol: 'item', predictionCol: 'prediction', coldStartStrategy: 'nan' };

/** What the metadata of a saved `ALSModel` says. */
export interface SparkAlsMetadata {
  rank: number;
  uid: string;
  sparkVersion: string;
  /** Milliseconds since the epoch, when Spark saved it. */
  timestamp: number;
  /** The model's params: set values over Spark's defaults. */
  params: AlsModelParams;
  /** The objective recorded by a collab-ts export (`null` for a model saved by Spark itself). */
  objective: SparkAlsObjective | null;
}

/** A uid like Spark's `Identifiable.randomUID("als")`: the prefix and 12 hex digits. */
export function randomAlsUid(random: () => number = Math.random): string {
  let hex = '';
  for (let j = 0; j < 12; j++) hex += Math.floor(random() * 16).toString(16);
  return `als_${hex}`;
}

/**
 * The metadata line Spark's `ALSModel.load` accepts: `class`, `timestamp`, `sparkVersion`, `uid`, `paramMap`
 * (only `ALSModel` params), `defaultParamMap` and `rank`, plus the objective (when known) under {@link OBJECTIVE_KEY}.
 */
export function sparkAlsMetadataLine(m: { rank: number; uid?: string; timestamp?: number; params?: Partial<AlsModelParams>; objective: SparkAlsObjective | null }): string {
  const params = { ...DEFAULT_PARAMS, ...(m.params ?? {}) };
  return JSON.stringify({
    class: ALS_MODEL_CLASS,
    timestamp: m.timestamp ?? Date.now(),
    sparkVersion: EXPORTED_SPARK_VERSION,
    uid: m.uid ?? randomAlsUid(),
    paramMap: params,
    defaultParamMap: DEFAULT_PARAMS,
    rank: m.rank,
    ...(m.objective ? { [OBJECTIVE_KEY]: { regParam: m.objective.regParam, implicitPrefs: m.objective.implicitPrefs, alpha: m.objective.alpha } } : {}),
  });
}

function objectiveOf(v: unknown, file: string): SparkAlsObjective | null {
  if (v === undefined) return null;
  const o = v as Partial<SparkAlsObjective> | null;
  const ok = o && typeof o === 'object' && typeof o.implicitPrefs === 'boolean' && typeof o.regParam === 'number' && o.regParam >= 0 && typeof o.alpha === 'number' && o.alpha >= 0;
  if (!ok) throw new DataError(`${OBJECTIVE_KEY} must hold regParam, implicitPrefs and alpha, got ${JSON.stringify(v)}`, { file });
  return { regParam: o.regParam!, implicitPrefs: o.implicitPrefs!, alpha: o.alpha! };
}

function stringParams(v: unknown, what: string, file: string): Partial<AlsModelParams> {
  if (v === undefined) return {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new DataError(`${what} is not a JSON object`, { file });
  const out: Record<string, string> = {};
  for (const key of Object.keys(DEFAULT_PARAMS)) {
    const p = (v as Record<string, unknown>)[key];
    if (p !== undefined && typeof p !== 'string') throw new DataError(`${what}.${key} must be a string, got ${JSON.stringify(p)}`, { file });
    if (typeof p === 'string') out[key] = p;
  }
  return out;
}

/**
 * Parses the metadata line of a saved `ALSModel` as Spark does: the class must be `ALSModel`, `rank` a positive
 * integer; params are the set values over the saved defaults over Spark's.
 * @throws DataError naming `file` when the line is not such metadata.
 */
export function parseSparkAlsMetadata(line: string, file: string): SparkAlsMetadata {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(line) as Record<string, unknown>;
  } catch (err) {
    throw new DataError(`not valid JSON: ${(err as Error).message}`, { file, line: 1 });
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new DataError('the metadata line is not a JSON object', { file, line: 1 });
  if (m.class !== ALS_MODEL_CLASS) throw new DataError(`class is ${JSON.stringify(m.class)}, expected ${ALS_MODEL_CLASS} (is this a saved ALSModel, not an ALS estimator or a pipeline?)`, { file, line: 1 });
  const rank = m.rank;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) throw new DataError(`rank must be a positive integer, got ${JSON.stringify(rank)}`, { file, line: 1 });
  const params = { ...DEFAULT_PARAMS, ...stringParams(m.defaultParamMap, 'defaultParamMap', file), ...stringParams(m.paramMap, 'paramMap', file) };
  return {
    rank,
    uid: typeof m.uid === 'string' ? m.uid : randomAlsUid(),
    sparkVersion: typeof m.sparkVersion === 'string' ? m.sparkVersion : 'unknown',
    timestamp: typeof m.timestamp === 'number' ? m.timestamp : 0,
    params,
    objective: objectiveOf(m[OBJECTIVE_KEY], file),
  };
}
