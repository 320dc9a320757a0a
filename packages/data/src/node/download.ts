import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
import { DataError } from '@collab-ts/core';
import { DATA_DIR_ENV, dataDirFromEnv } from '@collab-ts/core/node';
import { datasetInfo, GROUPLENS_BASE_URL } from '../datasets/registry.js';
import { loadRatings, type LoadedRatings, type LoadRatingsOptions } from './load-ratings.js';
import { defaultCacheDir, findDataset, type FindDatasetOptions } from './find.js';

/** A download or extracted file whose SHA-256 is not the expected one. */
export class ChecksumError extends DataError {
  readonly expected: string;
  readonly actual: string;
  constructor(file: string, expected: string, actual: string) {
    super(`SHA-256 mismatch: expected ${expected}, got ${actual} (corrupt or changed download; nothing was kept)`, { file });
    this.expected = expected;
    this.actual = actual;
  }
}

/** Options of {@link downloadDataset}. */
export interface DownloadOptions {
  /** Where the dataset folder is created (default {@link defaultCacheDir}). */
  cacheDir?: string;
  /** Server holding `<name>.zip` (default GroupLens). */
  baseUrl?: string;
  /** Called as bytes arrive; `total` is `undefined` when the server does not say. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Expected SHA-256 of the archive (overrides the registry's). */
  sha256?: string;
  /** Expected SHA-256 of extracted files by name (overrides the registry's; `{}` checks none). */
  fileSha256?: Readonly<Record<string, string>>;
  /** `fetch` implementation (default the global one). */
  fetch?: typeof fetch;
}

/** Streams the response body to `path`, hashing it; returns the hex SHA-256. */
async function saveBody(url: string, path: string, opts: DownloadOptions): Promise<string> {
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url);
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new DataError(`download failed: ${(err as Error).message}${cause ? ` (${cause})` : ''}`, { file: url });
  }
  if (!res.ok || !res.body) throw new DataError(`download failed: HTTP ${res.status} ${res.statusText}`, { file: url });
  const header = res.headers.get('content-length');
  const total = header && Number(header) > 0 ? Number(header) : undefined;
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  let received = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      let k = 0;
      while (k < chunk.length) k += writeSync(fd, chunk, k, chunk.length - k);
      hash.update(chunk);
      received += chunk.length;
      opts.onProgress?.(received, total);
    }
  } finally {
    closeSync(fd);
  }
  if (total !== undefined && received !== total) throw new DataError(`download truncated: ${received} of ${total} bytes`, { file: url });
  return hash.digest('hex');
}

/**
 * Extracts a zip file into `dest`, streaming (constant memory), dropping the archive's top folder `strip`
 * and refusing entries that would escape `dest`.
 */
