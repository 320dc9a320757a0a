import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { RatingColumns } from '@collab-ts/core';
import type { Vocabulary } from '../vocabulary.js';

/** Options of {@link writeRatingsCsv}. */
export interface WriteCsvOptions {
  /** Write a `userId,movieId,rating,timestamp` header (default true). */
  header?: boolean;
  /** Field separator (default `,`). */
  delimiter?: ',' | '\t' | ';' | '|';
}

const enc = new TextEncoder();

function quote(s: string, d: string): string {
  return s.includes(d) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
}

/** All ids of a vocabulary encoded once into one byte buffer, with offsets. */
function idBytes(vocab: Vocabulary, d: string): { bytes: Uint8Array; off: Uint32Array; max: number } {
  const parts = vocab.rawIds.map((s) => enc.encode(quote(s, d)));
  const off = new Uint32Array(parts.length + 1);
  let max = 0;
  for (let k = 0; k < parts.length; k++) {
    off[k + 1] = off[k] + parts[k].length;
    max = Math.max(max, parts[k].length);
  }
  const bytes = new Uint8Array(off[parts.length]);
  parts.forEach((p, k) => bytes.set(p, off[k]));
  return { bytes, off, max };
}

/**
 * Streams rating columns to a CSV file with raw ids (MovieLens `ratings.csv` layout:
 * `userId,movieId,rating,timestamp`), in constant memory. The file appears atomically (written to a
 * temporary sibling, then renamed). `path` `-` streams to standard output instead. Returns the number of
 * bytes written.
 */
export function writeRatingsCsv(
  columns: RatingColumns,
  vocabularies: { users: Vocabulary; items: Vocabulary },
  path: string,
  options: WriteCsvOptions = {},
): number {
  const d = options.delimiter ?? ',';
  const dc = d.charCodeAt(0);
  const uid = idBytes(vocabularies.users, d);
  const iid = idBytes(vocabularies.items, d);
  const ts = columns.timestamps;
  const ratingText = new Map<number, Uint8Array>();
  const buf = new Uint8Array(1 << 20);
  const rowMax = uid.max + iid.max + 64;
  const toStdout = path === '-';
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = toStdout ? 1 : openSync(tmp, 'w');
  let written = 0;
  let pos = 0;
  const flush = (): void => {
    let k = 0;
    while (k < pos) {
      try {
        k += writeSync(fd, buf, k, pos - k);
      } catch (err) {
        // standard output may be a non-blocking pipe: wait for the reader instead of failing
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
      }
    }
    written += pos;
    pos = 0;
  };
  try {
    if (options.header ?? true) {
      pos += enc.encodeInto(['userId', 'movieId', 'rating', ...(ts ? ['timestamp'] : [])].join(d) + '\n', buf).written;
    }
    const { users, items, ratings } = columns;
    const digits = new Uint8Array(24);
    for (let r = 0; r < ratings.length; r++) {
      if (pos + rowMax > buf.length) flush();
      const u = users[r];
      buf.set(uid.bytes.subarray(uid.off[u], uid.off[u + 1]), pos);
      pos += uid.off[u + 1] - uid.off[u];
      buf[pos++] = dc;
      const i = items[r];
      buf.set(iid.bytes.subarray(iid.off[i], iid.off[i + 1]), pos);
      pos += iid.off[i + 1] - iid.off[i];
      buf[pos++] = dc;
      const v = ratings[r];
      let rt = ratingText.get(v);
      if (rt === undefined) {
        rt = enc.encode(String(Number(v.toPrecision(7))));
        ratingText.set(v, rt);
      }
      buf.set(rt, pos);
      pos += rt.length;
      if (ts) {
        buf[pos++] = dc;
        let t = ts[r];
        if (Number.isInteger(t) && t >= 0 && t < 1e15) {
          let n = 0;
          do {
            digits[n++] = 48 + (t % 10);
            t = Math.floor(t / 10);
          } while (t > 0);
          while (n > 0) buf[pos++] = digits[--n];
        } else pos += enc.encodeInto(String(t), buf.subarray(pos)).written;
      }
      buf[pos++] = 10;
    }
    flush();
    if (toStdout) return written;
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    return written;
  } catch (err) {
    if (toStdout) throw err;
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw err;
  }
}
