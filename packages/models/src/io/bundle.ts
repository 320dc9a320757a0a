import { crc32Of, DataError, decodeSafetensors, encodeSafetensors, SafetensorsFormatError, UsageError, Vocabulary } from '@collab-ts/core';
import type { CsrMatrix, NamedTensor, Recommender, VocabularyJSON } from '@collab-ts/core';
import { getFamily, hasFamily } from '../registry/registry.js';
import type { BackendName } from '../types.js';

/** The format name in `model.json`. */
export const MODEL_FORMAT = 'collab-ts-model';
/** The format version this package writes (it reads 1 and 2). */
export const MODEL_FORMAT_VERSION = 2;
/** The manifest's file name inside a saved model directory. */
export const MANIFEST_FILE = 'model.json';
/** The weights' file name inside a saved model directory. */
export const WEIGHTS_FILE = 'weights.safetensors';

const HISTORY = { offsets: '__history.offsets', items: '__history.items', values: '__history.values' } as const;

/** One tensor as `model.json` lists it. */
export interface ManifestTensor {
  name: string;
  shape: number[];
  dtype: 'F32' | 'I32';
  /** CRC-32 of the tensor's little-endian bytes, checked on load. */
  crc32: number;
}

/** The content of `model.json`. */
export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  version: number;
  /** The registered family. */
  kind: string;
  /** The family's configuration (what its `load` reads). */
  config: Record<string, unknown>;
  vocabularies: { users: VocabularyJSON; items: VocabularyJSON };
  meta: Record<string, unknown>;
  weights: string;
  tensors: ManifestTensor[];
  /** Whether the users' training interactions are stored (for seen-item filtering without a data file). */
  history: boolean;
}

/** A loaded model with its vocabularies and free-form metadata. */
export interface ModelBundle {
  model: Recommender;
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
 * Serialises a recommender of any family into a manifest (for `model.json`) and safetensors bytes, with its
 * vocabularies and training history (browser-safe; `saveModel` in `@collab-ts/models/node` writes them to a
 * directory atomically).
 */
export function encodeModel(model: Recommender, extra: BundleExtra): { manifest: ModelManifest; weights: Uint8Array } {
  if (extra.users.size !== model.nUsers) throw new UsageError(`user vocabulary has ${extra.users.size} ids but the model has ${model.nUsers} users`);
  if (extra.items.size !== model.nItems) throw new UsageError(`item vocabulary has ${extra.items.size} ids but the model has ${model.nItems} items`);
  const meta = JSON.parse(JSON.stringify(extra.meta ?? {})) as Record<string, unknown>;
  const state = model.state();
  const tensors: Record<string, NamedTensor> = { ...state.tensors };
  const h = model.history;
  if (h) {
    tensors[HISTORY.offsets] = { shape: [h.offsets.length], data: h.offsets };
    tensors[HISTORY.items] = { shape: [h.indices.length], data: h.indices };
    tensors[HISTORY.values] = { shape: [h.values.length], data: h.values };
  }
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    kind: model.kind,
    config: JSON.parse(JSON.stringify(state.config)) as Record<string, unknown>,
    vocabularies: { users: extra.users.toJSON(), items: extra.items.toJSON() },
    meta,
    weights: WEIGHTS_FILE,
    tensors: Object.entries(tensors).map(([name, t]) => ({ name, shape: [...t.shape], dtype: t.data instanceof Int32Array ? 'I32' : 'F32', crc32: crc32Of(t.data) })),
    history: h !== null,
  };
  const weights = encodeSafetensors(tensors, { format: MODEL_FORMAT, kind: model.kind });
  return { manifest, weights };
}

function bad(reason: string, file = MANIFEST_FILE): DataError {
  return new DataError(reason, { file });
}

function historyFrom(tensors: Record<string, NamedTensor>, nUsers: number, nItems: number, file: string): CsrMatrix {
  const offsets = tensors[HISTORY.offsets]?.data;
  const items = tensors[HISTORY.items]?.data;
  const values = tensors[HISTORY.values]?.data;
  if (!(offsets instanceof Int32Array) || !(items instanceof Int32Array) || !(values instanceof Float32Array)) {
    throw bad('the training history tensors are missing or have the wrong dtype', file);
  }
  if (offsets.length !== nUsers + 1 || offsets[0] !== 0 || offsets[nUsers] !== items.length || values.length !== items.length) {
    throw bad('the training history tensors do not fit the vocabularies', file);
  }
  for (let u = 0; u < nUsers; u++) if (offsets[u + 1] < offsets[u]) throw bad('the training history offsets decrease', file);
  for (let k = 0; k < items.length; k++) if (!(items[k] >= 0 && items[k] < nItems)) throw bad(`the training history names item index ${items[k]}, outside the vocabulary`, file);
  return { nRows: nUsers, nCols: nItems, offsets, indices: items, values };
}

