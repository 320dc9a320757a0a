/**
 * Node-only model persistence: `saveModel` / `loadModel` on a directory holding `model.json` and a
 * versioned `weights.<stamp>.safetensors`. Import from `@collab-ts/models/node`; the main entry stays
 * browser-safe.
 * @packageDocumentation
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataError } from '@collab-ts/core';
import type { Recommender } from '@collab-ts/core';
import { writeFilesAtomic } from '@collab-ts/core/node';
import { MANIFEST_FILE, WEIGHTS_FILE, encodeModel, modelFromBytes } from './io/bundle.js';
import type { BundleExtra, ModelBundle } from './io/bundle.js';
import type { BackendName } from './types.js';

export type { BundleExtra, ModelBundle, ModelManifest, ManifestTensor } from './io/bundle.js';

/**
 * Saves a model with its vocabularies and training history into `dir`. At every instant `dir` holds either
 * the complete previous model or the complete new one, even if the process is killed: the weights go to a
 * new versioned file, then `model.json` (which names it) replaces the old manifest atomically, then older
 * versions are removed. A second process saving to the same folder at the same time fails with a clear
 * message (an advisory lock); leftovers of a crashed save are removed by the next one. Files and the folder
 * are fsynced.
 */
export function saveModel(dir: string, model: Recommender, extra: BundleExtra): void {
  const { manifest, weights } = encodeModel(model, extra);
  writeFilesAtomic(dir, { [WEIGHTS_FILE]: weights }, { name: MANIFEST_FILE, build: (names) => `${JSON.stringify({ ...manifest, weights: names[WEIGHTS_FILE] }, null, 2)}\n` });
}

/** Reads a weights file after checking it is a regular file whose size matches its safetensors header. */
function readWeights(path: string): Uint8Array {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new DataError(`cannot read the weights (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file: path });
  }
  if (!st.isFile()) throw new DataError('the weights are not a regular file', { file: path });
  if (st.size < 8) throw new DataError(`${st.size} bytes is too short for a weights file`, { file: path });
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(8);
    readSync(fd, head, 0, 8, 0);
    const headerLen = Number(head.readBigUInt64LE(0));
    if (headerLen > st.size - 8 || headerLen > 64 * 1024 * 1024) throw new DataError(`the header length ${headerLen} does not fit the file's ${st.size} bytes`, { file: path });
    const header = Buffer.alloc(headerLen);
    readSync(fd, header, 0, headerLen, 8);
    let end = 0;
    try {
      for (const [name, e] of Object.entries(JSON.parse(header.toString('utf8')) as Record<string, { data_offsets?: number[] }>)) {
        if (name !== '__metadata__' && Array.isArray(e?.data_offsets)) end = Math.max(end, Number(e.data_offsets[1]));
      }
    } catch (err) {
      throw new DataError(`the weights header is not valid JSON (${(err as Error).message})`, { file: path });
    }
    if (8 + headerLen + end !== st.size) throw new DataError(`the file has ${st.size} bytes but its header describes ${8 + headerLen + end}: it is truncated or damaged`, { file: path });
    const bytes = new Uint8Array(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, bytes, off, st.size - off, off);
      if (n === 0) throw new DataError('the file shrank while it was read', { file: path });
      off += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Loads a model saved by {@link saveModel}; throws a {@link DataError} naming the file when it is missing, damaged or inconsistent. */
export async function loadModel(dir: string, opts: { backend?: BackendName } = {}): Promise<ModelBundle> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
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
  const named = (manifest as { weights?: unknown } | null)?.weights;
  const weightsName = typeof named === 'string' ? named : WEIGHTS_FILE;
  // the manifest may only name a file inside the model folder
  if (basename(weightsName) !== weightsName || weightsName.startsWith('.')) throw new DataError(`weights ${JSON.stringify(weightsName)} must be a file name inside the model folder`, { file: manifestPath });
  const weightsPath = join(dir, weightsName);
  const weights = readWeights(weightsPath);
  return modelFromBytes(manifest, weights, { backend: opts.backend, file: manifestPath, weightsFile: weightsPath });
}

export { readSparkAlsFolder, writeSparkAlsFolder } from './spark/layout.js';
export type { SparkAlsFolder, SparkAlsWrite } from './spark/layout.js';
export type { SparkFactorTable, FactorFolder } from './spark/factor-parquet.js';
export { importSparkAls, exportSparkAls, SPARK_ALS_DEFAULTS } from './spark/als-model.js';
export type { ImportSparkAlsOptions, ExportSparkAlsOptions, ExportSparkAlsReport, ObjectiveSource } from './spark/als-model.js';
export { parseSparkAlsMetadata, sparkAlsMetadataLine, ALS_MODEL_CLASS, OBJECTIVE_KEY } from './spark/metadata.js';
export type { SparkAlsMetadata, AlsModelParams } from './spark/metadata.js';
