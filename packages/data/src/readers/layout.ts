import { DataError, UsageError } from '@collab-ts/core';
import { decodeBytes, splitLine, type TextEncoding } from '../internal/text.js';
import type { ScanColumns } from './scan.js';
import type { DuplicatePolicy } from './dedupe.js';

/** Field separators the delimited reader understands (`'auto'` guesses from the first lines). */
export type Delimiter = 'auto' | ',' | '\t' | '|' | '::' | ';';

/** A column chosen by header name or by 0-based position. */
export type ColumnRef = string | number;

/** Options shared by the delimited readers. */
export interface DelimitedOptions {
  /** Field separator; `'auto'` (default) picks the one that splits the first lines consistently. */
  delimiter?: Delimiter;
  /** Whether line 1 names the columns; `'auto'` (default) decides from its contents. */
  header?: boolean | 'auto';
  /** User id column; default: a header named user/userId/user_id, else position 0. */
  user?: ColumnRef;
  /** Item id column; default: item/itemId/item_id/movieId/movie, else position 1. */
  item?: ColumnRef;
  /** Rating column; default: rating, else position 2. */
  rating?: ColumnRef;
  /** Timestamp column (`null` for none); default: timestamp, else position 3 when present. */
  timestamp?: ColumnRef | null;
  /** Count and report malformed rows instead of failing on the first one. */
  skipBadRows?: boolean;
  /** Text encoding (default `'utf-8'`, validated). */
  encoding?: TextEncoding;
  /**
   * Rows with more fields than the layout are an error at their first extra field (`'error'`, default): the
   * layout has as many fields as the header names, or, without a header, as most of the first lines have.
   * `'allow'` ignores extra fields (e.g. a free-text last column that may contain the separator).
   */
  extraFields?: 'error' | 'allow';
  /** Longest line accepted, in bytes (default 1 MiB): a longer line fails early, without reading it whole. */
  maxLineBytes?: number;
  /** What to do with repeated (user, item) pairs (default `'last'`); see {@link DuplicatePolicy}. */
  duplicates?: DuplicatePolicy;
}

/** The resolved shape of a delimited file. @internal */
export interface Layout {
  delimiter: Exclude<Delimiter, 'auto'>;
  header: boolean;
  /** Byte offset of the first data line. */
  dataStart: number;
  firstLine: number;
  columns: ScanColumns;
  /** Fields a row may have: the header's count, else the most common count of the first lines (`Infinity` with `extraFields: 'allow'`). */
  maxFields: number;
  /** Where {@link maxFields} comes from, for messages. */
  fieldsSource: string;
}

const CANDIDATES: Exclude<Delimiter, 'auto'>[] = ['::', '\t', '|', ',', ';'];
/** Header names each role is recognised by (lower case), shared with the Parquet reader. @internal */
export const NAMES = {
  user: ['user', 'userid', 'user_id', 'users', 'uid', 'customer_id', 'customerid'],
  item: ['item', 'itemid', 'item_id', 'movieid', 'movie', 'movie_id', 'items', 'iid', 'product_id', 'productid'],
  rating: ['rating', 'ratings', 'score', 'stars', 'value'],
  timestamp: ['timestamp', 'time', 'ts', 'date', 'datetime', 'unixtime'],
};
const norm = (s: string): string => s.trim().toLowerCase();

function isNumber(s: string): boolean {
  const t = s.trim();
  return t !== '' && Number.isFinite(Number(t));
}

/**
 * Works out delimiter, header and column positions from the first bytes of a file.
 * Throws {@link DataError} for an empty file or a named column missing from the header (line 1).
 * @internal
 */
