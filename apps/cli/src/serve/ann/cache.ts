import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FactorTables } from '@collab-ts/core';
import type { AnnParams } from './item-index.js';

/** Cached indexes beside a model: `ann-usearch.<key>.index`, the key a digest of the item tables and build parameters. */
const PREFIX = 'ann-usearch.';
const SUFFIX = '.index';
/** Bumped when the indexed vectors change meaning, so old caches are never read. */
const LAYOUT = 'item-factors+bias/ip/f32/v1';

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * The cache key of an index: SHA-256 of the item factors, the item biases and the build parameters (the search
 * width is not part of the graph). Hashed 16 MiB at a time with a turn of the event loop in between.
 */
export async function annCacheKey(tables: FactorTables, params: AnnParams): Promise<string> {
  const h = createHash('sha256');
  h.update(JSON.stringify({ layout: LAYOUT, dim: tables.dim, bias: tables.itemBias !== null, connectivity: params.connectivity, expansionAdd: params.expansionAdd }));
  for (const part of [tables.itemFactors, tables.itemBias]) {
    if (!part) continue;
    const bytes = bytesOf(part);
    for (let off = 0; off < bytes.length; off += 16 << 20) {
      h.update(bytes.subarray(off, Math.min(bytes.length, off + (16 << 20))));
      await nextTurn();
    }
  }
  return h.digest('hex').slice(0, 24);
}

/** Where the index with this key is cached in a model directory. */
export function annCachePath(modelDir: string, key: string): string {
  return join(modelDir, `${PREFIX}${key}${SUFFIX}`);
}

/**
 * Writes an index file atomically: `save(tmp)` writes a temporary sibling, which is flushed and renamed over the
 * target, so a reader sees the whole file or none; then other cached indexes of the folder (older models or
 * parameters) are removed. Throws with the cause when the folder is not writable.
 */
export function writeCachedIndex(path: string, save: (tmp: string) => void): void {
  const dir = dirname(path);
  const name = basename(path);
  const tmp = join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  try {
    save(tmp);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    if (existsSync(tmp)) rmSync(tmp, { force: true });
    throw err;
  }
  for (const entry of readdirSync(dir)) {
    if (entry !== name && entry.startsWith(PREFIX) && entry.endsWith(SUFFIX)) rmSync(join(dir, entry), { force: true });
  }
}
