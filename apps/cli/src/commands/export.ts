import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '@collab-ts/core';
import { checkWritable } from '@collab-ts/core/node';
import { writeRatingsCsv, writeRatingsParquet, writeSplitParquet } from '@collab-ts/data/node';
import { exportSparkAls } from '@collab-ts/models/node';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { tableFormat, writeFactorTable } from '../factor-tables.js';
import { createOutput } from '../io/output.js';
import { openModel, requireFactors } from '../model-source.js';
import { fraction, nonNegativeInt, positiveInt } from '../parse.js';
import { HOLDOUT_PROTOCOLS, holdout } from '../protocols.js';
import type { HoldoutProtocol } from '../protocols.js';

interface Quiet {
  json?: boolean;
  quiet?: boolean;
}

const FORMAT = () => new Option('--format <format>', 'output format (default: from the --out extension, .parquet or .csv)').choices(['parquet', 'csv']);

/** The data options of an export command: `--input-format` for the input layout, since `--format` names the output. */
function withData(cmd: Command): Command {
  return addDataOptions(cmd, true, '--input-format');
}

function dataOptions(o: Partial<DataOptions> & { inputFormat?: string }): DataOptions {
  return { ...(o as DataOptions), format: o.inputFormat ?? 'auto' };
}

/** `collab export spark-als`: a model's factors as a Spark ALSModel folder. */
function sparkAlsCommand(): Command {
  return new Command('spark-als')
    .description("write a model's factors as a Spark MLlib ALSModel folder, which ALSModel.load reads to score (transform, recommendForAllUsers) or to warm-start")
    .argument('<model>', 'a saved collab model with factor tables (spark-als, ials, dot, bpr, ...)')
    .argument('<dir>', 'the folder to write (metadata/, userFactors/, itemFactors/)')
    .option('--fold-biases', 'carry user and item biases (dot-bias, embedding-dot-bias, svd) as two extra factor columns, [x_u, b_u, 1] and [y_i, 1, b_i]: Spark then ranks as collab does, its scores are the raw dot products (no sigmoid range, no global mean)')
    .option('--parts <n>', 'Parquet part files per factor table (default: one per million rows)', positiveInt)
    .option('--overwrite', 'replace the folder when it exists')
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', "\nUser and item ids must be ints (Spark's ALS keys its factors by int ids). Biases have no place in Spark's ALSModel: a model with biases is refused unless --fold-biases.\n\nExamples:\n  $ collab export spark-als models/ials als-model\n  $ collab export spark-als models/ml-100k als-model --fold-biases --overwrite")
    .action(async (modelDir: string, dir: string, opts: Quiet & { foldBiases?: boolean; parts?: number; overwrite?: boolean }) => {
      const out = createOutput(opts);
      const bundle = await openModel(modelDir, out);
      requireFactors(bundle, 'export spark-als');
      const report = await exportSparkAls(dir, bundle, { foldBiases: opts.foldBiases, parts: opts.parts, overwrite: opts.overwrite });
      out.log(`wrote Spark ALSModel ${dir}: rank ${report.rank}${report.foldedBiases ? ' (biases folded into the last two columns)' : ''}, ${report.users} users, ${report.items} items`);
      for (const c of report.caveats) out.warn(c);
      out.log(`in PySpark: ALSModel.load("${dir}")`);
      if (out.jsonMode) out.json({ dir, ...report });
    });
}

/** `collab export interactions`: ratings as Parquet (what a Spark job reads) or CSV, with raw ids. */
function interactionsCommand(): Command {
  return withData(
    new Command('interactions')
      .description('write ratings with their raw ids as Parquet (userId, movieId, rating, timestamp: what a Spark ALS job reads) or CSV')
      .requiredOption('--out <file>', 'the file to write (.parquet or .csv)')
      .addOption(FORMAT()),
  )
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab export interactions --data ml-100k --out ratings.parquet\n  $ collab export interactions --data ratings.dat --out ratings.csv')
    .action(async (opts: Partial<DataOptions> & Quiet & { inputFormat?: string; out: string; format?: string }) => {
      const out = createOutput(opts);
      const format = tableFormat(opts.format, opts.out, false);
      checkWritable(opts.out, 'file');
      const ds = await readData(dataOptions(opts), out);
      const bytes = format === 'parquet' ? writeRatingsParquet(ds.ratings, ds, opts.out) : writeRatingsCsv(ds.ratings, ds, opts.out);
      out.log(`wrote ${ds.ratings.ratings.length} ratings to ${opts.out} (${format}, ${bytes} bytes)`);
      if (out.jsonMode) out.json({ out: opts.out, format, rows: ds.ratings.ratings.length, bytes });
    });
}

