import { rmSync } from 'node:fs';
import { checkWritable, writeFileAtomic } from '@collab-ts/core/node';
import { Command } from 'commander';
import { UsageError } from '@collab-ts/core';
import type { RatingColumns, Recommender, TaskRunner } from '@collab-ts/core';
import { randomSplit } from '@collab-ts/data';
import { evaluateRatings, lineChartSvg } from '@collab-ts/eval';
import { getFamily } from '@collab-ts/models';
import type { FamilySpec } from '@collab-ts/models';
import { EarlyStopping } from '@collab-ts/train';
import type { Callback } from '@collab-ts/train';
import { appliedConfig } from '../config.js';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { addFamilyOptions, checkFamilyOptions, pickFamilyOptions } from '../family-options.js';
import { createOutput } from '../io/output.js';
import type { Output } from '../io/output.js';
import { isLearnerFamily, isRankingFamily } from '../model-choice.js';
import { ratingsForModel } from '../model-source.js';
import type { UnknownIds } from '../model-source.js';
import { sparkline } from '../plots/sparkline.js';
import { fractionOrZero, nonNegativeInt, positiveInt } from '../parse.js';
import { addInteractionOptions, fitFamily, interactionsFor, modelOption, saveTrained } from '../training.js';
import type { InteractionFlags } from '../training.js';
import { rankingOnThreads } from '../parallel.js';
import { threadsOption, withPool } from '../threads.js';
import type { ThreadsFlag } from '../threads.js';

type TrainOpts = DataOptions &
  InteractionFlags &
  ThreadsFlag &
  Record<string, unknown> & {
    model: string;
    seed?: number;
    validPct: number;
    validFile?: string;
    out?: string;
    resume?: boolean;
    plot?: string;
    earlyStop?: number;
    saveBest?: boolean;
    json?: boolean;
    quiet?: boolean;
  };

const GRADIENT_ONLY = ['resume', 'plot', 'earlyStop', 'saveBest'] as const;

/** `collab train`: fit a model of any family on a random split (or a validation file) and save it. */
export function trainCommand(): Command {
  const cmd = new Command('train').description('train a model of any family on a ratings file (random validation split, or a validation file) and save it');
  addDataOptions(cmd);
  cmd.addOption(modelOption());
  cmd.option('--seed <n>', 'seed of the validation split, and of the model when it takes one (default: 42, or the model\'s own)', nonNegativeInt);
  addFamilyOptions(cmd);
  addInteractionOptions(cmd)
    .option('--valid-pct <fraction>', 'random validation fraction; 0 trains on every rating', fractionOrZero, 0.2)
    .option('--valid-file <file>', 'validate on this ratings file instead of a random split (train on all of --data); ids unknown to --data are counted and reported')
    .option('--out <dir>', 'save the trained model to this directory (written atomically, with its training history)')
    .option('--resume', 'Learner-trained models: resume from the checkpoint left by an interrupted run with the same --out')
    .option('--plot <file.svg>', 'Learner-trained models: write the training loss curve as an SVG chart')
    .option('--early-stop <patience>', 'Learner-trained models: stop when the validation loss has not improved for this many epochs', positiveInt)
    .option('--save-best', 'Learner-trained models, with --out: keep the epoch with the best validation loss, not the last one')
    .addOption(threadsOption())
    .option('--json', 'print one JSON object with the epoch table and validation figures on stdout')
    .option('-q, --quiet', 'no progress or logs on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ collab train --data ml-100k --model dot-bias --epochs 5 --lr 5e-3 --wd 0.1 --out models/dot-bias\n  $ collab train --data ml-100k --model embedding-nn --layers 100,50 --json > run.json\n  $ collab train --data ml-100k --model ials --factors 64 --valid-pct 0 --out models/ials\n  $ collab train --data train.csv --valid-file valid.csv --model ease --out models/ease\n  $ collab train --data ratings.parquet --model ials --out models/ials',
    )
    .action(async (opts: TrainOpts) => {
      const out = createOutput(opts);
      const spec = getFamily(opts.model);
      const resolved = checkFamilyOptions([spec.kind], opts, ['seed']).get(spec.kind)!;
      if (!isLearnerFamily(spec)) {
        const given = GRADIENT_ONLY.filter((k) => opts[k] !== undefined);
        if (given.length > 0) throw new UsageError(`${given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}: only for models trained by the Learner (fastai's recipe); ${spec.kind} is fitted by its own ${spec.method} loop`);
      }
      const seed = typeof resolved.seed === 'number' ? resolved.seed : (opts.seed ?? 42);
      const interactions = interactionsFor(spec, opts);
      const config = { data: opts.data, model: spec.kind, ...resolved, seed, validPct: opts.validFile ? 0 : opts.validPct, ...(opts.validFile ? { validFile: opts.validFile } : {}), ...(interactions ? { interactions } : {}) };
      // from a config file, print the whole resolved configuration: the run can be repeated from it alone
      if (appliedConfig()) out.log(`resolved configuration: ${JSON.stringify({ ...config, out: opts.out ?? null })}`);
      // a read-only or full output location fails now, not after the training
      if (opts.out) checkWritable(opts.out, 'dir');
      if (opts.plot) checkWritable(opts.plot, 'file');
      const ds = await readData(opts, out);
      let train: RatingColumns = ds.ratings;
      let valid: RatingColumns | null = null;
      let unknown: UnknownIds | null = null;
      if (opts.validFile) {
        const v = await ratingsForModel(ds, opts.validFile, out, opts);
        valid = v.cols;
        unknown = v.unknown;
      } else if (opts.validPct > 0) {
        const split = randomSplit(ds.ratings, { validPct: opts.validPct, seed });
        train = split.train;
        valid = split.valid;
      }
      if (!isLearnerFamily(spec)) out.log(`fitting ${spec.kind} (${spec.method}) on ${train.ratings.length} ${interactions ? 'interactions' : 'ratings'}${valid ? `; ${valid.ratings.length} held out for validation` : ''}`);
      const checkpointDir = opts.out && isLearnerFamily(spec) ? `${opts.out}.checkpoint` : undefined;
      const callbacks: Callback[] = [];
      if (opts.earlyStop) callbacks.push(new EarlyStopping({ patience: opts.earlyStop }));
      const options = pickFamilyOptions(spec, opts);
      if (options.seed === undefined && spec.options.some((o) => o.name === 'seed')) options.seed = seed;
      const { fit, figures } = await withPool(opts, async (pool) => {
        const f = await fitFamily(spec.kind, { train, valid, nUsers: ds.users.size, nItems: ds.items.size, ratingRange: ds.ratingRange }, options, opts, out, {
          checkpointDir,
          runOptions: config,
          resume: opts.resume,
          callbacks,
          saveBest: opts.saveBest,
          runner: pool,
        });
        return { fit: f, figures: f.gradient ? f.gradient.valid : valid && valid.ratings.length > 0 ? await validationFigures(spec, f.rec, train, valid, pool) : null };
      });
      const { rec, gradient } = fit;
      const trainSeconds = fit.seconds;
      const warnings = figures && 'rmse' in figures && valid ? worseThanMean(figures as { rmse: number }, train, valid) : [];
      for (const w of warnings) out.warn(`warning: ${w}`);
      if (opts.out) {
        saveTrained(opts.out, rec, ds, { options: config, interactions, task: spec.tasks[0], valid: figures, trainSeconds });
        if (checkpointDir) rmSync(checkpointDir, { recursive: true, force: true });
        out.log(`saved model to ${opts.out}`);
        if (valid && !opts.validFile) out.log(`note: the saved model was fitted on ${train.ratings.length} of ${ds.ratings.ratings.length} ratings; --valid-pct 0 fits on all of them`);
      }
      if (opts.plot && gradient) {
        const losses = gradient.learner.recorder.losses;
        writeFileAtomic(opts.plot, lineChartSvg([{ name: 'train loss (per batch)', x: losses.map((_, i) => i), y: losses }], { title: `${rec.kind} training loss`, xLabel: 'step', yLabel: 'loss' }));
        out.log(`wrote ${opts.plot}`);
      }
      if (out.jsonMode) {
        out.json({
          model: rec.kind,
          backend: (rec as { backend?: string }).backend ?? null,
          epochs: (gradient ? gradient.result.epochs : fit.epochs).map((e) => ({ epoch: e.epoch, train_loss: e.trainLoss, valid_loss: e.validLoss, seconds: e.seconds })),
          valid: figures,
          train_seconds: trainSeconds,
          out: opts.out ?? null,
          config,
          ...(unknown ? { unknown_ids: unknown } : {}),
          warnings,
        });
      } else {
        if (gradient) out.log(`loss ${sparkline(gradient.learner.recorder.losses)}`);
        printFigures(figures, trainSeconds, out);
      }
      rec.dispose();
    });
  return cmd;
}

