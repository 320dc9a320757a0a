import { UsageError } from '@collab-ts/core';
import { embSizeRule } from './emb-size.js';
import { MODEL_SPECS } from './specs.js';
import type { ModelConfig, ModelKind, ModelOptions } from './types.js';

const KINDS: ModelKind[] = MODEL_SPECS.map((s) => s.kind);

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new UsageError(`${name} must be a positive integer, got ${String(v)}`);
  return v;
}

function probability(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new UsageError(`${name} must be a number in [0, 1), got ${String(v)}`);
  return v;
}

/** Validates options and fills in defaults; throws {@link UsageError} for bad values. */
export function resolveConfig(kind: ModelKind, opts: ModelOptions): ModelConfig {
  if (!KINDS.includes(kind)) throw new UsageError(`unknown model kind ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')}`);
  const nUsers = positiveInt('nUsers', opts.nUsers);
  const nItems = positiveInt('nItems', opts.nItems);
  const dotDefault: [number, number] | null = kind === 'dot' ? null : [0, 5.5];
  const yRange = opts.yRange === undefined ? dotDefault : opts.yRange;
  if (yRange !== null) {
    if (!Array.isArray(yRange) || yRange.length !== 2 || !yRange.every(Number.isFinite) || !(yRange[0] < yRange[1])) {
      throw new UsageError(`yRange must be [lo, hi] with lo < hi, got ${JSON.stringify(yRange)}`);
    }
  }
  const initStd = opts.initStd ?? 0.01;
  if (!(initStd >= 0) || !Number.isFinite(initStd)) throw new UsageError(`initStd must be a finite number >= 0, got ${initStd}`);
  const seed = opts.seed ?? 42;
  if (!Number.isFinite(seed)) throw new UsageError(`seed must be a finite number, got ${seed}`);
  const base = { kind, nUsers, nItems, yRange: yRange ? ([yRange[0], yRange[1]] as [number, number]) : null, initStd, seed };
  if (kind !== 'embedding-nn') return { ...base, factors: positiveInt('factors', opts.factors ?? 50), nn: null };

  const layers = (opts.layers ?? [100, 50]).map((h, i) => positiveInt(`layers[${i}]`, h));
  const d = opts.dropout ?? 0;
  const dropout = Array.isArray(d) ? d.map((p, i) => probability(`dropout[${i}]`, p)) : layers.map(() => probability('dropout', d));
  if (dropout.length !== layers.length) throw new UsageError(`dropout has ${dropout.length} values for ${layers.length} layers`);
  return {
    ...base,
    factors: 0,
    nn: {
      layers,
      dropout,
      embDropout: probability('embDropout', opts.embDropout ?? 0),
      batchNorm: opts.batchNorm ?? true,
      userEmbSize: positiveInt('userEmbSize', opts.userEmbSize ?? embSizeRule(nUsers + 1)),
      itemEmbSize: positiveInt('itemEmbSize', opts.itemEmbSize ?? embSizeRule(nItems + 1)),
    },
  };
}
