import { Vocabulary } from '../vocabulary.js';
import type { RatingsDataset } from '../dataset.js';
import { detectLayout, type DelimitedOptions, type Layout } from './layout.js';
import { scanBytes, type ScanOptions, type ScanResult } from './scan.js';

/** The kernel options for a detected layout. @internal */
export function scanOptionsFor(file: string, layout: Layout, options: DelimitedOptions): ScanOptions {
  return {
    file,
    delimiter: layout.delimiter,
    columns: layout.columns,
    firstLine: layout.firstLine,
    skipBadRows: options.skipBadRows ?? false,
    encoding: options.encoding ?? 'utf-8',
  };
}

/** Turns a kernel result into a {@link RatingsDataset}. @internal */
export function toDataset(source: string, r: ScanResult): RatingsDataset {
  return {
    source,
    ratings: { users: r.users, items: r.items, ratings: r.ratings, timestamps: r.timestamps },
    users: new Vocabulary('user', r.userIds),
    items: new Vocabulary('item', r.itemIds),
    ratingRange: [r.ratingMin, r.ratingMax],
    skipped: { count: r.skipped, examples: r.skippedExamples },
  };
}

/**
 * The in-memory form of `readDelimited` (from `@collab-ts/data/node`): parses delimited ratings from bytes or text (`name` is used
 * in error messages). Works without the file system.
 */
export function parseDelimited(data: Uint8Array | string, options: DelimitedOptions & { name?: string } = {}): RatingsDataset {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const name = options.name ?? '<input>';
  const layout = detectLayout(bytes.subarray(0, 1 << 16), name, options);
  const result = scanBytes(bytes, scanOptionsFor(name, layout, options), layout.dataStart);
  return toDataset(name, result);
}
