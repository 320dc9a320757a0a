import { Option } from 'commander';
import type { Command } from 'commander';
import type { RatingColumns } from '@collab-ts/core';
import type { RatingsDataset } from '@collab-ts/data';
import { createModel, MODEL_SPECS } from '@collab-ts/models';
import type { BackendName, CollabModel, ModelKind } from '@collab-ts/models';
import { saveModel } from '@collab-ts/models/node';
import { Learner, ProgressTable } from '@collab-ts/train';
import type { Callback, FitResult, ValidMetrics } from '@collab-ts/train';
import { fileCheckpointer } from '@collab-ts/train/node';
import { scheduleByName } from '@collab-ts/optim';
import type { Output } from './io/output.js';
import { createProgress } from './io/progress.js';
import { finiteNumber, fraction, intList, nonNegativeInt, positiveInt, range } from './parse.js';

/** Model and training options shared by `train`, `lr-find` and `cv`. */
export interface TrainCliOptions {
  model: ModelKind;
  factors: number;
  layers: number[];
  yRange?: [number, number] | 'none' | null;
  backend: BackendName;
  seed: number;
  bs: number;
  epochs: number;
  lr: number;
  wd: number;
  schedule: string;
  validPct: number;
}

const MODEL_KINDS = MODEL_SPECS.map((s) => s.kind);

/** The defaults of every model and training option: fastai chapter 8's setup (`collab_learner`, one-cycle 5 x 5e-3, wd 0.1). */
export const TRAIN_DEFAULTS: TrainCliOptions = {
  model: 'embedding-dot-bias',
  factors: 50,
  layers: [100, 50],
  yRange: undefined,
  backend: 'auto',
  seed: 42,
  bs: 64,
  epochs: 5,
  lr: 5e-3,
  wd: 0.1,
  schedule: 'one-cycle',
  validPct: 0.2,
};
const SCHEDULES = ['one-cycle', 'constant', 'cosine', 'flat-cosine', 'warmup-cosine'];

/** Adds the model options (`--model`, `--factors`, `--layers`, `--y-range`, `--backend`, `--seed`). */
export function addModelOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--model <kind>', 'model to train').choices(MODEL_KINDS).default(TRAIN_DEFAULTS.model))
    .option('--factors <n>', 'latent factors per user and item (dot-product models)', positiveInt, TRAIN_DEFAULTS.factors)
    .option('--layers <sizes>', 'hidden layer sizes of embedding-nn', intList, TRAIN_DEFAULTS.layers)
    .option('--y-range <lo,hi>', 'squash predictions into this range with a scaled sigmoid, or "none" (default: 0 to 1.1 x the top rating)', range)
    .addOption(new Option('--backend <name>', 'compute engine').choices(['auto', 'fused', 'tensorflow', 'wasm', 'cpu']).default(TRAIN_DEFAULTS.backend))
    .option('--seed <n>', 'seed of initialisation, split and batch order', nonNegativeInt, TRAIN_DEFAULTS.seed);
}

/** Adds the training options (`--epochs`, `--lr`, `--wd`, `--bs`, `--schedule`, `--valid-pct`). */
export function addTrainOptions(cmd: Command): Command {
  return cmd
    .option('--epochs <n>', 'epochs', positiveInt, TRAIN_DEFAULTS.epochs)
    .option('--lr <rate>', 'learning rate (the peak rate for one-cycle)', finiteNumber, TRAIN_DEFAULTS.lr)
    .option('--wd <decay>', 'weight decay (decoupled, as fastai)', finiteNumber, TRAIN_DEFAULTS.wd)
    .option('--bs <n>', 'batch size', positiveInt, TRAIN_DEFAULTS.bs)
    .addOption(new Option('--schedule <name>', 'learning-rate schedule').choices(SCHEDULES).default(TRAIN_DEFAULTS.schedule))
    .option('--valid-pct <fraction>', 'random validation fraction', fraction, TRAIN_DEFAULTS.validPct);
}

