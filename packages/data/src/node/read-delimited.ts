import type { RatingsDataset } from '../dataset.js';
import { scanOptionsFor, toDataset } from '../readers/delimited.js';
import { detectLayout, type DelimitedOptions } from '../readers/layout.js';
import { readHead, scanFile } from './file-scan.js';

/**
 * Reads any delimited ratings file (CSV, TSV, `|`, `;` or MovieLens `::`), with named or positional columns
 * and arbitrary string ids. Ids are mapped to sorted vocabularies (numeric order when all ids are numbers).
 *
 * Bad input raises a `DataError` naming file, line and column (empty file, missing named column, too few
 * fields, non-numeric rating, invalid UTF-8, NUL bytes); with `skipBadRows` malformed rows are counted in
 * `dataset.skipped` instead.
 *
 * @example
 * ```ts
 * const ds = readDelimited('ratings.tsv', { delimiter: '\t', header: false });
 * ```
 */
export function readDelimited(file: string, options: DelimitedOptions = {}): RatingsDataset {
  const layout = detectLayout(readHead(file), file, options);
  const result = scanFile(file, scanOptionsFor(file, layout, options), layout.dataStart);
  return toDataset(file, result);
}
