import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '@collab-ts/core';
import type { Scorer } from '@collab-ts/core';
import { kFoldSplits, leaveLastOut } from '@collab-ts/data';
import type { RatingsDataset, Split } from '@collab-ts/data';
import { findDataset, movieLens100kFold } from '@collab-ts/data/node';
import { biasBaseline, crossValidate, formatMetricTable, globalMeanBaseline, itemMeanBaseline, parseMetricList, userMeanBaseline } from '@collab-ts/eval';
import type { CrossValidationResult } from '@collab-ts/eval';
import type { ModelKind } from '@collab-ts/models';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { createOutput } from '../io/output.js';
import { createProgress } from '../io/progress.js';
import { finiteNumber } from '../parse.js';
import { addModelOptions, addTrainOptions, buildModel, trainModel } from '../training.js';
import type { TrainCliOptions } from '../training.js';

type CvOpts = DataOptions & TrainCliOptions & { folds: string; models?: string; metrics: string; baselines?: boolean; threshold: number; json?: boolean; quiet?: boolean };

const BASELINES: [string, (s: Split, ds: RatingsDataset) => Scorer][] = [
  ['global mean', (s, ds) => globalMeanBaseline(s.train, { nUsers: ds.users.size, nItems: ds.items.size })],
  ['user mean', (s, ds) => userMeanBaseline(s.train, { nUsers: ds.users.size, nItems: ds.items.size })],
  ['item mean', (s, ds) => itemMeanBaseline(s.train, { nUsers: ds.users.size, nItems: ds.items.size })],
  ['user+item bias', (s, ds) => biasBaseline(s.train, { nUsers: ds.users.size, nItems: ds.items.size })],
];

/** `collab cv`: cross-validate models (and baselines) and print mean ± std over folds. */
export function cvCommand(): Command {
  const cmd = new Command('cv').description('cross-validate one or more models (and baselines): mean and standard deviation over folds');
  addDataOptions(cmd);
  addModelOptions(cmd);
  addTrainOptions(cmd)
    .option('--folds <k|ml-100k|leave-last-out>', 'k random folds, ml-100k for the canonical u1..u5 folds, or leave-last-out (each user\'s latest rating held out)', '5')
    .option('--models <list>', 'compare several models, e.g. dot-bias,embedding-dot-bias,embedding-nn (overrides --model)')
    .option('--metrics <list>', 'metrics to report', 'rmse,mae')
    .option('--baselines', 'add the global-mean, user-mean, item-mean and user+item-bias baselines')
    .option('--threshold <rating>', 'relevance threshold for ranking metrics', finiteNumber, 4)
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no progress or logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab cv --data ml-100k --folds ml-100k --models dot-bias,embedding-dot-bias --baselines\n  $ collab cv --data ratings.csv --folds 5 --metrics rmse,ndcg@10 --json\n  $ collab cv --data ml-100k --folds leave-last-out --model dot-bias --metrics hit@10,ndcg@10 --threshold 0')
    .action(async (opts: CvOpts) => {
      const out = createOutput(opts);
      const metrics = parseMetricList(opts.metrics);
      const ds = await readData(opts, out);
      const splits = makeFolds(ds, opts.folds, opts.seed);
      const kinds = (opts.models ?? opts.model).split(',').map((s) => s.trim()) as ModelKind[];
      const rows: { name: string; result: CrossValidationResult }[] = [];
      const bar = createProgress(out, '{label} |{bar}| fold {value}/{total}');
      if (opts.baselines) {
        for (const [name, make] of BASELINES) rows.push({ name, result: await crossValidate(splits, (s) => make(s, ds), { metrics, threshold: opts.threshold }) });
      }
      for (const kind of kinds) {
        out.log(`${kind}: ${splits.length} folds`);
        bar.start(splits.length, kind);
        const result = await crossValidate(
          splits,
          async (split) => {
            const model = await buildModel(ds, { ...opts, model: kind });
            await trainModel(model, split.train, null, { ...opts, model: kind }, out, { table: false });
            return model;
          },
          {
            metrics,
            threshold: opts.threshold,
            onFold: (f, i) => {
              bar.update(i + 1);
              out.log(`  ${f.name}: ${metrics.map((m) => `${m} ${f.metrics[m].toFixed(4)}`).join('  ')}  (${(f.fitMs / 1000).toFixed(1)}s)`);
            },
          },
        );
        bar.stop();
        rows.push({ name: kind, result });
      }
      if (out.jsonMode) out.json({ folds: splits.map((s) => s.name), rows: rows.map((r) => ({ name: r.name, mean: r.result.mean, std: r.result.std, folds: r.result.folds })) });
      else out.result(formatMetricTable(rows, metrics, { label: 'model' }));
    });
  return cmd;
}

function makeFolds(ds: RatingsDataset, folds: string, seed: number): Split[] {
  if (folds === 'ml-100k') {
    const dir = existsSync(ds.source) ? ds.source : (findDataset(ds.source) ?? ds.source);
    if (!existsSync(join(dir, 'u1.base'))) throw new UsageError(`--folds ml-100k needs the MovieLens 100k directory (with u1.base ... u5.test); ${dir} is not one`);
    return (['u1', 'u2', 'u3', 'u4', 'u5'] as const).map((name) => movieLens100kFold(dir, ds, name));
  }
  if (folds === 'leave-last-out') {
    if (!ds.ratings.timestamps) throw new UsageError('--folds leave-last-out needs timestamps, and this dataset has none');
    return [leaveLastOut(ds.ratings, { k: 1 })];
  }
  const k = Number(folds);
  if (!Number.isInteger(k) || k < 2) throw new UsageError(`--folds must be an integer >= 2 or ml-100k, got ${JSON.stringify(folds)}`);
  return kFoldSplits(ds.ratings, { k, seed });
}