/**
 * The default `yRange`: a little room above the top rating, as fastai's (0, 5.5) for 1-5 stars; scales with
 * negative ratings get 10% of the span on each side.
 */
export function defaultYRange([lo, hi]: readonly [number, number]): [number, number] {
  if (lo >= 0) return [0, hi * 1.1];
  const span = hi - lo;
  return [lo - 0.1 * span, hi + 0.1 * span];
}

/** Builds the chosen model for a dataset's vocabularies. */
export function buildModel(ds: RatingsDataset, o: TrainCliOptions): Promise<CollabModel> {
  const yRange = o.yRange === undefined ? (o.model === 'dot' ? null : defaultYRange(ds.ratingRange)) : o.yRange === 'none' ? null : o.yRange;
  return createModel(o.model, {
    nUsers: ds.users.size,
    nItems: ds.items.size,
    factors: o.factors,
    layers: o.layers,
    yRange,
    seed: o.seed,
    backend: o.backend,
  });
}

/**
 * A per-batch progress bar with ETA and the running loss, on an interactive stderr only. The epoch and loss
 * are part of every frame, the first of each epoch included (`loss -` until the first batch is done).
 */
export function progressCallback(out: Output, stream?: NodeJS.WritableStream): Callback {
  const bar = createProgress(out, 'epoch {epoch} |{bar}| {percentage}% | ETA {eta_formatted} | loss {loss}', stream);
  let running = 0;
  return {
    name: 'progress-bar',
    beforeEpoch(_l, epoch) {
      running = 0;
      bar.start(1, 'train', { epoch, loss: '-' });
    },
    afterStep(_l, info) {
      running = info.batch === 0 ? info.loss : 0.98 * running + 0.02 * info.loss;
      if (info.batch === 0) bar.start(info.batches, 'train', { epoch: info.epoch, loss: '-' });
      if (info.batch % 20 === 0 || info.batch === info.batches - 1) bar.update(info.batch + 1, { epoch: info.epoch, loss: running.toFixed(4) });
    },
    afterEpoch() {
      bar.stop();
    },
  };
}

/** Trains a model on `train`, validating on `valid`, with the CLI's schedule and progress reporting. */
export async function trainModel(
  model: CollabModel,
  train: RatingColumns,
  valid: RatingColumns | null,
  o: TrainCliOptions,
  out: Output,
  extra: { callbacks?: Callback[]; checkpointDir?: string; resume?: boolean; table?: boolean } = {},
): Promise<{ learner: Learner; result: FitResult }> {
  const callbacks: Callback[] = [progressCallback(out)];
  if (extra.table !== false) callbacks.push(new ProgressTable((line) => out.log(line)));
  callbacks.push(...(extra.callbacks ?? []));
  const checkpoint = extra.checkpointDir ? fileCheckpointer(extra.checkpointDir) : undefined;
  const learner = new Learner({ model, train, valid, bs: o.bs, seed: o.seed, callbacks, checkpoint });
  const fitOpts = { wd: o.wd, resume: extra.resume };
  let result: FitResult;
  if (o.schedule === 'one-cycle') result = await learner.fitOneCycle(o.epochs, o.lr, fitOpts);
  else if (o.schedule === 'constant') result = await learner.fit(o.epochs, o.lr, fitOpts);
  else if (o.schedule === 'flat-cosine') result = await learner.fitFlatCos(o.epochs, o.lr, fitOpts);
  else result = await learner.fitSchedule(o.epochs, scheduleByName(o.schedule, { lr: o.lr }), fitOpts);
  return { learner, result };
}

/**
 * Saves a trained model with its vocabularies and what `evaluate`, `recommend` and `explain` read back: the
 * data source, rating range, options (the recorded split included) and validation figures.
 */
export function saveTrained(
  dir: string,
  model: CollabModel,
  ds: RatingsDataset,
  options: Record<string, unknown>,
  valid: ValidMetrics | null,
  trainSeconds: number,
): void {
  saveModel(dir, model, { users: ds.users, items: ds.items, meta: { source: ds.source, ratingRange: ds.ratingRange, options, valid, trainSeconds } });
}
