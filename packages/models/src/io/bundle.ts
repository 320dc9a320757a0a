import { DataError, decodeSafetensors, encodeSafetensors, ParamStore, SafetensorsFormatError, UsageError } from '@collab-ts/core';
import { Vocabulary } from '@collab-ts/data';
import type { VocabularyJSON } from '@collab-ts/data';
import { resolveConfig } from '../config.js';
import { buildModel, initParams } from '../create.js';
import { MODEL_SPECS } from '../specs.js';
import type { BackendName, CollabModel, ModelConfig, ModelKind, ModelOptions } from '../types.js';

/** The format name in `model.json`. */
export const MODEL_FORMAT = 'collab-ts-model';
/** The format version this package writes and reads. */
export const MODEL_FORMAT_VERSION = 1;
/** The manifest's file name inside a saved model directory. */
export const MANIFEST_FILE = 'model.json';
/** The weights' file name inside a saved model directory. */
export const WEIGHTS_FILE = 'weights.safetensors';

/** One tensor as `model.json` lists it. */
export interface ManifestTensor {
  name: string;
  shape: number[];
  kind: 'embedding' | 'dense';
  decay: boolean;
}

/** The content of `model.json`. */
export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  version: number;
  kind: ModelKind;
  config: ModelConfig;
  vocabularies: { users: VocabularyJSON; items: VocabularyJSON };
  meta: Record<string, unknown>;
  weights: string;
  tensors: ManifestTensor[];
}

/** A loaded model with its vocabularies and free-form metadata. */
export interface ModelBundle {
  model: CollabModel;
  users: Vocabulary;
  items: Vocabulary;
  meta: Record<string, unknown>;
}

/** What to store beside the weights. */
export interface BundleExtra {
  users: Vocabulary;
  items: Vocabulary;
  meta?: Record<string, unknown>;
}

/**
 * Serialises a model into a manifest (for `model.json`) and safetensors bytes (browser-safe; `saveModel`
 * in `@collab-ts/models/node` writes them to a directory atomically).
 */
export function encodeModel(model: CollabModel, extra: BundleExtra): { manifest: ModelManifest; weights: Uint8Array } {
  if (extra.users.size !== model.nUsers) throw new UsageError(`user vocabulary has ${extra.users.size} ids but the model has ${model.nUsers} users`);
  if (extra.items.size !== model.nItems) throw new UsageError(`item vocabulary has ${extra.items.size} ids but the model has ${model.nItems} items`);
  const meta = JSON.parse(JSON.stringify(extra.meta ?? {})) as Record<string, unknown>;
  const params = model.params.list();
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    kind: model.kind,
    config: model.config,
    vocabularies: { users: extra.users.toJSON(), items: extra.items.toJSON() },
    meta,
    weights: WEIGHTS_FILE,
    tensors: params.map((p) => ({ name: p.name, shape: [...p.shape], kind: p.kind, decay: p.decay })),
  };
  const weights = encodeSafetensors(Object.fromEntries(params.map((p) => [p.name, { shape: [...p.shape], data: p.data }])), { format: MODEL_FORMAT, kind: model.kind });
  return { manifest, weights };
}

function bad(reason: string, file = MANIFEST_FILE): DataError {
  return new DataError(reason, { file });
}

function configOptions(c: ModelConfig): ModelOptions {
  const base: ModelOptions = { nUsers: c.nUsers, nItems: c.nItems, yRange: c.yRange, initStd: c.initStd, seed: c.seed };
  if (!c.nn) return { ...base, factors: c.factors };
  return { ...base, ...c.nn };
}

/**
 * Rebuilds a model from a parsed `model.json` and the bytes of `weights.safetensors` (browser-safe).
 * Throws a {@link DataError} naming the file when either is malformed or they do not match.
 */
export async function modelFromBytes(manifest: unknown, weights: Uint8Array, opts: { backend?: BackendName; file?: string } = {}): Promise<ModelBundle> {
  const file = opts.file ?? MANIFEST_FILE;
  const m = manifest as Partial<ModelManifest> | null;
  if (!m || typeof m !== 'object') throw bad('not a JSON object', file);
  if (m.format !== MODEL_FORMAT) throw bad(`format is ${JSON.stringify(m.format)}, expected ${JSON.stringify(MODEL_FORMAT)}`, file);
  if (m.version !== MODEL_FORMAT_VERSION) throw bad(`format version ${String(m.version)} is not supported (this package reads version ${MODEL_FORMAT_VERSION})`, file);
  if (!MODEL_SPECS.some((s) => s.kind === m.kind)) throw bad(`unknown model kind ${JSON.stringify(m.kind)}`, file);
  if (!m.config || m.config.kind !== m.kind) throw bad('config is missing or names another kind', file);
  let config: ModelConfig;
  try {
    config = resolveConfig(m.kind!, configOptions(m.config));
  } catch (err) {
    throw bad(`invalid config: ${(err as Error).message}`, file);
  }
  let users: Vocabulary;
  let items: Vocabulary;
  try {
    users = Vocabulary.fromJSON(m.vocabularies!.users);
    items = Vocabulary.fromJSON(m.vocabularies!.items);
  } catch (err) {
    throw bad(`invalid vocabularies: ${(err as Error).message}`, file);
  }
  if (users.size !== config.nUsers || items.size !== config.nItems) {
    throw bad(`vocabularies have ${users.size} users and ${items.size} items, the config ${config.nUsers} and ${config.nItems}`, file);
  }
  let tensors;
  try {
    tensors = decodeSafetensors(weights).tensors;
  } catch (err) {
    if (err instanceof SafetensorsFormatError) throw bad(err.message, WEIGHTS_FILE);
    throw err;
  }
  const expected = initParams(config);
  const params = new ParamStore();
  for (const p of expected.list()) {
    const t = tensors[p.name];
    if (!t) throw bad(`tensor ${p.name} is missing (does it belong to this model.json?)`, WEIGHTS_FILE);
    if (t.shape.join(',') !== p.shape.join(',')) {
      throw bad(`tensor ${p.name} has shape [${t.shape.join(', ')}], the config needs [${p.shape.join(', ')}]`, WEIGHTS_FILE);
    }
    params.add(p.name, p.shape, t.data, { kind: p.kind, decay: p.decay });
  }
  for (const name of Object.keys(tensors)) if (!expected.has(name)) throw bad(`unexpected tensor ${name} for a ${config.kind} model`, WEIGHTS_FILE);
  const model = await buildModel(config, params, opts.backend ?? 'auto');
  return { model, users, items, meta: (m.meta ?? {}) as Record<string, unknown> };
}
