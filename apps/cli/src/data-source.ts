import { existsSync, statSync } from 'node:fs';
import { Option } from 'commander';
import type { Command } from 'commander';
import { CollabError, DataError, UsageError } from '@collab-ts/core';
import { DATASETS, DEFAULT_MAX_LINE_BYTES, DUPLICATE_POLICIES, formatDuplicates } from '@collab-ts/data';
import { DatasetUnavailableError, detectFormat, openRatings } from '@collab-ts/data/node';
import type { Delimiter, DuplicatePolicy, RatingsDataset } from '@collab-ts/data';
import type { RatingsFormat } from '@collab-ts/data/node';
import type { Output } from './io/output.js';
import { createProgress } from './io/progress.js';
import { positiveInt } from './parse.js';

/** The data options every data-reading command shares. */
export interface DataOptions {
  data: string;
  format: string;
  skipBadRows?: boolean;
  delimiter?: string;
  userCol?: string;
  itemCol?: string;
  ratingCol?: string;
  duplicates?: string;
  maxLineBytes?: number;
}

/**
 * Adds `--data`, `--format`, `--skip-bad-rows`, the column options, `--duplicates` and `--max-line-bytes`
 * to a command.
 */
export function addDataOptions(cmd: Command, required = true, formatFlag = '--format'): Command {
  const data = new Option('--data <dir|file|name>', 'ratings: a MovieLens directory, a CSV/TSV file, a Parquet file or folder of part files, or a dataset name (ml-100k, ml-1m, ml-latest-small, ml-25m)');
  if (required) data.makeOptionMandatory();
  return addDataFormatOptions(cmd.addOption(data), formatFlag);
}

/**
 * Adds how ratings files are read (`--format`, `--skip-bad-rows`, the column options), for commands that read
 * files besides `--data`. `formatFlag` renames `--format` where a command's `--format` names what it writes.
 */
export function addDataFormatOptions(cmd: Command, formatFlag = '--format'): Command {
  return cmd
    .addOption(new Option(`${formatFlag} <format>`, 'input layout').choices(['auto', 'ml-100k', 'ml-1m', 'ml-10m', 'ml-latest', 'delimited', 'parquet']).default('auto'))
    .option('--skip-bad-rows', 'skip malformed rows (counted and reported) instead of stopping at the first')
    .option('--delimiter <sep>', 'field separator of a delimited file (default: detected)')
    .option('--user-col <name|index>', 'user column of a delimited or Parquet file')
    .option('--item-col <name|index>', 'item column of a delimited or Parquet file')
    .option('--rating-col <name|index>', 'rating column of a delimited or Parquet file')
    .addOption(
      new Option('--duplicates <policy>', 'repeated (user, item) pairs: keep the last or first by timestamp, their mean, or fail (counted and reported)')
        .choices([...DUPLICATE_POLICIES])
        .default('last'),
    )
    .addOption(new Option('--max-line-bytes <n>', 'fail on a line longer than this (bytes), without reading it whole').argParser(positiveInt).default(DEFAULT_MAX_LINE_BYTES));
}

function column(v: string | undefined): string | number | undefined {
  if (v === undefined) return undefined;
  return /^\d+$/.test(v) ? Number(v) : v;
}

/**
 * Resolves `--data` (a path, or a dataset name found locally or downloaded with a progress bar) and reads it.
 * A path that does not exist, or a directory without a ratings file, is a usage error (exit 2); a dataset
 * that is neither on this machine nor downloadable is exit 1, with where it looked and how to provide it.
 */
export async function readData(opts: DataOptions, out: Output): Promise<RatingsDataset> {
  const isPath = existsSync(opts.data);
  if (!isPath && !(opts.data in DATASETS)) {
    throw new UsageError(`--data ${opts.data}: no such file or directory, and not a dataset name (${Object.keys(DATASETS).join(', ')})`);
  }
  if (isPath && statSync(opts.data).isDirectory()) {
    try {
      detectFormat(opts.data);
    } catch (err) {
      // a folder in no known layout is a path the user named wrong (exit 2), not bad data
      if (!(err instanceof DataError)) throw err;
      throw new UsageError(`--data ${opts.data}: the directory holds no ratings file (u.data, ratings.dat, ratings.csv or Parquet part files); name the ratings file itself for other layouts`);
    }
  }
  const bar = createProgress(out, '{label} |{bar}| {percentage}% | {value}/{total} bytes | ETA {eta_formatted}');
  let started = false;
  const t0 = performance.now();
  try {
    const { dataset, skipped, skippedExamples, duplicates } = await openRatings(opts.data, {
      format: opts.format as RatingsFormat,
      skipBadRows: opts.skipBadRows,
      delimiter: opts.delimiter as Delimiter | undefined,
      user: column(opts.userCol),
      item: column(opts.itemCol),
      rating: column(opts.ratingCol),
      duplicates: opts.duplicates as DuplicatePolicy | undefined,
      maxLineBytes: opts.maxLineBytes,
      onProgress(received: number, total: number | undefined) {
        if (!started) {
          out.log(`downloading ${opts.data} from GroupLens`);
          bar.start(total ?? 1, 'download');
          started = true;
        }
        bar.update(received);
      },
    });
    bar.stop();
    out.log(`read ${dataset.ratings.ratings.length} ratings (${dataset.users.size} users, ${dataset.items.size} items) from ${dataset.source} in ${((performance.now() - t0) / 1000).toFixed(2)}s`);
    if (skipped > 0) {
      out.log(`skipped ${skipped} bad rows, for example:`);
      for (const e of skippedExamples.slice(0, 5)) out.log(`  ${e}`);
    }
    if (duplicates.pairs > 0) out.log(formatDuplicates(duplicates));
    return dataset;
  } catch (err) {
    if (err instanceof DatasetUnavailableError) {
      throw new CollabError(`${err.message}\n  or name the folder that holds its files: --data /path/to/${err.dataset}`);
    }
    throw err;
  } finally {
    bar.stop();
  }
}