/**
 * A warning when the model predicts the validation ratings worse than the global mean of the training
 * ratings does (a diverged or badly tuned run that would otherwise be saved without a word).
 */
function worseThanMean(f: { rmse: number }, train: RatingColumns, valid: RatingColumns): string[] {
  let mean = 0;
  for (let j = 0; j < train.ratings.length; j++) mean += train.ratings[j] / train.ratings.length;
  let sse = 0;
  for (let j = 0; j < valid.ratings.length; j++) sse += (valid.ratings[j] - mean) ** 2;
  const base = Math.sqrt(sse / Math.max(1, valid.ratings.length));
  if (!(f.rmse > base) && Number.isFinite(f.rmse)) return [];
  return [`the validation RMSE ${f.rmse.toFixed(4)} is worse than predicting the global mean (${base.toFixed(4)}): the run may have diverged or need another learning rate`];
}

/** Validation figures of a model that is not trained by gradient: ranking metrics for ranking models, rating errors for the others. */
async function validationFigures(spec: FamilySpec, rec: Recommender, train: RatingColumns, valid: RatingColumns, runner: TaskRunner): Promise<Record<string, number>> {
  if (isRankingFamily(spec)) {
    const r = await rankingOnThreads(rec, { train, test: valid, k: [10], threshold: null }, runner);
    return { 'hit@10': r['hit@10'], 'ndcg@10': r['ndcg@10'], users: r.users };
  }
  const r = evaluateRatings(rec, valid);
  return { mse: r.mse, rmse: r.rmse, mae: r.mae };
}

function printFigures(figures: Record<string, number> | object | null, seconds: number, out: Output): void {
  if (!figures) {
    out.result(`fitted in ${seconds.toFixed(2)}s (no validation)`);
    return;
  }
  const f = figures as Record<string, number>;
  if ('rmse' in f) out.result(`valid mse ${f.mse.toFixed(4)}  rmse ${f.rmse.toFixed(4)}  mae ${f.mae.toFixed(4)}  (${seconds.toFixed(2)}s)`);
  else out.result(`valid hit@10 ${f['hit@10'].toFixed(4)}  ndcg@10 ${f['ndcg@10'].toFixed(4)} over ${f.users} users, every held-out item relevant  (${seconds.toFixed(2)}s)`);
}
