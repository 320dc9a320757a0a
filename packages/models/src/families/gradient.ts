import { UsageError, userItemMatrix } from '@collab-ts/core';
import type { RecommenderState } from '@collab-ts/core';
import { resolveConfig } from '../config.js';
import { buildModel, createModel } from '../create.js';
import { MODEL_SPECS } from '../specs.js';
import type { FamilyOption, FamilySpec } from '../registry/family.js';
import { ParamStore } from '@collab-ts/core';
import type { ModelConfig, ModelKind, ModelOptions, ModelSpec, OptionSpec } from '../types.js';

/**
 * The default `yRange` for a rating scale: a little room above the top rating, as fastai's (0, 5.5) for
 * 1-5 stars; scales with negative ratings get 10% of the span on each side.
 */
export function defaultYRange([lo, hi]: readonly [number, number]): [number, number] {
  if (lo >= 0) return [0, hi * 1.1];
  const span = hi - lo;
  return [lo - 0.1 * span, hi + 0.1 * span];
}

const TYPES: Record<string, Pick<FamilyOption, 'type' | 'nullable' | 'min' | 'max' | 'choices'>> = {
  factors: { type: 'int', min: 1 },
  yRange: { type: 'range', nullable: true },
  layers: { type: 'int[]', min: 1 },
  dropout: { type: 'number', min: 0, max: 0.99 },
  embDropout: { type: 'number', min: 0, max: 0.99 },
  batchNorm: { type: 'boolean' },
  userEmbSize: { type: 'int', min: 1 },
  itemEmbSize: { type: 'int', min: 1 },
  initStd: { type: 'number', min: 0 },
  seed: { type: 'int', min: 0 },
  backend: { type: 'string', choices: ['auto', 'fused', 'tensorflow', 'wasm', 'cpu', 'webgl'] },
};

/** The training options every gradient family takes: fastai chapter 8's recipe by default. */
export const GRADIENT_TRAINING_OPTIONS: readonly FamilyOption[] = [
  { name: 'epochs', type: 'int', min: 1, default: 5, help: 'epochs of training' },
  { name: 'lr', type: 'number', min: 0, default: 5e-3, help: 'learning rate (the peak rate for one-cycle)' },
  { name: 'wd', type: 'number', min: 0, default: 0.1, help: 'weight decay (decoupled, as fastai)' },
  {
    name: 'wdMode',
    type: 'string',
    choices: ['auto', 'step', 'epoch', 'touch'],
    default: 'auto',
    help: "how weight decay scales with the data: step = fastai's decay at every step (its total per epoch grows with the data), epoch = the decay of an epoch of 100k ratings whatever the size, touch = L2 on the rows each step touches (wd ~1e-3); auto = step up to 100k training ratings, epoch above",
  },
  { name: 'bs', type: 'int', min: 1, default: 64, help: 'batch size' },
  { name: 'schedule', type: 'string', choices: ['one-cycle', 'constant', 'cosine', 'flat-cosine', 'warmup-cosine'], default: 'one-cycle', help: 'learning-rate schedule' },
];

function familyOption(o: OptionSpec): FamilyOption {
  const t = TYPES[o.name];
  if (!t) throw new Error(`no option type for ${String(o.name)}`);
  // defaults that depend on the data (yRange from the rating scale, embedding sizes from the vocabulary)
  // are left undefined and derived at fit time; the help says how
  const derived = typeof o.default === 'string' && o.name !== 'backend';
  const yRangeDerived = o.name === 'yRange' && o.default !== null;
  return {
    name: o.name,
    ...t,
    default: derived || yRangeDerived ? undefined : o.default,
    help: yRangeDerived ? `${o.help} (default: 0 to 1.1 x the top rating, (0, 5.5) for 1-5 stars)` : derived ? `${o.help} (default ${String(o.default)})` : o.help,
  };
}

function modelOptions(kind: ModelKind, o: Readonly<Record<string, unknown>>, nUsers: number, nItems: number, ratingRange: readonly [number, number]): ModelOptions {
  const yRange = o.yRange === undefined ? (kind === 'dot' ? null : defaultYRange(ratingRange)) : (o.yRange as [number, number] | null);
  const picked: ModelOptions = { nUsers, nItems, yRange };
  for (const key of ['factors', 'layers', 'dropout', 'embDropout', 'batchNorm', 'userEmbSize', 'itemEmbSize', 'initStd', 'seed', 'backend'] as const) {
    if (o[key] !== undefined) (picked as unknown as Record<string, unknown>)[key] = o[key];
  }
  return picked;
}

function gradientFamily(spec: ModelSpec): FamilySpec {
  return {
    kind: spec.kind,
    summary: spec.summary,
    peerName: spec.fastaiName,
    tasks: ['rating', 'ranking'],
    method: 'gradient',
    options: [...spec.options.map(familyOption), ...GRADIENT_TRAINING_OPTIONS],
    backends: spec.backends,
    async fit(data, options, ctx) {
      if (!ctx.trainGradient) {
        throw new UsageError(`${spec.kind} is trained by gradient descent: fit it with fitRecommender from @collab-ts/train (or a Learner)`);
      }
      const opts = modelOptions(spec.kind, options, data.nUsers, data.nItems, data.ratingRange ?? [1, 5]);
      if (ctx.backend) opts.backend = ctx.backend;
      if (ctx.allocate) opts.allocate = ctx.allocate;
      const model = await createModel(spec.kind, opts);
      await ctx.trainGradient(model, data, options, ctx);
      model.history = userItemMatrix(data.train, data.nUsers, data.nItems);
      return model;
    },
    async load(state: RecommenderState, ctx) {
      const c = state.config as unknown as ModelConfig;
      const config = resolveConfig(spec.kind, configOptions(c));
      const params = new ParamStore();
      const { createDotParams } = await import('../models/dot-family.js');
      const { createNNParams } = await import('../models/embedding-nn.js');
      const expected = config.nn ? createNNParams(config) : createDotParams(config);
      for (const p of expected.list()) {
        const t = state.tensors[p.name];
        if (!t) throw new Error(`tensor ${p.name} is missing`);
        if (!(t.data instanceof Float32Array)) throw new Error(`tensor ${p.name} must be F32`);
        if (t.shape.join(',') !== p.shape.join(',')) throw new Error(`tensor ${p.name} has shape [${t.shape.join(', ')}], the config needs [${p.shape.join(', ')}]`);
        params.add(p.name, p.shape, t.data, { kind: p.kind, decay: p.decay });
      }
      for (const name of Object.keys(state.tensors)) if (!expected.has(name)) throw new Error(`unexpected tensor ${name} for a ${config.kind} model`);
      return buildModel(config, params, ctx.backend ?? 'auto');
    },
  };
}

/** The options that rebuild a configuration through `resolveConfig`. */
export function configOptions(c: ModelConfig): ModelOptions {
  const base: ModelOptions = { nUsers: c.nUsers, nItems: c.nItems, yRange: c.yRange, initStd: c.initStd, seed: c.seed };
  if (!c.nn) return { ...base, factors: c.factors };
  return { ...base, ...c.nn };
}

/** The gradient-trained families (fastai's chapter-8 models), one per entry of `MODEL_SPECS`. */
export const GRADIENT_FAMILIES: readonly FamilySpec[] = MODEL_SPECS.map(gradientFamily);
