import { Option } from 'commander';
import type { Command } from 'commander';
import { toInteractions } from '@collab-ts/core';
import type { InteractionOptions, RatingColumns, Recommender, TaskRunner } from '@collab-ts/core';
import type { RatingsDataset } from '@collab-ts/data';
import { familyKinds, fitRecommender, getFamily } from '@collab-ts/models';
import type { CollabModel, EpochRecord, FamilySpec, GradientTrainer } from '@collab-ts/models';
import { saveModel } from '@collab-ts/models/node';
import { Learner, ProgressTable, SaveBest } from '@collab-ts/train';
import type { Callback, FitResult, ValidMetrics, WdMode } from '@collab-ts/train';
import { fileCheckpointer } from '@collab-ts/train/node';
import { scheduleByName } from '@collab-ts/optim';
import type { ParamStore } from '@collab-ts/core';
import type { Output } from './io/output.js';
import { createProgress } from './io/progress.js';
import { DEFAULT_MODEL, isGradientFamily, isRankingFamily } from './model-choice.js';
import { finiteNumber } from './parse.js';

/** `--model <kind>`: one of the registered families (`collab models` lists them). */
export function modelOption(families: readonly FamilySpec[] | null = null, defaultKind: string | null = DEFAULT_MODEL): Option {
  const kinds = families ? families.map((f) => f.kind) : familyKinds();
  const o = new Option('--model <kind>', 'model to train (collab models lists them with their options)').choices(kinds);
  return defaultKind && kinds.includes(defaultKind) ? o.default(defaultKind) : o;
}

/** How ratings become interactions for the ranking families (`--min-rating`, `--strength`). */
export interface InteractionFlags {
  minRating?: number;
  strength?: 'binary' | 'rating';
}

/** Adds `--min-rating` and `--strength`, which shape what the ranking families fit on. */
export function addInteractionOptions(cmd: Command): Command {
  return cmd
    .option('--min-rating <rating>', 'ranking models: keep only ratings at or above this as positive interactions (default: every rating)', finiteNumber)
    .addOption(new Option('--strength <kind>', 'ranking models: each interaction counts 1 (binary) or its rating (rating) (default: binary)').choices(['binary', 'rating']));
}

/** The interaction options a ranking family fits with (`null` for the families that fit on ratings). */
export function interactionsFor(spec: FamilySpec, flags: InteractionFlags): InteractionOptions | null {
  if (!isRankingFamily(spec)) return null;
  return { ...(flags.minRating !== undefined ? { minRating: flags.minRating } : {}), strength: flags.strength ?? 'binary' };
}

