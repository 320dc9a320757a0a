import { rmSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { randomSplit } from '@collab-ts/data';
import { lineChartSvg } from '@collab-ts/eval';
import type { ParamStore } from '@collab-ts/core';
import { EarlyStopping, SaveBest } from '@collab-ts/train';
import type { Callback } from '@collab-ts/train';
import { appliedConfig } from '../config.js';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { createOutput } from '../io/output.js';
import { sparkline } from '../plots/sparkline.js';
import { addModelOptions, addTrainOptions, buildModel, saveTrained, trainModel } from '../training.js';
import { positiveInt } from '../parse.js';
import type { TrainCliOptions } from '../training.js';

type TrainOpts = DataOptions & TrainCliOptions & { out?: string; resume?: boolean; plot?: string; earlyStop?: number; saveBest?: boolean; json?: boolean; quiet?: boolean };

/** `collab train`: fit a model on a random split and save it. */
export function trainCommand(): Command {
  const cmd = new Command('train').description('train a model on a ratings file (random validation split) and save it');
  addDataOptions(cmd);
  addModelOptions(cmd);
  addTrainOptions(cmd)
    .option('--out <dir>', 'save the trained model to this directory (written atomically)')
    .option('--resume', 'resume from the checkpoint left by an interrupted run with the same --out')
    .option('--plot <file.svg>', 'write the training loss curve as an SVG chart')
    .option('--early-stop <patience>', 'stop when the validation loss has not improved for this many epochs', positiveInt)
    .option('--save-best', 'with --out: keep the epoch with the best validation loss, not the last one')
    .option('--json', 'print one JSON object with the epoch table and validation figures on stdout')
    .option('-q, --quiet', 'no progress or logs on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ collab train --data ml-100k --model dot-bias --epochs 5 --lr 5e-3 --wd 0.1 --out models/dot-bias\n  $ collab train --data ml-100k --model embedding-nn --layers 100,50 --json > run.json',
    )
    .action(async (opts: TrainOpts) => {
      const out = createOutput(opts);
      // from a config file, print the whole resolved configuration: the run can be repeated from it alone
      if (appliedConfig()) out.log(`resolved configuration: ${JSON.stringify({ data: opts.data, ...describeOptions(opts), out: opts.out ?? null })}`);
      const ds = await readData(opts, out);
      const split = randomSplit(ds.ratings, { validPct: opts.validPct, seed: opts.seed });
      const model = await buildModel(ds, opts);
      out.log(`model ${model.kind} on backend ${model.backend}: ${model.params.size()} parameters; ${split.train.ratings.length} train / ${split.valid.ratings.length} valid ratings`);
      const checkpointDir = opts.out ? `${opts.out}.checkpoint` : undefined;
      const callbacks: Callback[] = [];
      if (opts.earlyStop) callbacks.push(new EarlyStopping({ patience: opts.earlyStop }));
      let best: ParamStore | null = null;
      const saveBest = opts.saveBest ? new SaveBest((l) => void (best = l.model.params.clone())) : null;
      if (saveBest) callbacks.push(saveBest);
      const t0 = performance.now();
      const { learner, result } = await trainModel(model, split.train, split.valid, opts, out, { checkpointDir, resume: opts.resume, callbacks });
      let valid = result.valid;
      if (saveBest && best && saveBest.bestEpoch !== null) {
        model.params.copyFrom(best);
        valid = learner.validate();
        out.log(`keeping epoch ${saveBest.bestEpoch}, the best validation loss`);
      }
      const trainSeconds = (performance.now() - t0) / 1000;
      if (opts.out) {
        saveTrained(opts.out, model, ds, describeOptions(opts), valid, trainSeconds);
        if (checkpointDir) rmSync(checkpointDir, { recursive: true, force: true });
        out.log(`saved model to ${opts.out}`);
      }
      if (opts.plot) {
        const losses = learner.recorder.losses;
        writeFileSync(opts.plot, lineChartSvg([{ name: 'train loss (per batch)', x: losses.map((_, i) => i), y: losses }], { title: `${model.kind} training loss`, xLabel: 'step', yLabel: 'loss' }));
        out.log(`wrote ${opts.plot}`);
      }
      if (out.jsonMode) {
        out.json({
          model: model.kind,
          backend: model.backend,
          epochs: result.epochs.map((e) => ({ epoch: e.epoch, train_loss: e.trainLoss, valid_loss: e.validLoss, seconds: e.seconds })),
          valid,
          train_seconds: trainSeconds,
          out: opts.out ?? null,
          config: { data: opts.data, ...describeOptions(opts) },
        });
      } else {
        out.log(`loss ${sparkline(learner.recorder.losses)}`);
        if (valid) out.result(`valid mse ${valid.mse.toFixed(4)}  rmse ${valid.rmse.toFixed(4)}  mae ${valid.mae.toFixed(4)}  (${trainSeconds.toFixed(2)}s)`);
      }
      model.dispose();
    });
  return cmd;
}

function describeOptions(o: TrainOpts): Record<string, unknown> {
  const { model, factors, layers, yRange, backend, seed, bs, epochs, lr, wd, schedule, validPct } = o;
  return { model, factors, layers, yRange, backend, seed, bs, epochs, lr, wd, schedule, validPct };
}
