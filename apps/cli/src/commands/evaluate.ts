import { Command, Option } from 'commander';
import { UsageError } from '@collab-ts/core';
import type { RatingColumns, Split } from '@collab-ts/core';
import { formatMetricTable } from '@collab-ts/eval';
import { addDataFormatOptions } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { evaluateOn, fitPopularity, hasRankingMetric, measure, predictsRatings, reportedMetrics, threshold } from '../evaluation.js';
import { getFamily } from '@collab-ts/models';
import { createOutput } from '../io/output.js';
import { POPULARITY } from '../model-choice.js';
import { historyColumns, openModel, ratingsForModel, recordedSplit } from '../model-source.js';
import type { UnknownIds } from '../model-source.js';
import { nonNegativeInt, positiveInt } from '../parse.js';
import { threadsOption, withPool } from '../threads.js';
import type { ThreadsFlag } from '../threads.js';
import type { InteractionFlags } from '../training.js';

type EvaluateOpts = Partial<DataOptions> &
  ThreadsFlag & {
  model: string;
  split: 'valid' | 'all';
  trainFile?: string;
  testFile?: string;
  metrics: string;
  threshold: number | 'none';
  sampled?: number;
  seed: number;
  json?: boolean;
  quiet?: boolean;
};

const EMPTY: RatingColumns = { users: new Int32Array(0), items: new Int32Array(0), ratings: new Float32Array(0), timestamps: null };

/** `collab evaluate`: rating and ranking metrics of a saved model on held-out ratings, beside popularity. */
export function evaluateCommand(): Command {
  const cmd = new Command('evaluate')
    .description('measure a saved model on ratings it did not train on: rating errors and ranking metrics (beside popularity)')
    .requiredOption('--model <dir>', 'a model directory saved by collab train')
    .option('--data <dir|file|name>', 'the ratings the model was trained on, for --split (read only when named here)')
    .addOption(new Option('--split <which>', 'with --data: valid, the validation split recorded by collab train; all: every rating').choices(['valid', 'all']).default('valid'))
    .option('--test-file <file>', 'held-out ratings to measure on (a fixed split shared with another library); ids unknown to the model are counted and reported')
    .option('--train-file <file>', 'with --test-file: the training ratings, never candidates for ranking (default: the training history saved with the model)');
  addDataFormatOptions(cmd)
    .option('--metrics <list>', 'rmse, mse, mae, and precision|recall|ndcg|map|mrr|hit|coverage@k', 'rmse,mae,ndcg@10,precision@10,recall@10')
    .option('--threshold <rating|none>', 'held-out ratings at or above this count as relevant for ranking metrics; none: every held-out item is', threshold, 4)
    .option('--sampled <n>', 'also rank each held-out item against n seeded random items the user never rated, beside the full ranking', positiveInt)
    .option('--seed <n>', 'seed of the sampled negatives', nonNegativeInt, 42)
    .addOption(threadsOption())
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ collab evaluate --model models/ml-100k --data ml-100k --metrics rmse,ndcg@10,hit@10\n  $ collab evaluate --model models/ease --train-file train.csv --test-file test.csv --metrics hit@10,ndcg@10 --threshold none --sampled 99',
    )
    .action(async (opts: EvaluateOpts) => {
      const out = createOutput(opts);
      const m = measure(opts.metrics, opts.threshold, opts.sampled, opts.seed);
      if (opts.trainFile && !opts.testFile) throw new UsageError('--train-file goes with --test-file');
      if (!opts.testFile && !opts.data) throw new UsageError('name the ratings to evaluate on: --data (with --split) or --test-file');
      const bundle = await openModel(opts.model, out);
      const unknown: UnknownIds[] = [];
      let split: Split;
      let name: string;
      if (opts.testFile) {
        const test = await ratingsForModel(bundle, opts.testFile, out, opts);
        unknown.push(test.unknown);
        let train = historyColumns(bundle.model);
        if (opts.trainFile) {
          const t = await ratingsForModel(bundle, opts.trainFile, out, opts);
          unknown.push(t.unknown);
          train = t.cols;
        }
        if (!train) throw new UsageError('the model has no saved training history: pass --train-file');
        split = { name: 'files', train, valid: test.cols };
        name = 'files';
      } else {
        const seen = await ratingsForModel(bundle, opts.data!, out, opts);
        unknown.push(seen.unknown);
        const recorded = opts.split === 'valid' ? recordedSplit(bundle, seen.cols) : null;
        if (opts.split === 'valid' && !recorded) throw new UsageError('the model records no random validation split; use --split all, or --test-file');
        split = recorded ?? { name: 'all', train: EMPTY, valid: seen.cols };
        name = opts.split;
      }
      const rows: { name: string; result: { mean: Record<string, number> } }[] = [];
      await withPool(opts, async (pool) => {
        rows.push({ name: `${bundle.model.kind} (${name})`, result: { mean: await evaluateOn(bundle.model, split.train, split.valid, m, predictsRatings(getFamily(bundle.model.kind)), pool) } });
        if (hasRankingMetric(m.metrics) && bundle.model.kind !== POPULARITY) {
          const base = split.train.ratings.length > 0 ? split.train : (historyColumns(bundle.model) ?? split.valid);
          const flags = (bundle.meta.interactions ?? {}) as InteractionFlags;
          const pop = await fitPopularity(base, bundle.users.size, bundle.items.size, (bundle.meta.ratingRange as [number, number]) ?? [1, 5], flags, out);
          rows.push({ name: POPULARITY, result: { mean: await evaluateOn(pop, split.train, split.valid, m, false, pool) } });
        }
      });
      if (out.jsonMode) {
        out.json({
          split: name,
          ratings: split.valid.ratings.length,
          metrics: rows[0].result.mean,
          rows: rows.map((r, i) => ({ name: i === 0 ? bundle.model.kind : r.name, mean: r.result.mean })),
          protocol: { threshold: m.threshold, sampled: m.sampled },
          unknown_ids: unknown,
        });
      } else out.result(formatMetricTable(rows, reportedMetrics(m), { label: 'model' }));
    });
  return cmd;
}