/** What a family fits on: interactions (core's `toInteractions`) for ranking families, the ratings for the others. */
export function fitColumnsFor(spec: FamilySpec, ratings: RatingColumns, flags: InteractionFlags): RatingColumns {
  const o = interactionsFor(spec, flags);
  return o ? toInteractions(ratings, o) : ratings;
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

/** What a gradient fit leaves behind besides the model: its learner, result and final validation figures. */
export interface GradientRun {
  learner: Learner;
  result: FitResult;
  valid: ValidMetrics | null;
}

/** Options of {@link fitFamily}. */
export interface FitExtras {
  /** Extra callbacks for gradient fits (early stopping, ...). */
  callbacks?: Callback[];
  /** Per-epoch checkpoints of gradient fits (resumable with `resume`). */
  checkpointDir?: string;
  /** The options that define the run, recorded in the checkpoint; a resume with other ones is refused. */
  runOptions?: Readonly<Record<string, unknown>>;
  resume?: boolean;
  /** Print the epoch table of gradient fits (default true). */
  table?: boolean;
  /** Keep the epoch with the best validation loss. */
  saveBest?: boolean;
  /** Log the model's size and data before a gradient fit (default true). */
  describe?: boolean;
  /** Threads for the families whose fit can use them (ials); default the calling thread. */
  runner?: TaskRunner;
}

/** The data of one fit: ratings with the dataset's indices, and optional validation ratings. */
export interface FitInput {
  train: RatingColumns;
  valid?: RatingColumns | null;
  nUsers: number;
  nItems: number;
  ratingRange: readonly [number, number];
}

/** The CLI's trainer for gradient families: fastai's recipe on a {@link Learner} with progress, checkpoints and save-best. */
function cliTrainer(out: Output, extra: FitExtras, sink: { run: GradientRun | null }): GradientTrainer {
  return async (model: CollabModel, data, o) => {
    if (extra.describe !== false) out.log(`model ${model.kind} on backend ${model.backend}: ${model.params.size()} parameters; ${data.train.ratings.length} train / ${data.valid?.ratings.length ?? 0} valid ratings`);
    const callbacks: Callback[] = [progressCallback(out)];
    if (extra.table !== false) callbacks.push(new ProgressTable((line) => out.log(line)));
    callbacks.push(...(extra.callbacks ?? []));
    let best: ParamStore | null = null;
    const saveBest = extra.saveBest ? new SaveBest((l) => void (best = l.model.params.clone())) : null;
    if (saveBest) callbacks.push(saveBest);
    const checkpoint = extra.checkpointDir ? fileCheckpointer(extra.checkpointDir, { options: extra.runOptions }) : undefined;
    const learner = new Learner({ model, train: data.train, valid: data.valid ?? null, bs: o.bs as number, seed: (o.seed as number | undefined) ?? 42, callbacks, checkpoint });
    const epochs = o.epochs as number;
    const lr = o.lr as number;
    const schedule = o.schedule as string;
    const fitOpts = { wd: o.wd as number, wdMode: o.wdMode as WdMode | undefined, resume: extra.resume };
    let result: FitResult;
    if (schedule === 'one-cycle') result = await learner.fitOneCycle(epochs, lr, fitOpts);
    else if (schedule === 'constant') result = await learner.fit(epochs, lr, fitOpts);
    else if (schedule === 'flat-cosine') result = await learner.fitFlatCos(epochs, lr, fitOpts);
    else result = await learner.fitSchedule(epochs, scheduleByName(schedule, { lr }), fitOpts);
    let valid = result.valid;
    if (saveBest && best && saveBest.bestEpoch !== null) {
      model.params.copyFrom(best);
      valid = learner.validate();
      out.log(`keeping epoch ${saveBest.bestEpoch}, the best validation loss`);
    }
    sink.run = { learner, result, valid };
  };
}

/**
 * Fits a model of any registered family: ranking families on interactions (`toInteractions` with the
 * interaction flags), the others on the ratings; gradient families with the CLI's learner (progress bar,
 * epoch table, checkpoints), the others with their own solvers (progress bar from their `progress` calls;
 * families with their own epoch loop, such as `svd`, report each epoch into `epochs`).
 * `options` are the family's options as given (the family fills in its defaults).
 */
export async function fitFamily(
  kind: string,
  data: FitInput,
  options: Readonly<Record<string, unknown>>,
  flags: InteractionFlags,
  out: Output,
  extra: FitExtras = {},
): Promise<{ rec: Recommender; seconds: number; gradient: GradientRun | null; epochs: EpochRecord[] }> {
  const spec = getFamily(kind);
  const epochs: EpochRecord[] = [];
  const train = fitColumnsFor(spec, data.train, flags);
  const sink: { run: GradientRun | null } = { run: null };
  const bar = createProgress(out, '{label} |{bar}| {percentage}% | ETA {eta_formatted}');
  let started = false;
  const t0 = performance.now();
  try {
    const rec = await fitRecommender(
      kind,
      { train, valid: isGradientFamily(spec) ? (data.valid ?? null) : null, nUsers: data.nUsers, nItems: data.nItems, ratingRange: data.ratingRange },
      options,
      {
        log: (line) => out.log(line),
        progress(fraction, label) {
          if (!started) bar.start(100, `${kind} ${label}`);
          started = true;
          bar.update(Math.round(fraction * 100), { label: `${kind} ${label}` });
        },
        trainGradient: cliTrainer(out, extra, sink),
        epoch: (record) => void epochs.push(record),
        ...(extra.runner ? { runner: extra.runner } : {}),
      },
    );
    return { rec, seconds: (performance.now() - t0) / 1000, gradient: sink.run, epochs };
  } finally {
    bar.stop();
  }
}

/**
 * Saves a trained model through the bundle (weights, vocabularies and the training history, so `recommend`
 * and `serve` need no data file) with what `evaluate` reads back: the options (the recorded split included),
 * the interactions it was fitted on and its validation figures. `source` is kept as a record only: no
 * command opens a path read from a model file.
 */
export function saveTrained(dir: string, rec: Recommender, ds: RatingsDataset, meta: Record<string, unknown>): void {
  saveModel(dir, rec, { users: ds.users, items: ds.items, meta: { source: ds.source, ratingRange: ds.ratingRange, ...meta } });
}
