import { inlineRunner, UsageError, userItemMatrix } from '@collab-ts/core';
import type { RecommenderState } from '@collab-ts/core';
import type { FamilyOption, FamilySpec } from '../../registry/family.js';
import { IalsRecommender } from './recommender.js';
import type { IalsConfig } from './recommender.js';
import { trainIalsThreaded } from './train.js';
import type { IalsSettings } from './train.js';

const OPTIONS: readonly FamilyOption[] = [
  { name: 'factors', type: 'int', min: 1, default: 32, help: 'latent factors per user and item (implicit defaults to 100; 32 validates better on MovieLens 100k)' },
  { name: 'regularization', type: 'number', min: 0, default: 0.01, help: 'ridge penalty on every factor vector (reg * I, as implicit)' },
  {
    name: 'alpha',
    type: 'number',
    min: 0,
    default: 1,
    help: 'confidence slope: an interaction of strength r has confidence 1 + alpha * r, the rest 1 (implicit uses alpha * r: its alpha 1 on binary data is alpha 0 here)',
  },
  { name: 'iterations', type: 'int', min: 1, default: 15, help: 'alternating iterations (an item step, then a user step)' },
  { name: 'solver', type: 'string', choices: ['cg', 'cholesky'], default: 'cg', help: 'per-row solve: cg (implicit\'s: a few warm-started conjugate-gradient steps) or cholesky (exact; with alpha 0 all rows share one factorisation, so it is also the fastest)' },
  { name: 'cgSteps', type: 'int', min: 1, default: 3, help: 'conjugate-gradient steps per row and half-iteration (solver cg)' },
  { name: 'seed', type: 'int', min: 0, default: 42, help: 'seed of the random initial factors' },
];

function settings(o: Readonly<Record<string, unknown>>): IalsSettings {
  return {
    factors: o.factors as number,
    regularization: o.regularization as number,
    alpha: o.alpha as number,
    iterations: o.iterations as number,
    solver: o.solver as 'cg' | 'cholesky',
    cgSteps: o.cgSteps as number,
    seed: o.seed as number,
  };
}

/** A saved option checked against its declaration (the registry's checks, without importing the registry). */
function savedOption(c: Record<string, unknown>, o: FamilyOption): unknown {
  const v = c[o.name];
  const ok =
    o.type === 'string'
      ? typeof v === 'string' && (!o.choices || o.choices.includes(v))
      : typeof v === 'number' && Number.isFinite(v) && (o.type !== 'int' || Number.isInteger(v)) && (o.min === undefined || v >= o.min);
  if (!ok) throw new UsageError(`ials: config ${o.name} is ${JSON.stringify(v)}, not a valid value`);
  return v;
}

function checkCount(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new UsageError(`ials: config ${what} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

function loadTable(state: RecommenderState, name: string, rows: number, f: number): Float32Array {
  const t = state.tensors[name];
  if (!t) throw new Error(`tensor ${name} is missing`);
  if (!(t.data instanceof Float32Array)) throw new Error(`tensor ${name} must be F32`);
  if (t.shape.join(',') !== `${rows},${f}`) throw new Error(`tensor ${name} has shape [${t.shape.join(', ')}], the config needs [${rows}, ${f}]`);
  return t.data;
}

/**
 * Implicit alternating least squares (Hu, Koren and Volinsky 2008), as implicit's
 * `AlternatingLeastSquares`: every interaction of strength `r` is a preference of 1 with confidence
 * `1 + alpha r`, every other (user, item) pair a preference of 0 with confidence 1; user and item factors
 * are solved in turn by weighted ridge regression, with implicit's conjugate-gradient solver by default.
 *
 * @example
 * const rec = await fitRecommender('ials', { train: toInteractions(ratings), nUsers, nItems }, { factors: 32, alpha: 1 });
 * rec.recommend(0, { k: 10 });
 * rec.recommendNew([12, 40, 7], undefined, { k: 10 }); // a new user, folded in without retraining
 */
export const IALS_FAMILY: FamilySpec = {
  kind: 'ials',
  summary: 'implicit-feedback matrix factorisation by alternating least squares (confidence-weighted)',
  peerName: 'implicit AlternatingLeastSquares',
  tasks: ['ranking'],
  method: 'alternating-least-squares',
  options: OPTIONS,
  backends: ['fused'],
  async fit(data, options, ctx) {
    const s = settings(options);
    const r = data.train.ratings;
    for (let j = 0; j < r.length; j++) {
      if (!(r[j] > 0) || !Number.isFinite(r[j])) {
        throw new UsageError(`ials: interaction strengths must be positive numbers, got ${r[j]} at row ${j} (turn ratings into interactions with toInteractions)`);
      }
    }
    const ui = userItemMatrix(data.train, data.nUsers, data.nItems);
    ctx.log?.(`ials: ${data.nUsers} users, ${data.nItems} items, ${r.length} interactions, ${s.factors} factors, ${s.iterations} iterations (${s.solver}, ${ctx.runner?.threads ?? 1} thread${(ctx.runner?.threads ?? 1) > 1 ? 's' : ''})`);
    const t = await trainIalsThreaded(ui, s, ctx.runner ?? inlineRunner, { progress: ctx.progress });
    const config: IalsConfig = { nUsers: data.nUsers, nItems: data.nItems, ...s };
    const rec = new IalsRecommender(config, Float32Array.from(t.userFactors), Float32Array.from(t.itemFactors));
    rec.history = ui;
    return rec;
  },
  async load(state) {
    const c = state.config;
    const nUsers = checkCount(c.nUsers, 'nUsers');
    const nItems = checkCount(c.nItems, 'nItems');
    const s = settings(Object.fromEntries(OPTIONS.map((o) => [o.name, savedOption(c, o)])));
    for (const name of Object.keys(state.tensors)) {
      if (name !== 'userFactors' && name !== 'itemFactors') throw new Error(`unexpected tensor ${name} for an ials model`);
    }
    const userFactors = loadTable(state, 'userFactors', nUsers, s.factors);
    const itemFactors = loadTable(state, 'itemFactors', nItems, s.factors);
    return new IalsRecommender({ nUsers, nItems, ...s }, userFactors, itemFactors);
  },
};