function extractZip(zipPath: string, dest: string, strip: string, label: string): string[] {
  mkdirSync(dest, { recursive: true });
  const written: string[] = [];
  let failure: Error | null = null;
  const unzip = new Unzip((file) => {
    let name = file.name.replace(/\\/g, '/');
    if (name.startsWith(`${strip}/`)) name = name.slice(strip.length + 1);
    if (name === '' || name.endsWith('/') || name.startsWith('__MACOSX/')) return;
    const target = normalize(join(dest, name));
    if (!target.startsWith(normalize(dest) + sep)) {
      failure = new DataError(`archive entry ${JSON.stringify(file.name)} escapes the target folder`, { file: label });
      return;
    }
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(target, 'w');
    written.push(name);
    file.ondata = (err, data, final) => {
      if (err) {
        failure = new DataError(`corrupt archive entry ${file.name}: ${err.message}`, { file: label });
        closeSync(fd);
        return;
      }
      let k = 0;
      while (k < data.length) k += writeSync(fd, data, k, data.length - k);
      if (final) closeSync(fd);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const fd = openSync(zipPath, 'r');
  try {
    const buf = new Uint8Array(1 << 20);
    while (true) {
      const n = readSync(fd, buf, 0, buf.length, null);
      unzip.push(buf.slice(0, n), n === 0);
      if (failure) throw failure;
      if (n === 0) break;
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`cannot read the archive: ${(err as Error).message}`, { file: label });
  } finally {
    closeSync(fd);
  }
  return written;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Downloads a registry dataset (`'ml-100k'`, ...) like fastai's `untar_data`: streams the zip with `fetch`
 * (reporting progress), verifies its SHA-256 (and, for ml-100k, every extracted file's), extracts it into
 * a temporary folder and renames that to `<cacheDir>/<name>` in one step. On any failure (HTTP error,
 * checksum mismatch, corrupt archive) it throws and leaves nothing behind. Returns the dataset folder.
 */
export async function downloadDataset(name: string, options: DownloadOptions = {}): Promise<string> {
  const info = datasetInfo(name);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  mkdirSync(cacheDir, { recursive: true });
  const url = `${(options.baseUrl ?? GROUPLENS_BASE_URL).replace(/\/+$/, '')}/${info.name}.zip`;
  const stamp = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const zipTmp = join(cacheDir, `.${info.name}.${stamp}.zip.part`);
  const dirTmp = join(cacheDir, `.${info.name}.${stamp}.tmp`);
  const final = join(cacheDir, info.name);
  const old = join(cacheDir, `.${info.name}.${stamp}.old`);
  try {
    const actual = await saveBody(url, zipTmp, options);
    const expected = options.sha256 ?? info.sha256;
    if (expected && actual !== expected.toLowerCase()) throw new ChecksumError(url, expected.toLowerCase(), actual);
    extractZip(zipTmp, dirTmp, info.folder, url);
    const fileHashes = options.fileSha256 ?? info.fileSha256 ?? {};
    for (const [file, hash] of Object.entries(fileHashes)) {
      const path = join(dirTmp, file);
      if (!existsSync(path)) throw new DataError(`archive lacks ${file}`, { file: url });
      const got = sha256File(path);
      if (got !== hash.toLowerCase()) throw new ChecksumError(`${url}!${info.folder}/${file}`, hash.toLowerCase(), got);
    }
    if (!existsSync(join(dirTmp, info.ratingsFile))) throw new DataError(`archive lacks ${info.folder}/${info.ratingsFile}`, { file: url });
    const hadOld = existsSync(final);
    if (hadOld) renameSync(final, old);
    renameSync(dirTmp, final);
    if (hadOld) rmSync(old, { recursive: true, force: true });
    return final;
  } finally {
    rmSync(zipTmp, { force: true });
    rmSync(dirTmp, { recursive: true, force: true });
  }
}

/** Options of {@link ensureDataset}. */
export type EnsureDatasetOptions = FindDatasetOptions & DownloadOptions;

/** One place {@link ensureDataset} looked for a dataset folder. */
export interface SearchedLocation {
  /** What the place is: `'$COLLAB_DATA_DIR/ml-100k'`, `'dataDir/ml-100k'` or `'the download cache'`. */
  readonly what: string;
  /** The folder, or `null` when the variable naming it is not set. */
  readonly path: string | null;
  /** Why it did not count (`'COLLAB_DATA_DIR is not set'`, `'no u.data there'`). */
  readonly why: string;
}

/**
 * A registry dataset that is not on this machine and could not be downloaded (offline, an HTTP error, a
 * checksum mismatch). Its message says where it looked and how to provide the files; `downloadError` is the
 * download's own error.
 */
export class DatasetUnavailableError extends DataError {
  /** The registry name (`'ml-100k'`). */
  readonly dataset: string;
  /** Where it looked, in order. */
  readonly searched: readonly SearchedLocation[];
  /** Why the download failed. */
  readonly downloadError: Error;
  constructor(dataset: string, searched: readonly SearchedLocation[], downloadError: Error, cacheFolder: string) {
    const lines = [
      `not on this machine, and the download failed (${downloadError.message})`,
      ...searched.map((s) => `  looked in ${s.what}${s.path ? `: ${s.path}` : ''} (${s.why})`),
      `  to use a copy you already have: set ${DATA_DIR_ENV} to the folder that holds ${dataset}/, or put the unzipped ${dataset} folder at ${cacheFolder}`,
    ];
    super(lines.join('\n'), { file: dataset });
    this.dataset = dataset;
    this.searched = searched;
    this.downloadError = downloadError;
  }
}

/** Where {@link findDataset} looks for `name`, and why each place did not hold it (for error messages). */
export function searchedLocations(name: string, options: FindDatasetOptions = {}): SearchedLocation[] {
  const info = datasetInfo(name);
  const why = (dir: string): string => (existsSync(dir) ? `no ${info.ratingsFile} there` : 'no such folder');
  const out: SearchedLocation[] = [];
  if (options.dataDir !== undefined) {
    out.push({ what: `dataDir/${info.name}`, path: join(options.dataDir, info.name), why: why(join(options.dataDir, info.name)) });
  } else {
    const env = dataDirFromEnv();
    out.push(
      env
        ? { what: `$${DATA_DIR_ENV}/${info.name}`, path: join(env, info.name), why: why(join(env, info.name)) }
        : { what: `$${DATA_DIR_ENV}/${info.name}`, path: null, why: `${DATA_DIR_ENV} is not set` },
    );
  }
  const cache = join(options.cacheDir ?? defaultCacheDir(), info.name);
  out.push({ what: 'the download cache', path: cache, why: why(cache) });
  return out;
}

/**
 * The folder of a registry dataset: found in `$COLLAB_DATA_DIR` or the cache, else downloaded
 * (see {@link downloadDataset}). When the download fails too it throws a {@link DatasetUnavailableError}
 * that names the places searched and how to provide the files.
 *
 * @example
 * ```ts
 * const dir = await ensureDataset('ml-100k', { onProgress: (r, t) => process.stderr.write(`\r${formatProgress(r, t)}`) });
 * ```
 */
export async function ensureDataset(name: string, options: EnsureDatasetOptions = {}): Promise<string> {
  const found = findDataset(name, options);
  if (found) return found;
  // searched before the download, which may create the cache folder
  const searched = searchedLocations(name, options);
  try {
    return await downloadDataset(name, options);
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    throw new DatasetUnavailableError(datasetInfo(name).name, searched, err, join(options.cacheDir ?? defaultCacheDir(), datasetInfo(name).name));
  }
}

/** {@link ensureDataset} then {@link loadRatings} with the dataset's format: a registry dataset in one call. */
export async function loadDataset(name: string, options: EnsureDatasetOptions & Omit<LoadRatingsOptions, 'format'> = {}): Promise<LoadedRatings> {
  const dir = await ensureDataset(name, options);
  const loaded = loadRatings(dir, { ...options, format: datasetInfo(name).format });
  return { ...loaded, dataset: { ...loaded.dataset, source: name } };
}
