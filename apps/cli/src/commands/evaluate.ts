import { Command, Option } from 'commander';
import { UsageError } from '@collab-ts/core';
import { crossValidate, formatMetricTable, parseMetricList } from '@collab-ts/eval';
import { createOutput } from '../io/output.js';
import { openModel, ratingsForModel, recordedSplit } from '../model-source.js';
import { finiteNumber } from '../parse.js';

interface EvaluateOpts {
  model: string;
  data?: string;
  split: 'valid' | 'all';
  metrics: string;
  threshold: number;
  json?: boolean;
  quiet?: boolean;
}

/** `collab evaluate`: rating and ranking metrics of a saved model on its held-out ratings. */
export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('measure a saved model: rating errors and ranking metrics on the ratings it did not train on')
    .requiredOption('--model <dir>', 'a model directory saved by collab train')
    .option('--data <dir|file|name>', 'the ratings (default: the data the model was trained on)')
    .addOption(new Option('--split <which>', 'valid: the validation split recorded by collab train; all: every rating').choices(['valid', 'all']).default('valid'))
    .option('--metrics <list>', 'rmse, mse, mae, and precision|recall|ndcg|map|mrr|hit|coverage@k', 'rmse,mae,ndcg@10,precision@10,recall@10')
    .option('--threshold <rating>', 'held-out ratings at or above this count as relevant for ranking metrics', finiteNumber, 4)
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab evaluate --model models/ml-100k --metrics rmse,ndcg@10,hit@10')
    .action(async (opts: EvaluateOpts) => {
      const out = createOutput(opts);
      const metrics = parseMetricList(opts.metrics);
      const bundle = await openModel(opts.model, out);
      const seen = await ratingsForModel(bundle, opts.data, out);
      if (!seen) throw new UsageError('the ratings to evaluate on were not found: pass --data');
      let split = opts.split === 'valid' ? recordedSplit(bundle, seen.cols) : null;
      if (opts.split === 'valid' && !split) throw new UsageError('the model records no validation split; use --split all');
      if (!split) split = { name: 'all', train: { users: new Int32Array(0), items: new Int32Array(0), ratings: new Float32Array(0), timestamps: null }, valid: seen.cols };
      const res = await crossValidate([{ ...split, name: opts.split }], () => bundle.model, { metrics, threshold: opts.threshold });
      if (out.jsonMode) out.json({ split: opts.split, ratings: split.valid.ratings.length, metrics: res.mean });
      else out.result(formatMetricTable([{ name: `${bundle.model.kind} (${opts.split})`, result: { mean: res.mean } }], metrics, { label: 'model' }));
    });
}
