import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { userItemMatrix } from '@collab-ts/core';
import type { Vocabulary } from '@collab-ts/core';
import { checkWritable } from '@collab-ts/core/node';
import { importSparkAls, saveModel } from '@collab-ts/models/node';
import type { SparkAlsRecommender } from '@collab-ts/models';
import { addDataFormatOptions } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { collabCommand } from '../io/invocation.js';
import { createOutput } from '../io/output.js';
import type { Output } from '../io/output.js';
import { readItemTitles } from '../item-titles.js';
import { ratingsForModel } from '../model-source.js';
import { finiteNumber } from '../parse.js';

type ImportOpts = Partial<DataOptions> & {
  out: string;
  items?: string;
  implicitPrefs?: boolean;
  alpha?: number;
  regParam?: number;
  json?: boolean;
  quiet?: boolean;
};

/** Titles for an item vocabulary from a movies file, with a count of the items that got one. */
function withTitles(items: Vocabulary, file: string, out: Output): Vocabulary {
  const titles = readItemTitles(file);
  const titled = items.withTitles((id) => titles.get(id));
  const found = items.rawIds.filter((id) => titles.has(id)).length;
  out.log(`titles for ${found} of ${items.size} items from ${file}`);
  if (found < items.size) out.warn(`${items.size - found} items have no title in ${file}; they show their id`);
  return titled;
}

/** `collab import spark-als`: a Spark MLlib ALSModel folder as a collab model. */
function sparkAlsCommand(): Command {
  const cmd = new Command('spark-als')
    .description("a model saved by Spark MLlib (ALSModel.write.save): its factors become a spark-als model that recommend, similar, serve and evaluate use")
    .argument('<dir>', 'the saved ALSModel folder (metadata/, userFactors/, itemFactors/), copied from HDFS/S3 to this machine')
    .requiredOption('--out <dir>', 'where to save the collab model')
    .option('--items <file>', 'item titles: a MovieLens-style movies file (u.item, movies.csv, movies.dat) or a folder holding one')
    .option('--data <dir|file|name>', "the interactions the Spark job trained on (ids as Spark saw them): kept with the model so recommendations hide what each user already has")
    .option('--implicit-prefs', "the Spark job used implicitPrefs=True (Spark saves no training params with the model; default: what a collab export recorded, else Spark's explicit default)")
    .option('--alpha <x>', "the Spark job's alpha (implicitPrefs), for the fold-in of new users", finiteNumber)
    .option('--reg-param <x>', "the Spark job's regParam, for the fold-in of new users", finiteNumber);
  addDataFormatOptions(cmd)
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText(
      'after',
      '\nSpark ids must be the raw user and item ids of --data and --items (ints, as Spark\'s ALS needs).\n\nExamples:\n  $ collab import spark-als als-model --out models/als --items ml-latest/movies.csv --data ml-latest/ratings.csv\n  $ collab import spark-als als-implicit --out models/als-implicit --implicit-prefs --alpha 40 --reg-param 0.01',
    )
    .action(async (dir: string, opts: ImportOpts) => {
      const out = createOutput(opts);
      checkWritable(opts.out, 'dir');
      const t0 = performance.now();
      const objective = { implicitPrefs: opts.implicitPrefs ? true : undefined, alpha: opts.alpha, regParam: opts.regParam };
      const imported = await importSparkAls(dir, { objective });
      const model = imported.model as SparkAlsRecommender;
      let { items } = imported;
      const { users } = imported;
      out.log(`read Spark ALSModel ${dir}: rank ${model.config.factors}, ${users.size} users, ${items.size} items (Spark ${String((imported.meta.spark as { sparkVersion: string }).sparkVersion)}) in ${((performance.now() - t0) / 1000).toFixed(2)}s`);
      if (!imported.complete) out.warn(`${dir} has no _SUCCESS marker in userFactors/ or itemFactors/: the Spark job that wrote it may not have finished`);
      const c = model.config;
      out.log(`fold-in objective: ${c.implicitPrefs ? `implicit, alpha ${c.alpha}` : 'explicit'}, regParam ${c.regParam} (${imported.objectiveSource})`);
      let history: { rows: number; unknownRows: number } | null = null;
      if (opts.data) {
        const { cols, ds, unknown } = await ratingsForModel({ users, items }, opts.data, out, { ...opts, format: opts.format ?? 'auto' });
        model.history = userItemMatrix(cols, users.size, items.size);
        history = { rows: cols.ratings.length, unknownRows: unknown.rows };
        if (!opts.items && ds.items.hasTitles) items = items.withTitles((id) => { const j = ds.items.tryEncode(id); return j >= 0 && ds.items.hasTitles ? ds.items.title(j) : null; });
        out.log(`attached ${cols.ratings.length} interactions from ${ds.source}: recommendations hide what each user already has`);
      } else {
        out.warn(`no interactions attached: recommend and serve cannot hide items users already have (pass --data with the Spark job's interactions here, or --data to recommend); evaluate needs --train-file`);
      }
      if (opts.items) items = withTitles(items, opts.items, out);
      const meta = { ...imported.meta, importedFrom: dir, interactions: null };
      const existed = existsSync(opts.out);
      saveModel(opts.out, model, { users, items, meta });
      out.log(`${existed ? 'replaced' : 'saved'} spark-als model in ${opts.out}; try: ${collabCommand()} recommend --model ${opts.out} --user ${users.decode(0)}`);
      if (out.jsonMode) {
        out.json({ out: opts.out, kind: model.kind, rank: c.factors, users: users.size, items: items.size, objective: { implicitPrefs: c.implicitPrefs, alpha: c.alpha, regParam: c.regParam, source: imported.objectiveSource }, history, titles: items.hasTitles, spark: imported.meta.spark, complete: imported.complete });
      }
    });
  return cmd;
}

/** `collab import`: models trained elsewhere, in their own formats. */
export function importCommand(): Command {
  return new Command('import').description('turn a model trained elsewhere (Spark MLlib ALS) into a collab model').addCommand(sparkAlsCommand());
}
