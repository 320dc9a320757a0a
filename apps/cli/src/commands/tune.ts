import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { UsageError } from '@collab-ts/core';
import { parseMetricName } from '@collab-ts/eval';
import { getFamily } from '@collab-ts/models';
import type { FamilySpec } from '@collab-ts/models';
import { DEFAULT_CONFIG_FILE } from '../config.js';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { evaluateOn, lowerIsBetter, measure, predictsRatings, threshold } from '../evaluation.js';
import { addFamilyOptions, checkFamilyOptions, familyFlags, kebab, pickFamilyOptions } from '../family-options.js';
import { checkSettings, gridPoints, parseGrid, samplePoints } from '../grid.js';
import { createOutput } from '../io/output.js';
import type { Output } from '../io/output.js';
import { fraction, nonNegativeInt, positiveInt } from '../parse.js';
import { holdout, HOLDOUT_PROTOCOLS } from '../protocols.js';
import type { HoldoutProtocol } from '../protocols.js';
import { addInteractionOptions, fitFamily, modelOption } from '../training.js';
import type { InteractionFlags } from '../training.js';
import { threadsOption, withPool } from '../threads.js';
import type { ThreadsFlag } from '../threads.js';

type TuneOpts = DataOptions &
  InteractionFlags &
  ThreadsFlag &
  Record<string, unknown> & {
    model: string;
    grid: string;
    random?: number;
    metric?: string;
    protocol: HoldoutProtocol;
    testPct: number;
    threshold: number | 'none';
    seed?: number;
    test: boolean;
    writeConfig?: string | boolean;
    json?: boolean;
    quiet?: boolean;
  };

interface Trial {
  options: Record<string, unknown>;
  value: number;
  fitSeconds: number;
}

function show(v: unknown): string {
  if (v === null) return 'none';
  return Array.isArray(v) ? v.join('/') : String(v);
}

/**
 * `collab tune`: grid or random search of one model's options, each setting scored on a validation item
 * carved out of the training part (never on the test item), the best written to collab.config.json.
 */
