import { UsageError, type RatingColumns } from '@collab-ts/core';
import type { Vocabulary } from '../vocabulary.js';
import type { ParquetColumn, ParquetColumnType } from './encode.js';

/** How raw ids are stored: `'auto'` picks `int` when every id is an integer in 32-bit range (what Spark's ALS needs), else `long`, else `string`. */
export type ParquetIdType = 'auto' | 'int' | 'long' | 'string';

/** Column names and id types of a ratings table written as Parquet. */
export interface RatingsTableOptions {
  /** Column names (default `userId`, `movieId`, `rating`, `timestamp`, as `writeRatingsCsv` writes). */
  names?: { user?: string; item?: string; rating?: string; timestamp?: string };
  /** Type of the user and item id columns (default `'auto'`). */
  idType?: ParquetIdType;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The narrowest id type that stores every raw id of `vocab` exactly (its text reads back the same). */
function autoIdType(vocab: Vocabulary): Exclude<ParquetIdType, 'auto'> {
  let type: Exclude<ParquetIdType, 'auto'> = 'int';
  for (const s of vocab.rawIds) {
    const v = Number(s);
    if (!Number.isSafeInteger(v) || String(v) !== s) return 'string';
    if (v < INT32_MIN || v > INT32_MAX) type = 'long';
  }
  return type;
}

/** The raw id of every vocabulary index as the chosen column type. */
function idValues(vocab: Vocabulary, type: Exclude<ParquetIdType, 'auto'>): Int32Array | Float64Array | string[] {
  const ids = vocab.rawIds;
  if (type === 'string') return [...ids];
  const out = type === 'int' ? new Int32Array(ids.length) : new Float64Array(ids.length);
  for (let k = 0; k < ids.length; k++) {
    const v = Number(ids[k]);
    const fits = Number.isSafeInteger(v) && String(v) === ids[k] && (type === 'long' || (v >= INT32_MIN && v <= INT32_MAX));
    if (!fits) throw new UsageError(`${vocab.kind} id ${JSON.stringify(ids[k])} cannot be stored in a ${type} column (use idType 'string' or 'auto')`);
    out[k] = v;
  }
  return out;
}

/** Gathers the raw id of each row (`codes` are vocabulary indices). */
function gather(values: Int32Array | Float64Array | string[], codes: Int32Array): Int32Array | Float64Array | string[] {
  const n = codes.length;
  if (Array.isArray(values)) {
    const out = new Array<string>(n);
    for (let r = 0; r < n; r++) out[r] = values[codes[r]];
    return out;
  }
  const out = values instanceof Int32Array ? new Int32Array(n) : new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = values[codes[r]];
  return out;
}

/** Timestamps go in a `long` column when all are whole seconds (as MovieLens and Spark write them), else `double`. */
function timestampType(ts: Float64Array): ParquetColumnType {
  for (let r = 0; r < ts.length; r++) if (!Number.isSafeInteger(ts[r])) return 'double';
  return 'long';
}

/**
 * The Parquet columns of a ratings table with raw ids: user, item, rating (`float`) and, when present,
 * timestamp. `extra` columns (a split label, say) are appended. @internal
 */
export function ratingsTableColumns(
  columns: RatingColumns,
  vocabularies: { users: Vocabulary; items: Vocabulary },
  options: RatingsTableOptions = {},
  extra: readonly ParquetColumn[] = [],
): ParquetColumn[] {
  const names = { user: 'userId', item: 'movieId', rating: 'rating', timestamp: 'timestamp', ...options.names };
  const idType = options.idType ?? 'auto';
  if (!['auto', 'int', 'long', 'string'].includes(idType)) throw new UsageError(`unknown idType ${JSON.stringify(idType)} (expected auto, int, long or string)`);
  const out: ParquetColumn[] = [];
  for (const [role, vocab, codes] of [['user', vocabularies.users, columns.users], ['item', vocabularies.items, columns.items]] as const) {
    const type = idType === 'auto' ? autoIdType(vocab) : idType;
    const parquetType: ParquetColumnType = type === 'string' ? 'string' : type;
    out.push({ name: names[role], type: parquetType, data: gather(idValues(vocab, type), codes) });
  }
  out.push({ name: names.rating, type: 'float', data: columns.ratings });
  if (columns.timestamps) out.push({ name: names.timestamp, type: timestampType(columns.timestamps), data: columns.timestamps });
  return [...out, ...extra];
}
