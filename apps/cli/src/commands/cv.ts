import { Command } from 'commander';
import type { Scorer } from '@collab-ts/core';
import type { RatingsDataset, Split } from '@collab-ts/data';
import { biasBaseline, formatMetricTable, globalMeanBaseline, itemMeanBaseline, userMeanBaseline } from '@collab-ts/eval';
import type { CrossValidationResult, FoldResult } from '@collab-ts/eval';
import { getFamily, hasFamily } from '@collab-ts/models';
import { crossValidateFamily, CV_FOLD_TASK } from '../cv-folds.js';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { crossValidateWith, fitPopularity, hasRankingMetric, measure, predictsRatings, reportedMetrics, threshold } from '../evaluation.js';
import { addFamilyOptions, checkFamilyOptions, pickFamilyOptions } from '../family-options.js';
import { createOutput } from '../io/output.js';
import { createProgress } from '../io/progress.js';
import { POPULARITY } from '../model-choice.js';
import { fraction, nonNegativeInt, positiveInt } from '../parse.js';
import { makeFolds } from '../protocols.js';
import { threadsOption, withPool } from '../threads.js';
import type { ThreadsFlag } from '../threads.js';
import { addInteractionOptions, modelOption } from '../training.js';
import type { FitExtras, InteractionFlags } from '../training.js';

type CvOpts = DataOptions &
  InteractionFlags &
  ThreadsFlag &
  Record<string, unknown> & {
    model: string;
    models?: string;
    folds: string;
    testPct: number;
    metrics: string;
    baselines?: boolean;
    threshold: number | 'none';
    sampled?: number;
    seed?: number;
    json?: boolean;
    quiet?: boolean;
  };

const BASELINES: [string, (s: Split, ds: RatingsDataset) => Scorer][] = [
  ['global mean', (s, ds) => globalMeanBaseline(s.train, { nUsers: ds.users.size, nItems: ds.items.size })],
  ['user mean', (s, ds) => userMeanBaseline(s.train, { nUsers: ds.users.size, nItems: ds.items.size })],
  ['item mean', (s, ds) => itemMeanBaseline(s.train, { nUsers: ds.users.size, nItems: ds.items.size })],
  ['user+item bias', (s, ds) => biasBaseline(s.train, { nUsers: ds.users.size, nItems: ds.items.size })],
];

