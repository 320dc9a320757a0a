import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { randomSplit } from '@collab-ts/data';
import { fitRecommender, getFamily, listFamilies } from '@collab-ts/models';
import { lineChartSvg } from '@collab-ts/eval';
import type { ChartMark } from '@collab-ts/eval';
import { Learner, lrFind } from '@collab-ts/train';
import type { LrFindResult, WdMode } from '@collab-ts/train';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { createOutput } from '../io/output.js';
import { finiteNumber, nonNegativeInt, positiveInt } from '../parse.js';
import { addFamilyOptions, checkFamilyOptions, pickFamilyOptions } from '../family-options.js';
import { isLearnerFamily } from '../model-choice.js';
import { modelOption } from '../training.js';

type LrFindOpts = DataOptions &
  Record<string, unknown> & { model: string; seed?: number; startLr: number; endLr: number; iters?: number; probe: number; plot?: string; json?: boolean; quiet?: boolean };

const e2 = (x: number): string => x.toExponential(1);

/** The finder's curve as an SVG chart: held-out loss, smoothed training loss, and the three rates marked. */
export function lrFindSvg(r: LrFindResult, title: string, startLr: number): string {
  const s = r.suggestions;
  const marks: ChartMark[] = Number.isFinite(s.valley)
    ? [
        { x: s.helpsFrom, label: `starts to help ${e2(s.helpsFrom)}`, color: '#2ca02c' },
        { x: s.valley, label: `suggested ${e2(s.valley)}`, color: '#d62728' },
        { x: s.helpsUntil, label: `stops helping ${e2(s.helpsUntil)}`, color: '#9467bd' },
      ]
    : [];
  const probe = r.probe === 'valid' ? 'held-out' : 'training';
  return lineChartSvg(
    [
      { name: `loss of ${probe} ratings after each step`, x: r.lrs, y: r.losses, key: 'probe', color: '#1f77b4' },
      { name: 'training batch loss (smoothed)', x: r.lrs, y: r.trainLosses, key: 'train', color: '#ff7f0e', dashed: true },
    ],
    { title, xLabel: 'learning rate (log scale)', yLabel: 'loss', logX: true, marks, xDomain: [startLr, r.lrs.at(-1) ?? startLr * 10] },
  );
}

/** `collab lr-find`: sweep the learning rate exponentially and suggest one (fastai's `lr_find`). */
export function lrFindCommand(): Command {
  const cmd = new Command('lr-find').description('sweep the learning rate exponentially over about an epoch, show where training starts and stops helping, and suggest a rate');
  addDataOptions(cmd);
  const gradient = listFamilies().filter(isLearnerFamily);
  cmd.addOption(modelOption(gradient)).option('--seed <n>', 'seed of the split, the initialisation and the batch order (default 42)', nonNegativeInt);
  // the sweep replaces the schedule: no epochs, rate or schedule flags here
  addFamilyOptions(cmd, gradient, ['epochs', 'lr', 'schedule'])
    .option('--start-lr <rate>', 'first rate of the sweep', finiteNumber, 1e-7)
    .option('--end-lr <rate>', 'last rate of the sweep', finiteNumber, 10)
    .option('--iters <n>', 'steps in the sweep (default: one epoch of the training data, at least 100 and at most 10000)', positiveInt)
    .option('--probe <n>', 'held-out ratings whose loss traces the curve', positiveInt, 1024)
    .option('--plot <file.svg>', 'write the loss against learning rate as an SVG chart (no file unless asked)')
    .option('--json', 'print the curve and suggestions as JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab lr-find --data ml-100k --model dot-bias --plot lr.svg\n  $ collab lr-find --data ml-100k --json | jq .suggested')
    .action(async (opts: LrFindOpts) => {
      const out = createOutput(opts);
      const spec = getFamily(opts.model);
      const resolved = checkFamilyOptions([spec.kind], opts, ['seed']).get(spec.kind)!;
      const seed = opts.seed ?? 42;
      const bs = resolved.bs as number;
      const ds = await readData(opts, out);
      const split = randomSplit(ds.ratings, { validPct: 0.2, seed });
      const sweep: { r: LrFindResult | null; seconds: number } = { r: null, seconds: 0 };
      // the family builds the model; the sweep takes the place of its training
      const model = await fitRecommender(
        spec.kind,
        { train: split.train, nUsers: ds.users.size, nItems: ds.items.size, ratingRange: ds.ratingRange },
        { ...pickFamilyOptions(spec, opts), ...(spec.options.some((o) => o.name === 'seed') ? { seed } : {}) },
        {
          trainGradient: async (m) => {
            const learner = new Learner({ model: m, train: split.train, valid: split.valid, bs, seed });
            const t0 = performance.now();
            sweep.r = lrFind(learner, { startLr: opts.startLr, endLr: opts.endLr, numIter: opts.iters, probeSize: opts.probe, wd: resolved.wd as number, wdMode: resolved.wdMode as WdMode | undefined });
            sweep.seconds = (performance.now() - t0) / 1000;
          },
        },
      );
      const r = sweep.r;
      if (!r) throw new Error('lr-find: the model family did not run the sweep');
      const s = r.suggestions;
      out.log(`swept ${e2(opts.startLr)} to ${e2(r.lrs.at(-1) ?? opts.endLr)} in ${r.steps} steps of ${bs} ratings (${sweep.seconds.toFixed(2)}s)${r.diverged ? ', stopped once the loss rose above where it started' : ''}`);
      if (opts.plot) {
        writeFileSync(opts.plot, lrFindSvg(r, `learning-rate finder: ${model.kind}, ${r.steps} steps of ${bs}`, opts.startLr));
        out.log(`wrote ${opts.plot}`);
      }
      if (out.jsonMode) {
        out.json({ suggested: r.suggested, suggestions: s, diverged: r.diverged, steps: r.steps, probe: r.probe, initial_loss: r.initialLoss, lrs: r.lrs, losses: r.losses, raw_losses: r.rawLosses, train_losses: r.trainLosses });
      } else if (!Number.isFinite(r.suggested)) {
        out.result(`the loss did not fall anywhere between ${e2(opts.startLr)} and ${e2(r.lrs.at(-1) ?? opts.endLr)}: no rate to suggest; sweep more steps (--iters) or to higher rates (--end-lr)`);
      } else {
        const minLoss = Math.min(...r.losses);
        out.result(`loss of ${r.probe === 'valid' ? 'held-out' : 'training'} ratings: ${r.initialLoss.toFixed(3)} before training, lowest ${minLoss.toFixed(3)}`);
        out.result(`training starts to help at ${e2(s.helpsFrom)} and stops helping at ${e2(s.helpsUntil)}`);
        out.result(`suggested learning rate (valley): ${e2(s.valley)}`);
        out.result(`  minimum/10: ${e2(s.minimum)}   steepest: ${e2(s.steep)}`);
      }
      model.dispose();
    });
  return cmd;
}