/** `collab export split`: a seeded held-out split as files another tool (Spark, implicit, ...) trains and tests on. */
function splitCommand(): Command {
  return withData(
    new Command('split')
      .description('write a held-out split (train and valid, raw ids) as Parquet or CSV files, so another tool trains and tests on the same rows')
      .requiredOption('--out <dir|file>', 'a folder (train and valid files), or with --layout column one .parquet file')
      .addOption(FORMAT())
      .addOption(new Option('--protocol <name>', "leave-last-out (each user's latest rating), user-holdout or random (--test-pct of each user's or of all ratings)").choices([...HOLDOUT_PROTOCOLS]).default('random'))
      .option('--test-pct <fraction>', 'with user-holdout or random: the fraction held out', fraction, 0.2)
      .option('--seed <n>', 'seed of the split', nonNegativeInt, 42)
      .addOption(new Option('--layout <layout>', 'files: train and valid files in a folder; column: one Parquet file with a split column').choices(['files', 'column']).default('files')),
  )
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab export split --data ml-100k --protocol leave-last-out --out split/\n  $ collab export split --data ratings.csv --out split.parquet --layout column')
    .action(async (opts: Partial<DataOptions> & Quiet & { inputFormat?: string; out: string; format?: string; protocol: HoldoutProtocol; testPct: number; seed: number; layout: 'files' | 'column' }) => {
      const out = createOutput(opts);
      const format = tableFormat(opts.format, opts.out, opts.layout === 'files');
      if (format === 'csv' && opts.layout === 'column') throw new UsageError('--layout column writes one Parquet file; use --format parquet, or --layout files for CSV');
      checkWritable(opts.out, opts.layout === 'files' ? 'dir' : 'file');
      const ds = await readData(dataOptions(opts), out);
      const split = holdout(ds.ratings, opts.protocol, { testPct: opts.testPct, seed: opts.seed });
      const paths =
        format === 'parquet'
          ? writeSplitParquet(split, ds, opts.out, { layout: opts.layout })
          : (['train', 'valid'] as const).map((p) => {
              mkdirSync(opts.out, { recursive: true });
              const file = join(opts.out, `${p}.csv`);
              writeRatingsCsv(split[p], ds, file);
              return file;
            });
      out.log(`wrote a ${opts.protocol} split: ${split.train.ratings.length} train, ${split.valid.ratings.length} valid ratings -> ${paths.join(', ')}`);
      if (out.jsonMode) out.json({ protocol: opts.protocol, format, layout: opts.layout, train: split.train.ratings.length, valid: split.valid.ratings.length, files: paths });
    });
}

/** `collab export factors`: a model's user and item factor tables, for analysis elsewhere. */
function factorsCommand(): Command {
  return new Command('factors')
    .description("write a model's user and item factor tables (id, title, bias, factors) as Parquet or CSV")
    .argument('<model>', 'a saved collab model with factor tables')
    .requiredOption('--out <dir>', 'the folder to write user_factors and item_factors into')
    .addOption(FORMAT().default('parquet'))
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab export factors models/ml-100k --out factors/\n  $ collab export factors models/ials --out factors/ --format csv')
    .action(async (modelDir: string, opts: Quiet & { out: string; format: 'parquet' | 'csv' }) => {
      const out = createOutput(opts);
      const bundle = await openModel(modelDir, out);
      const t = requireFactors(bundle, 'export factors');
      checkWritable(opts.out, 'dir');
      const files = [writeFactorTable(opts.out, 'user', bundle.users, t, opts.format), writeFactorTable(opts.out, 'item', bundle.items, t, opts.format)];
      out.log(`wrote ${bundle.users.size} user and ${bundle.items.size} item factor rows (${t.dim} factors${t.userBias || t.itemBias ? ', with biases' : ''}) -> ${files.join(', ')}`);
      if (out.jsonMode) out.json({ files, format: opts.format, factors: t.dim, users: bundle.users.size, items: bundle.items.size });
    });
}

/** `collab export`: data, splits and models in the formats other tools read (Parquet, CSV, Spark's ALSModel). */
export function exportCommand(): Command {
  return new Command('export')
    .description("write data, splits and models in other tools' formats: Parquet or CSV tables, Spark MLlib's ALSModel")
    .addCommand(interactionsCommand())
    .addCommand(splitCommand())
    .addCommand(factorsCommand())
    .addCommand(sparkAlsCommand());
}