/**
 * Rebuilds a model from a parsed `model.json` and the bytes of `weights.safetensors` (browser-safe), through
 * its family's `load`. Throws a {@link DataError} naming the file when either is malformed or they do not match.
 */
export async function modelFromBytes(manifest: unknown, weights: Uint8Array, opts: { backend?: BackendName; file?: string; weightsFile?: string } = {}): Promise<ModelBundle> {
  const file = opts.file ?? MANIFEST_FILE;
  const weightsName = opts.weightsFile ?? WEIGHTS_FILE;
  const m = manifest as Partial<ModelManifest> | null;
  if (!m || typeof m !== 'object') throw bad('not a JSON object', file);
  if (m.format !== MODEL_FORMAT) throw bad(`format is ${JSON.stringify(m.format)}, expected ${JSON.stringify(MODEL_FORMAT)}`, file);
  if (m.version !== 1 && m.version !== MODEL_FORMAT_VERSION) throw bad(`format version ${String(m.version)} is not supported (this package reads versions 1 and ${MODEL_FORMAT_VERSION})`, file);
  if (typeof m.kind !== 'string' || !hasFamily(m.kind)) throw bad(`unknown model kind ${JSON.stringify(m.kind)}`, file);
  if (!m.config || typeof m.config !== 'object') throw bad('config is missing', file);
  let users: Vocabulary;
  let items: Vocabulary;
  try {
    users = Vocabulary.fromJSON(m.vocabularies!.users);
    items = Vocabulary.fromJSON(m.vocabularies!.items);
  } catch (err) {
    throw bad(`invalid vocabularies: ${(err as Error).message}`, file);
  }
  let tensors: Record<string, NamedTensor>;
  try {
    tensors = { ...decodeSafetensors(weights).tensors };
  } catch (err) {
    if (err instanceof SafetensorsFormatError) throw bad(err.message, weightsName);
    throw err;
  }
  verifyTensors(m, tensors, weightsName);
  const history = m.history ? historyFrom(tensors, users.size, items.size, weightsName) : null;
  for (const name of Object.values(HISTORY)) delete tensors[name];
  let model: Recommender;
  try {
    model = await getFamily(m.kind).load({ config: m.config, tensors }, { backend: opts.backend });
  } catch (err) {
    if (err instanceof UsageError && !(err instanceof DataError)) throw bad(`invalid config: ${err.message}`, file);
    if (err instanceof DataError || err instanceof UsageError) throw err;
    throw bad((err as Error).message, weightsName);
  }
  if (model.nUsers !== users.size || model.nItems !== items.size) {
    throw bad(`vocabularies have ${users.size} users and ${items.size} items, the config ${model.nUsers} and ${model.nItems}`, file);
  }
  model.history = history;
  return { model, users, items, meta: (m.meta ?? {}) as Record<string, unknown> };
}

/**
 * Checks the weights against the manifest (format 2): every listed tensor is present with its shape, dtype
 * and CRC-32, nothing unlisted is present, and every float is finite. Format 1 files carry no checksums;
 * their floats are still checked.
 */
function verifyTensors(m: Partial<ModelManifest>, tensors: Record<string, NamedTensor>, file: string): void {
  const listed = Array.isArray(m.tensors) ? m.tensors : [];
  if (m.version !== 1) {
    for (const t of listed) {
      const got = tensors[t.name];
      if (!got) throw bad(`tensor ${t.name} listed in the manifest is missing`, file);
      if (got.shape.join(',') !== t.shape.join(',')) throw bad(`tensor ${t.name} has shape [${got.shape.join(', ')}], the manifest says [${t.shape.join(', ')}]`, file);
      if ((got.data instanceof Int32Array ? 'I32' : 'F32') !== t.dtype) throw bad(`tensor ${t.name} has the wrong dtype (the manifest says ${t.dtype})`, file);
      if (crc32Of(got.data) !== t.crc32) throw bad(`tensor ${t.name} fails its checksum: the file is damaged`, file);
    }
    const names = new Set(listed.map((t) => t.name));
    for (const name of Object.keys(tensors)) if (!names.has(name)) throw bad(`tensor ${name} is not listed in the manifest`, file);
  }
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t.data instanceof Float32Array)) continue;
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) throw bad(`tensor ${name} holds a non-finite value (${t.data[i]}) at position ${i}: the model is damaged or diverged`, file);
    }
  }
}
