import type { RatingsDataset } from '../dataset.js';
import { duplicatesOption, scanOptionsFor, toDataset } from '../readers/delimited.js';
import { detectLayout, type DelimitedOptions } from '../readers/layout.js';
import { fileLocator, readHead, scanFile } from './file-scan.js';

/**
 * Reads any delimited ratings file (CSV, TSV, `|`, `;` or MovieLens `::`), with named or positional columns
 * and arbitrary string ids. Ids are mapped to sorted vocabularies (numeric order when all ids are numbers).
 *
 * Bad input raises a `DataError` naming file, line and column (empty file, missing named column, too few
 * or too many fields, a rating or timestamp that is not a finite decimal number, a line over
 * `maxLineBytes`, invalid UTF-8, NUL bytes); with `skipBadRows` malformed rows are counted in
 * `dataset.skipped` instead. Repeated (user, item) pairs follow `duplicates` (default: keep the last by
 * timestamp) and are counted in `dataset.duplicates`.
 *
 * @example
 * ```ts
 * const ds = readDelimited('ratings.tsv', { delimiter: '\t', header: false });
 * ```
 */
export function readDelimited(file: string, options: DelimitedOptions = {}): RatingsDataset {
  const policy = duplicatesOption(options);
  const layout = detectLayout(readHead(file), file, options);
  const scan = scanOptionsFor(file, layout, options);
  return toDataset(file, scanFile(file, scan, layout.dataStart), policy, fileLocator(file, scan, layout.dataStart));
}
