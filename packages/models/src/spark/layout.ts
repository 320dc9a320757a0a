// A saved Spark `ALSModel` folder as a whole: `metadata/` (a text part file with one JSON line),
// `userFactors/` and `itemFactors/` (Parquet part files), each with Spark's `_SUCCESS` marker.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CollabError, DataError, UsageError } from '@collab-ts/core';
import { writeError, writeFileAtomic } from '@collab-ts/core/node';
import type { SparkAlsObjective } from '../families/spark-als/solve.js';
import { encodeFactorParts, isHiddenFile, readFactorFolder } from './factor-parquet.js';
import type { FactorFolder, SparkFactorTable } from './factor-parquet.js';
import { parseSparkAlsMetadata, sparkAlsMetadataLine } from './metadata.js';
import type { AlsModelParams, SparkAlsMetadata } from './metadata.js';

/** A saved Spark `ALSModel` as read from its folder. */
export interface SparkAlsFolder {
  metadata: SparkAlsMetadata;
  users: FactorFolder;
  items: FactorFolder;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The first line of the first visible file of `metadata/` (Spark writes `part-00000`, newer versions `part-00000-<uuid>.txt`). */
function readMetadataLine(dir: string): { line: string; file: string } {
  const meta = join(dir, 'metadata');
  if (!isDir(meta)) throw new DataError(`no metadata/ folder: not a saved Spark ALSModel (expected metadata/, userFactors/ and itemFactors/)`, { file: dir });
  const parts = readdirSync(meta).filter((n) => !isHiddenFile(n)).sort();
  if (parts.length === 0) throw new DataError('the metadata folder holds no part file', { file: meta });
  const file = join(meta, parts[0]);
  const line = readFileSync(file, 'utf8').split('\n', 1)[0].trim();
  if (line === '') throw new DataError('the metadata part file is empty', { file });
  return { line, file };
}

/**
 * Reads a Spark `ALSModel` folder (as `ALSModel.write.save(path)` leaves it, locally or copied from HDFS/S3).
 * @throws DataError naming the folder or file that is missing, damaged or inconsistent.
 * @example
 * const saved = await readSparkAlsFolder('als-model');
 * saved.metadata.rank; saved.users.ids; saved.items.factors;
 */
export async function readSparkAlsFolder(dir: string): Promise<SparkAlsFolder> {
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such folder; expected a saved Spark ALSModel (metadata/, userFactors/, itemFactors/)`);
  if (!isDir(dir)) throw new DataError('not a folder: expected a saved Spark ALSModel', { file: dir });
  const { line, file } = readMetadataLine(dir);
  const metadata = parseSparkAlsMetadata(line, file);
  for (const side of ['userFactors', 'itemFactors']) {
    if (!isDir(join(dir, side))) throw new DataError(`no ${side}/ folder: the saved ALSModel is incomplete`, { file: dir });
  }
  const users = await readFactorFolder(join(dir, 'userFactors'), metadata.rank);
  const items = await readFactorFolder(join(dir, 'itemFactors'), metadata.rank);
  return { metadata, users, items };
}

/** What {@link writeSparkAlsFolder} writes. */
export interface SparkAlsWrite {
  rank: number;
  users: SparkFactorTable;
  items: SparkFactorTable;
  /** Recorded beside Spark's metadata (Spark has no place for it); omitted when unknown. */
  objective: SparkAlsObjective | null;
  params?: Partial<AlsModelParams>;
  uid?: string;
  /** Part files per factor table (default: one per million rows). */
  parts?: number;
  /** Replace an existing folder (default: refuse, as Spark's `save` does without `overwrite()`). */
  overwrite?: boolean;
}

/**
 * Writes a folder that Spark's `ALSModel.load(path)` reads. The tree is written into a hidden sibling and
 * renamed into place, so the target holds either nothing (or its old contents) or the complete model.
 * @throws UsageError when `dir` exists and `overwrite` is not set; CollabError naming the path on write failures.
 */
export async function writeSparkAlsFolder(dir: string, w: SparkAlsWrite): Promise<void> {
  if (existsSync(dir) && !w.overwrite) throw new UsageError(`${dir} already exists; choose a new folder or pass --overwrite (Spark's save refuses the same way)`);
  for (const [side, t] of [['user', w.users], ['item', w.items]] as const) {
    if (t.factors.length !== t.ids.length * w.rank) throw new UsageError(`${side} factors hold ${t.factors.length} values, ${t.ids.length} ids x rank ${w.rank} need ${t.ids.length * w.rank}`);
  }
  const partsFor = (n: number) => w.parts ?? Math.max(1, Math.ceil(n / 1_000_000));
  const files: Record<string, Uint8Array | string> = {
    'metadata/part-00000': `${sparkAlsMetadataLine({ rank: w.rank, uid: w.uid, params: w.params, objective: w.objective })}\n`,
    'metadata/_SUCCESS': '',
  };
  for (const [name, part] of Object.entries(await encodeFactorParts(w.users, w.rank, partsFor(w.users.ids.length)))) files[`userFactors/${name}`] = part;
  for (const [name, part] of Object.entries(await encodeFactorParts(w.items, w.rank, partsFor(w.items.ids.length)))) files[`itemFactors/${name}`] = part;
  const stage = join(dirname(dir), `.${basename(dir)}.${process.pid}.${Date.now()}.tmp`);
  const old = `${stage}.old`;
  try {
    for (const [name, data] of Object.entries(files)) writeFileAtomic(join(stage, name), data);
    if (existsSync(dir)) renameSync(dir, old);
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(stage, dir);
    rmSync(old, { recursive: true, force: true });
  } catch (err) {
    rmSync(stage, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) renameSync(old, dir);
    throw err instanceof CollabError ? err : writeError(dir, err);
  }
}
