import { Vocabulary } from '../vocabulary.js';
import type { RatingsDataset } from '../dataset.js';
import { detectLayout, type DelimitedOptions, type Layout } from './layout.js';
import { locateInBytes, scanBytes, type ScanOptions, type ScanResult } from './scan.js';
import { _dedupeDataset, checkDuplicatePolicy, type DuplicatePolicy, type RowLocator } from './dedupe.js';

/** The kernel options for a detected layout. @internal */
export function scanOptionsFor(file: string, layout: Layout, options: DelimitedOptions): ScanOptions {
  return {
    file,
    delimiter: layout.delimiter,
    columns: layout.columns,
    firstLine: layout.firstLine,
    skipBadRows: options.skipBadRows ?? false,
    encoding: options.encoding ?? 'utf-8',
    maxFields: layout.maxFields,
    fieldsSource: layout.fieldsSource,
    maxLineBytes: options.maxLineBytes,
  };
}

/** The duplicates policy of reader options, checked before any reading. @internal */
export function duplicatesOption(options: { duplicates?: DuplicatePolicy }): DuplicatePolicy {
  return checkDuplicatePolicy(options.duplicates ?? 'last');
}

/**
 * Turns a kernel result into a {@link RatingsDataset} and applies the duplicates policy (`locate` finds
 * the lines of rows for the `'error'` policy's message). @internal
 */
export function toDataset(source: string, r: ScanResult, duplicates: DuplicatePolicy, locate: RowLocator): RatingsDataset {
  const ds: RatingsDataset = {
    source,
    ratings: { users: r.users, items: r.items, ratings: r.ratings, timestamps: r.timestamps },
    users: new Vocabulary('user', r.userIds),
    items: new Vocabulary('item', r.itemIds),
    ratingRange: [r.ratingMin, r.ratingMax],
    skipped: { count: r.skipped, examples: r.skippedExamples },
  };
  return _dedupeDataset(ds, duplicates, locate, true);
}

/** A {@link RowLocator} over bytes in memory. @internal */
export function bytesLocator(bytes: Uint8Array, options: ScanOptions, startByte: number): RowLocator {
  return (rows) => locateInBytes(bytes, options, startByte, rows).map((p) => ({ file: options.file, ...p }));
}

/**
 * The in-memory form of `readDelimited` (from `@collab-ts/data/node`): parses delimited ratings from bytes or text (`name` is used
 * in error messages). Works without the file system.
 */
export function parseDelimited(data: Uint8Array | string, options: DelimitedOptions & { name?: string } = {}): RatingsDataset {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const name = options.name ?? '<input>';
  const policy = duplicatesOption(options);
  const layout = detectLayout(bytes.subarray(0, 1 << 16), name, options);
  const scan = scanOptionsFor(name, layout, options);
  return toDataset(name, scanBytes(bytes, scan, layout.dataStart), policy, bytesLocator(bytes, scan, layout.dataStart));
}
