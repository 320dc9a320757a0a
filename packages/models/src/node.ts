/**
 * Node-only model persistence: `saveModel` / `loadModel` on a directory holding `model.json` and
 * `weights.safetensors`. Import from `@collab-ts/models/node`; the main entry stays browser-safe.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@collab-ts/core';
import { writeFilesAtomic } from '@collab-ts/core/node';
import { MANIFEST_FILE, WEIGHTS_FILE, encodeModel, modelFromBytes } from './io/bundle.js';
import type { BundleExtra, ModelBundle } from './io/bundle.js';
import type { Recommender } from '@collab-ts/core';
import type { BackendName } from './types.js';

export type { BundleExtra, ModelBundle, ModelManifest, ManifestTensor } from './io/bundle.js';

/**
 * Saves a model with its vocabularies into `dir` (`model.json` + `weights.safetensors`). The directory is
 * replaced atomically: on any failure the previous contents stay as they were.
 */
export function saveModel(dir: string, model: Recommender, extra: BundleExtra): void {
  const { manifest, weights } = encodeModel(model, extra);
  writeFilesAtomic(dir, { [MANIFEST_FILE]: `${JSON.stringify(manifest, null, 2)}\n`, [WEIGHTS_FILE]: weights });
}

/** Loads a model saved by {@link saveModel}; throws a {@link DataError} naming the file when it is missing or corrupt. */
export async function loadModel(dir: string, opts: { backend?: BackendName } = {}): Promise<ModelBundle> {
  const manifestPath = join(dir, MANIFEST_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);
  let text: string;
  let weights: Uint8Array;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read the model manifest (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); is ${dir} a saved model directory?`, { file: manifestPath });
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw new DataError(`not valid JSON: ${(err as Error).message}`, { file: manifestPath });
  }
  try {
    weights = new Uint8Array(readFileSync(weightsPath));
  } catch (err) {
    throw new DataError(`cannot read the weights (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file: weightsPath });
  }
  try {
    return await modelFromBytes(manifest, weights, { backend: opts.backend, file: manifestPath });
  } catch (err) {
    if (err instanceof DataError && err.file === WEIGHTS_FILE) throw new DataError(err.reason, { file: weightsPath });
    throw err;
  }
}
