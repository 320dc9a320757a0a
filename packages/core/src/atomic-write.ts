import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { CollabError, UsageError } from './errors.js';

/**
 * Fault injection for the crash tests: when `COLLAB_CRASH_AT` names this step, the process kills itself
 * with SIGKILL right here, as a power cut or `kill -9` would. A no-op otherwise.
 */
export function crashPoint(step: string): void {
  if (process.env.COLLAB_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}

function fsyncPath(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic there
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Writes and fsyncs a new file (fails if it exists). */
function writeDurable(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'wx');
  try {
    if (typeof data === 'string') writeFileSync(fd, data);
    else {
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A one-line error for a failed write: the path and the cause (ENOSPC, EROFS, EACCES, ...). */
export function writeError(path: string, err: unknown): CollabError {
  let e = err as NodeJS.ErrnoException;
  // mkdir -p through a regular file says EEXIST: it is a parent that is not a directory
  if (e?.code === 'EEXIST' && e.syscall === 'mkdir') e = Object.assign(new Error(e.message), { code: 'ENOTDIR' });
  const causes: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EDQUOT: 'disk quota exceeded',
    ENOTDIR: 'a parent is not a directory',
    EISDIR: 'it is a directory',
  };
  const why = (e?.code && causes[e.code]) ?? e?.message ?? String(err);
  // a path of the wrong kind is what the user typed wrong (exit 2); a full or read-only disk is not (exit 1)
  const Err = e?.code === 'ENOTDIR' || e?.code === 'EISDIR' ? UsageError : CollabError;
  return new Err(`cannot write ${path}: ${why}${e?.code && causes[e.code] ? ` (${e.code})` : ''}`);
}

/**
 * Writes a file so that readers see either the old contents or the new, never a torn file: write to a
 * temporary sibling, flush it, rename over the target, then flush the folder. On failure the old file is
 * left untouched and the error names the path and the cause.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeDurable(tmp, data);
    renameSync(tmp, path);
    fsyncPath(dir);
  } catch (err) {
    if (existsSync(tmp)) rmSync(tmp, { force: true });
    throw writeError(path, err);
  }
}

/** The advisory lock file of a folder written by {@link writeFilesAtomic}. */
export const LOCK_FILE = '.collab.lock';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the folder's advisory lock (a file created exclusively, holding the writer's pid). A lock left by
 * a process that no longer exists (a killed run) is taken over. Returns the release function.
 * @throws CollabError when a live process holds it.
 */
export function lockFolder(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeDurable(path, `${process.pid}\n`);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(path, err);
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
        throw new CollabError(`${dir} is being written by another collab process (pid ${pid}); wait for it to finish, or remove ${path} if that process is gone`);
      }
      rmSync(path, { force: true }); // stale: its writer was killed
    }
  }
  throw new CollabError(`cannot take the lock ${path}`);
}

/**
 * Writes a folder of files so that at every instant it holds either the complete old set or the complete
 * new one, even under `kill -9` or a power cut ("manifest written last"):
 *
 * 1. take the folder's advisory lock ({@link LOCK_FILE}; a second writer fails with a clear message);
 * 2. write each payload file under a fresh versioned name (`weights.<stamp>.safetensors`) and fsync it;
 * 3. write the manifest, which names the versioned files, to a temporary file, fsync, and rename it over
 *    the old manifest (the atomic switch), then fsync the folder;
 * 4. remove what the new manifest does not name: older versions, temporary files and leftovers of a
 *    crashed write (the same clean-up runs first, so a crash is recovered by the next write).
 *
 * `manifest(names)` builds the manifest text from the versioned name of every payload file.
 * @returns the versioned names used.
 */
export function writeFilesAtomic(
  dir: string,
  payload: Record<string, string | Uint8Array>,
  manifest: { name: string; build: (names: Record<string, string>) => string },
): Record<string, string> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw writeError(dir, err);
  }
  const release = lockFolder(dir);
  try {
    const stamp = `${Date.now().toString(36)}${process.pid.toString(36)}`;
    const names: Record<string, string> = {};
    for (const name of Object.keys(payload)) {
      const ext = extname(name);
      names[name] = `${name.slice(0, name.length - ext.length)}.${stamp}${ext}`;
    }
    removeStale(dir, payload, manifest.name, new Set());
    for (const [name, data] of Object.entries(payload)) {
      const path = join(dir, names[name]);
      try {
        writeDurable(path, data);
      } catch (err) {
        rmSync(path, { force: true });
        throw writeError(path, err);
      }
      crashPoint('payload-written');
    }
    const target = join(dir, manifest.name);
    const tmp = join(dir, `.${manifest.name}.${stamp}.tmp`);
    try {
      writeDurable(tmp, manifest.build(names));
      crashPoint('manifest-tmp-written');
      renameSync(tmp, target);
      crashPoint('manifest-renamed');
      fsyncPath(dir);
    } catch (err) {
      rmSync(tmp, { force: true });
      for (const n of Object.values(names)) rmSync(join(dir, n), { force: true });
      throw writeError(target, err);
    }
    removeStale(dir, payload, manifest.name, new Set(Object.values(names)));
    crashPoint('cleaned');
    return names;
  } finally {
    release();
  }
}

/**
 * Removes temporary files and versions of the payload files that `keep` does not name. When `keep` is
 * empty (before a write), the versions the current manifest names are kept.
 */
function removeStale(dir: string, payload: Record<string, unknown>, manifestName: string, keep: Set<string>): void {
  if (keep.size === 0) {
    try {
      const text = readFileSync(join(dir, manifestName), 'utf8');
      for (const n of Object.keys(payload)) {
        const ext = extname(n);
        const stem = n.slice(0, n.length - ext.length);
        for (const m of text.matchAll(new RegExp(`"(${escape(stem)}(?:\\.[0-9a-z]+)?${escape(ext)})"`, 'g'))) keep.add(m[1]);
      }
    } catch {
      // no readable manifest: nothing is referenced yet
    }
  }
  for (const entry of readdirSync(dir)) {
    const isTmp = entry.startsWith(`.${manifestName}.`) && entry.endsWith('.tmp');
    const isVersion = Object.keys(payload).some((n) => {
      const ext = extname(n);
      const stem = n.slice(0, n.length - ext.length);
      return entry === n || new RegExp(`^${escape(stem)}\\.[0-9a-z]+${escape(ext)}$`).test(entry);
    });
    if ((isTmp || isVersion) && !keep.has(entry)) rmSync(join(dir, entry), { force: true });
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Checks, before long work starts, that `path` can be written: a file (`kind: 'file'`) in its folder, or a
 * folder of files (`kind: 'dir'`) at that path. Missing parent folders are created; a probe file is written,
 * flushed and removed. @throws CollabError naming the path and the cause (read-only, full, no permission).
 */
export function checkWritable(path: string, kind: 'file' | 'dir'): void {
  const dir = kind === 'dir' && existsSync(path) ? path : dirname(path);
  const probe = join(dir, `.collab-probe.${process.pid}.${Date.now()}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeDurable(probe, 'probe');
  } catch (err) {
    throw writeError(kind === 'dir' ? path : dir, err);
  } finally {
    try {
      rmSync(probe, { force: true });
    } catch {
      // nothing was created
    }
  }
}