export function tuneCommand(): Command {
  const cmd = new Command('tune').description(
    "search a model's options (grid or random) on a validation split carved out of the training part, print every setting's score, and write the best to collab.config.json",
  );
  addDataOptions(cmd);
  cmd.addOption(modelOption(null, null).makeOptionMandatory());
  cmd.option('--seed <n>', 'seed of the splits, the random search and of the model when it takes one (default 42, or the model\'s own)', nonNegativeInt);
  addFamilyOptions(cmd);
  addInteractionOptions(cmd)
    .requiredOption('--grid <spec>', 'the values to try: "factors=32,64;regularization=0.01,0.1" (list values as 100/50, ranges as 0/5.5, none for null)')
    .option('--random <n>', 'try n settings drawn at random from the grid instead of all of them', positiveInt)
    .option('--metric <name>', 'what to optimise on the validation item: ndcg@10 (default for ranking models, maximised) or rmse (default for rating models, minimised), or any metric cv knows')
    .addOption(
      new Option('--protocol <name>', "how test and validation are held out: leave-last-out (each user's latest rating is the test item, the second-latest the validation item), user-holdout or random (--test-pct of each user's or of all ratings, twice)")
        .choices([...HOLDOUT_PROTOCOLS])
        .default('leave-last-out'),
    )
    .option('--test-pct <fraction>', 'with --protocol user-holdout or random: the fraction held out', fraction, 0.2)
    .option('--threshold <rating|none>', 'held-out ratings at or above this are relevant for ranking metrics; none (default): every held-out item is', threshold, 'none')
    .option('--no-test', 'do not refit the best setting to report its figure on the test item')
    .addOption(threadsOption())
    .option('--write-config [file]', `merge the best options into the "train" section of this config file (default ${DEFAULT_CONFIG_FILE})`)
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no progress or logs on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ collab tune --data ml-100k --model ials --grid "factors=32,64;regularization=0.01,0.1" --write-config\n  $ collab tune --data ml-100k --model dot-bias --grid "factors=25,50,100;wd=0.01,0.1" --metric rmse\n  $ collab tune --data ratings.csv --model ease --grid "lambda=50,100,200,500" --protocol user-holdout --random 3',
    )
    .action(async (opts: TuneOpts) => {
      const out = createOutput(opts);
      const spec = getFamily(opts.model);
      checkFamilyOptions([spec.kind], opts, ['seed']);
      const axes = parseGrid(opts.grid, spec);
      const metric = parseMetricName(opts.metric ?? (spec.tasks[0] === 'rating' ? 'rmse' : 'ndcg@10')).key;
      const lower = lowerIsBetter(metric);
      const seed = opts.seed ?? 42;
      const base = pickFamilyOptions(spec, opts);
      if (base.seed === undefined && opts.seed !== undefined && spec.options.some((o) => o.name === 'seed')) base.seed = opts.seed;
      const all = gridPoints(axes);
      const points = opts.random ? samplePoints(all, opts.random, seed) : all;
      const settings = points.map((p) => ({ ...base, ...p }));
      checkSettings(spec, settings);
      const ds = await readData(opts, out);
      const o = { testPct: opts.testPct, seed };
      const outer = holdout(ds.ratings, opts.protocol, o);
      const inner = holdout(outer.train, opts.protocol, o);
      const shape = { nUsers: ds.users.size, nItems: ds.items.size, ratingRange: ds.ratingRange };
      const m = measure(metric, opts.threshold, undefined, seed);
      out.log(`tuning ${spec.kind}: ${settings.length} of ${all.length} settings; ${opts.protocol}: fit on ${inner.train.ratings.length} ratings, validate on ${inner.valid.ratings.length} (the ${outer.valid.ratings.length} test ratings are not used to choose)`);
      const trials: Trial[] = [];
      const { best, bestOptions, test } = await withPool(opts, async (pool) => {
        for (const [i, s] of settings.entries()) {
          const fit = await fitFamily(spec.kind, { train: inner.train, ...shape }, s, opts, out, { table: false, describe: false, runner: pool });
          const value = (await evaluateOn(fit.rec, inner.train, inner.valid, m, predictsRatings(spec), pool))[metric];
          fit.rec.dispose();
          trials.push({ options: points[i], value, fitSeconds: fit.seconds });
          out.log(`  [${i + 1}/${settings.length}] ${axes.map((a) => `${a.name}=${show(points[i][a.name])}`).join(' ')}: ${metric} ${value.toFixed(4)} (${fit.seconds.toFixed(1)}s)`);
        }
        const ok = trials.filter((t) => Number.isFinite(t.value));
        if (ok.length === 0) throw new UsageError(`no setting gave a finite ${metric} on the validation split`);
        const chosen = ok.reduce((a, b) => ((lower ? b.value < a.value : b.value > a.value) ? b : a));
        const options = { ...base, ...chosen.options };
        let tested: { value: number; fitSeconds: number } | null = null;
        if (opts.test) {
          const fit = await fitFamily(spec.kind, { train: outer.train, ...shape }, options, opts, out, { table: false, describe: false, runner: pool });
          tested = { value: (await evaluateOn(fit.rec, outer.train, outer.valid, m, predictsRatings(spec), pool))[metric], fitSeconds: fit.seconds };
          fit.rec.dispose();
        }
        return { best: chosen, bestOptions: options, test: tested };
      });
      const interactions = spec.tasks[0] === 'ranking' ? { ...(opts.minRating !== undefined ? { minRating: opts.minRating } : {}), ...(opts.strength ? { strength: opts.strength } : {}) } : {};
      const file = opts.writeConfig === undefined ? null : opts.writeConfig === true ? DEFAULT_CONFIG_FILE : String(opts.writeConfig);
      if (file) {
        writeTrainConfig(file, spec, { ...bestOptions, ...interactions });
        out.log(`wrote the best options to the "train" section of ${file}: collab train --data ${opts.data} --out <dir> now uses them`);
      }
      if (out.jsonMode) {
        out.json({
          model: spec.kind,
          protocol: opts.protocol,
          metric,
          goal: lower ? 'min' : 'max',
          threshold: m.threshold,
          grid: axes,
          trials: trials.map((t) => ({ options: t.options, value: t.value, fit_seconds: t.fitSeconds })),
          best: { options: bestOptions, value: best.value },
          test: test ? { value: test.value, fit_seconds: test.fitSeconds } : null,
          config: file,
        });
        return;
      }
      printTable(axes.map((a) => a.name), trials, best, metric, out);
      out.result(`best: ${axes.map((a) => `${a.name}=${show(best.options[a.name])}`).join(' ')}  (${metric} ${best.value.toFixed(4)} on the validation item, ${lower ? 'lower' : 'higher'} is better)`);
      if (test) out.result(`the best setting refitted with the validation item: ${metric} ${test.value.toFixed(4)} on the test item`);
    });
  return cmd;
}

function printTable(names: string[], trials: Trial[], best: Trial, metric: string, out: Output): void {
  const header = [...names, `${metric} (valid)`, 'fit s', ''];
  const body = trials.map((t) => [...names.map((n) => show(t.options[n])), Number.isFinite(t.value) ? t.value.toFixed(4) : '-', t.fitSeconds.toFixed(2), t === best ? '*' : '']);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells: string[]): string => cells.map((s, c) => (c < names.length ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ').trimEnd();
  out.result([line(header), ...body.map(line)].join('\n'));
}

/**
 * Merges `values` into the `train` section of a config file (created when missing), with `model` set to the
 * family; when the section named another model, the options that this family does not take are dropped.
 */
export function writeTrainConfig(file: string, spec: FamilySpec, values: Record<string, unknown>): void {
  let cfg: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      cfg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`${file}: not valid JSON (${(err as Error).message}); not overwriting it`);
    }
    if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) throw new UsageError(`${file}: the config must be a JSON object; not overwriting it`);
  }
  const section: Record<string, unknown> = cfg.train && typeof cfg.train === 'object' && !Array.isArray(cfg.train) ? { ...(cfg.train as Record<string, unknown>) } : {};
  const own = new Set(spec.options.map((o) => o.name));
  const flags = familyFlags();
  const camel = (k: string): string => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  for (const key of Object.keys(section)) {
    const name = camel(key);
    if ((section.model !== undefined && section.model !== spec.kind && flags.has(name) && !own.has(name)) || name in values) delete section[key];
  }
  for (const [k, v] of Object.entries(values)) {
    delete section[kebab(k)];
    section[k] = v;
  }
  cfg.train = { model: spec.kind, ...Object.fromEntries(Object.entries(section).filter(([k]) => k !== 'model')) };
  writeFileSync(file, `${JSON.stringify(cfg, null, 2)}\n`);
}