export function detectLayout(head: Uint8Array, file: string, opts: DelimitedOptions): Layout {
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  if (head.length - start === 0 || isBlank(head, start)) throw new DataError('file is empty', { file, line: 1, column: 1 });
  const nul = head.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    let ls = 0;
    for (let i = 0; i < nul; i++) if (head[i] === 10) { line++; ls = i + 1; }
    throw new DataError('NUL byte: this looks like a binary file, not text', { file, line, column: nul - ls + 1 });
  }
  // first lines as text (a partial last line is dropped unless it is the only one)
  const text = decodeBytes(head, start, head.length, opts.encoding ?? 'utf-8');
  let lines = text.split('\n');
  if (lines.length > 1 && head.length >= 1 << 16) lines = lines.slice(0, -1);
  lines = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.length > 0).slice(0, 20);
  const delimiter = opts.delimiter && opts.delimiter !== 'auto' ? opts.delimiter : guessDelimiter(lines);
  const first = splitLine(lines[0], delimiter).fields;
  const second = lines.length > 1 ? splitLine(lines[1], delimiter).fields : null;
  const refs = [opts.user, opts.item, opts.rating, opts.timestamp];
  const namedRef = refs.some((r) => typeof r === 'string');
  let header: boolean;
  if (opts.header === true || opts.header === false) header = opts.header;
  else if (namedRef) header = true;
  else {
    const known = first.some((f) => Object.values(NAMES).some((ns) => ns.includes(norm(f))));
    const typeChange = second !== null && first.some((f, k) => !isNumber(f) && second[k] !== undefined && isNumber(second[k]));
    header = known || typeChange;
  }
  const names = header ? first.map((f) => f.trim()) : null;
  const resolve = (ref: ColumnRef | null | undefined, role: keyof typeof NAMES, fallback: number | null): number | null => {
    if (ref === null) return null;
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0) throw new UsageError(`${role} column position must be a non-negative integer, got ${ref}`);
      return ref;
    }
    if (typeof ref === 'string') {
      if (!names) throw new UsageError(`${role} column ${JSON.stringify(ref)} is named but the file has no header (header: false)`);
      let k = names.indexOf(ref);
      if (k < 0) k = names.findIndex((n) => norm(n) === norm(ref));
      if (k < 0) throw new DataError(`no column named ${JSON.stringify(ref)} for ${role} in the header (columns: ${names.join(', ')})`, { file, line: 1, column: 1 });
      return k;
    }
    if (names) {
      const k = names.findIndex((n) => NAMES[role].includes(norm(n)));
      if (k >= 0) return k;
      if (role !== 'timestamp') {
        const wanted = NAMES[role].slice(0, 3).join('/');
        if (fallback !== null && fallback < names.length && !Object.values(NAMES).some((ns) => ns.includes(norm(names[fallback])))) return fallback;
        throw new DataError(`no ${role} column in the header (looked for ${wanted}; columns: ${names.join(', ')})`, { file, line: 1, column: 1 });
      }
      return null;
    }
    return fallback;
  };
  // without a header, line 1 may itself be damaged (two rows merged): go by the most common field count
  const nFields = header ? first.length : commonFieldCount(lines, delimiter);
  const user = resolve(opts.user, 'user', 0)!;
  const item = resolve(opts.item, 'item', 1)!;
  const rating = resolve(opts.rating, 'rating', 2)!;
  const timestamp = resolve(opts.timestamp, 'timestamp', nFields > 3 ? 3 : null);
  const distinct = new Set([user, item, rating, timestamp].filter((x) => x !== null));
  if (distinct.size !== (timestamp === null ? 3 : 4)) throw new UsageError('user, item, rating and timestamp must be different columns');
  const dataStart = header ? byteAfterFirstLine(head, start) : start;
  if (header && dataStart < 0) throw new DataError('header line is longer than 64 KiB', { file, line: 1, column: 1 });
  const label = (k: number | null, plain: string): string => (names && k !== null ? names[k] ?? plain : plain);
  const need = Math.max(user, item, rating, timestamp ?? -1) + 1;
  let maxFields: number;
  let fieldsSource: string;
  if (opts.extraFields === 'allow') {
    maxFields = Infinity;
    fieldsSource = '';
  } else if (opts.extraFields !== undefined && opts.extraFields !== 'error') {
    throw new UsageError(`extraFields must be 'error' or 'allow', got ${JSON.stringify(opts.extraFields)}`);
  } else if (names) {
    maxFields = Math.max(names.length, need);
    fieldsSource = 'as in the header';
  } else {
    maxFields = Math.max(nFields, need);
    fieldsSource = 'as in the first lines';
  }
  return {
    delimiter,
    header,
    dataStart,
    firstLine: header ? 2 : 1,
    columns: {
      user,
      item,
      rating,
      timestamp,
      names: { user: label(user, 'user'), item: label(item, 'item'), rating: label(rating, 'rating'), timestamp: label(timestamp, 'timestamp') },
    },
    maxFields,
    fieldsSource,
  };
}

/** The most common field count of the sampled lines (the smallest of equally common ones). */
function commonFieldCount(lines: string[], delimiter: string): number {
  const counts = new Map<number, number>();
  for (const l of lines) {
    const n = splitLine(l, delimiter).fields.length;
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [n, c] of counts) if (c > bestCount || (c === bestCount && n < best)) [best, bestCount] = [n, c];
  return best;
}

function isBlank(buf: Uint8Array, s: number): boolean {
  for (let i = s; i < buf.length; i++) {
    const b = buf[i];
    if (b !== 10 && b !== 13 && b !== 32 && b !== 9) return false;
  }
  return true;
}

function byteAfterFirstLine(head: Uint8Array, start: number): number {
  const nl = head.indexOf(10, start);
  if (nl >= 0) return nl + 1;
  return head.length < 1 << 16 ? head.length : -1;
}

/** Picks the candidate separator that appears the same non-zero number of times on every sampled line. */
export function guessDelimiter(lines: string[]): Exclude<Delimiter, 'auto'> {
  let best: Exclude<Delimiter, 'auto'> = ',';
  let bestScore = -1;
  for (const d of CANDIDATES) {
    const counts = lines.map((l) => splitLine(l, d).fields.length - 1);
    const c0 = counts[0];
    if (c0 === 0) continue;
    const consistent = counts.filter((c) => c === c0).length / counts.length;
    const score = consistent * 100 + Math.min(c0, 10);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