/** `collab cv`: cross-validate models (and baselines) and print mean ± std over folds. */
export function cvCommand(): Command {
  const cmd = new Command('cv').description('cross-validate one or more models (and baselines): mean and standard deviation over folds; ranking tables always include popularity');
  addDataOptions(cmd);
  cmd.addOption(modelOption()).option('--models <list>', 'compare several models, e.g. dot-bias,embedding-dot-bias or popularity,item-knn,ease,ials,bpr (overrides --model)');
  cmd.option('--seed <n>', 'seed of the folds, the sampled negatives and of each model (default 42, or the model\'s own)', nonNegativeInt);
  addFamilyOptions(cmd);
  addInteractionOptions(cmd)
    .option('--folds <k|ml-100k|leave-last-out|user-holdout>', "k random folds, ml-100k for the canonical u1..u5 folds, leave-last-out (each user's latest rating held out) or user-holdout (a random --test-pct of each user's ratings)", '5')
    .option('--test-pct <fraction>', 'with --folds user-holdout: the fraction of each user\'s ratings held out', fraction, 0.2)
    .option('--metrics <list>', 'metrics to report: rmse, mse, mae, and precision|recall|ndcg|map|mrr|hit|coverage@k', 'rmse,mae')
    .option('--baselines', 'add the global-mean, user-mean, item-mean and user+item-bias rating baselines')
    .option('--threshold <rating|none>', 'held-out ratings at or above this are relevant for ranking metrics; none: every held-out item is', threshold, 4)
    .option('--sampled <n>', 'also rank each held-out item against n seeded random items the user never rated (the NCF protocol), beside the full ranking', positiveInt)
    .addOption(threadsOption())
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no progress or logs on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ collab cv --data ml-100k --folds ml-100k --models dot-bias,embedding-dot-bias --baselines\n  $ collab cv --data ratings.csv --folds 5 --metrics rmse,ndcg@10 --json\n  $ collab cv --data ml-100k --folds leave-last-out --models popularity,item-knn,ease,ials,bpr --metrics hit@10,ndcg@10 --threshold 0\n  $ collab cv --data ml-100k --folds user-holdout --test-pct 0.2 --model ials --metrics ndcg@10 --threshold none --sampled 99',
    )
    .action(async (opts: CvOpts) => {
      const out = createOutput(opts);
      const kinds = (opts.models ?? opts.model).split(',').map((s) => s.trim()).filter((s) => s !== '');
      for (const kind of kinds) getFamily(kind); // unknown kinds fail before the data is read
      checkFamilyOptions(kinds, opts, ['seed']);
      const seed = opts.seed ?? 42;
      const m = measure(opts.metrics, opts.threshold, opts.sampled, seed);
      const rows: { name: string; result: CrossValidationResult }[] = [];
      const bar = createProgress(out, '{label} |{bar}| fold {value}/{total}');
      const flags: InteractionFlags = { ...(opts.minRating !== undefined ? { minRating: opts.minRating } : {}), ...(opts.strength ? { strength: opts.strength } : {}) };
      const splits = await withPool(opts, async (pool) => {
        // the workers start and load the fold code while this thread reads the data
        pool.prepare(CV_FOLD_TASK);
        const ds = await readData(opts, out);
        const splits = makeFolds(ds, opts.folds, { seed, testPct: opts.testPct });
        const shape = { nUsers: ds.users.size, nItems: ds.items.size, ratingRange: ds.ratingRange };
        const run = async (name: string, folds: (onFold: (f: FoldResult, i: number) => void) => Promise<CrossValidationResult>): Promise<void> => {
          out.log(`${name}: ${splits.length} folds`);
          bar.start(splits.length, name);
          const result = await folds((f, i) => {
            bar.update(i + 1);
            out.log(`  ${f.name}: ${Object.entries(f.metrics).map(([k, v]) => `${k} ${Number.isNaN(v) ? '-' : v.toFixed(4)}`).join('  ')}  (${(f.fitMs / 1000).toFixed(1)}s)`);
          });
          bar.stop();
          rows.push({ name, result });
        };
        const family = (kind: string, options: Record<string, unknown>, extras: FitExtras, ratings: boolean) =>
          run(kind, (onFold) => crossValidateFamily(splits, { kind, options, flags, shape, measure: m, predictsRatings: ratings, extras }, pool, out, onFold));
        if (opts.baselines) for (const [name, make] of BASELINES) await run(name, (onFold) => crossValidateWith(splits, (s) => make(s, ds), m, onFold));
        if (hasRankingMetric(m.metrics) && !kinds.includes(POPULARITY)) {
          // the registry's popularity family when there is one (a fold job like any family), else eval's ranker
          if (hasFamily(POPULARITY)) await family(POPULARITY, {}, { table: false }, false);
          else await run(POPULARITY, (onFold) => crossValidateWith(splits, (s) => fitPopularity(s.train, shape.nUsers, shape.nItems, shape.ratingRange, opts, out), m, onFold, false));
        }
        for (const kind of kinds) {
          const spec = getFamily(kind);
          await family(kind, pickFamilyOptions(spec, opts), { table: false, describe: false }, predictsRatings(spec));
        }
        return splits;
      });
      const metrics = reportedMetrics(m);
      if (out.jsonMode) {
        out.json({
          folds: splits.map((s) => s.name),
          protocol: { folds: opts.folds, threshold: m.threshold, sampled: m.sampled },
          rows: rows.map((r) => ({ name: r.name, mean: r.result.mean, std: r.result.std, folds: r.result.folds })),
        });
      } else out.result(formatMetricTable(rows, metrics, { label: 'model' }));
    });
  return cmd;
}
