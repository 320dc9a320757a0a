import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { UsageError } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';
import { foldInUser, itemPopularity, recommendAll, recommendForNewUser, recommendForUser, toCsv, topK } from '@collab-ts/eval';
import type { ModelBundle } from '@collab-ts/models';
import { createOutput } from '../io/output.js';
import type { Output } from '../io/output.js';
import { findItem, openModel, ratingsForModel, seenItems } from '../model-source.js';
import { positiveInt } from '../parse.js';

interface RecommendOpts {
  model: string;
  user?: string;
  ratings?: string;
  all?: boolean;
  output?: string;
  k: number;
  data?: string;
  includeSeen?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** `collab recommend`: top-N unseen items for a known user, a new user from a few ratings, or every user. */
export function recommendCommand(): Command {
  return new Command('recommend')
    .description('recommend items: for a known user, for a new user from a few ratings (fold-in), or for every user')
    .requiredOption('--model <dir>', 'a model directory saved by collab train')
    .option('--user <id>', 'raw id of a user the model knows')
    .option('--ratings <list>', 'a new user\'s ratings as "item=rating,item=rating" (item ids or titles); "" for none (popularity)')
    .option('--all', 'recommend for every user (batch mode)')
    .option('--output <file>', 'with --all: write the recommendations to a .csv or .json file')
    .option('-k, --k <n>', 'how many items', positiveInt, 10)
    .option('--data <dir|file|name>', 'ratings used to hide items a user has already rated (default: the data the model was trained on, when found)')
    .option('--include-seen', 'do not hide items the user has rated')
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ collab recommend --model models/ml-100k --user 196 -k 10\n  $ collab recommend --model models/ml-100k --ratings "50=5,181=5,1=4"\n  $ collab recommend --model models/ml-100k --all --output recs.csv',
    )
    .action(async (opts: RecommendOpts) => {
      const out = createOutput(opts);
      const modes = [opts.user !== undefined, opts.ratings !== undefined, Boolean(opts.all)].filter(Boolean).length;
      if (modes !== 1) throw new UsageError('give exactly one of --user <id>, --ratings <list> or --all');
      const bundle = await openModel(opts.model, out);
      const seen = opts.includeSeen ? null : await ratingsForModel(bundle, opts.data, out);
      if (opts.all) return recommendEveryone(bundle, opts, seen?.cols ?? null, out);
      if (opts.ratings !== undefined) return recommendNewUser(bundle, opts, seen?.cols ?? null, out);
      const user = bundle.users.encode(opts.user!);
      const exclude = seen ? seenItems(seen.cols, user) : undefined;
      if (!seen && !opts.includeSeen) out.log('note: the training ratings were not found, so items the user has rated may be recommended (pass --data)');
      const recs = recommendForUser(bundle.model, user, { k: opts.k, exclude });
      print(bundle, recs, out, { user: opts.user, excluded: exclude?.length ?? 0 });
    });
}

function print(bundle: ModelBundle, recs: { item: number; score: number }[], out: Output, extra: Record<string, unknown>): void {
  const rows = recs.map((r, i) => ({ rank: i + 1, item: bundle.items.decode(r.item), title: bundle.items.title(r.item), score: r.score }));
  if (out.jsonMode) {
    out.json({ ...extra, recommendations: rows });
    return;
  }
  const w = Math.max(5, ...rows.map((r) => r.title.length));
  out.result(`${'rank'.padStart(4)}  ${'score'.padStart(6)}  ${'title'.padEnd(w)}  item`);
  for (const r of rows) out.result(`${String(r.rank).padStart(4)}  ${r.score.toFixed(3).padStart(6)}  ${r.title.padEnd(w)}  ${r.item}`);
}

function recommendNewUser(bundle: ModelBundle, opts: RecommendOpts, seen: RatingColumns | null, out: Output): void {
  const factors = bundle.model.factors();
  const ratings = parseRatings(opts.ratings!, bundle);
  const popularity = seen ? itemPopularity(seen, bundle.items.size) : undefined;
  if (!factors) {
    // a neural model has no item factors to fold a user into: only the popularity fallback applies
    if (ratings.length > 0 || !popularity) {
      throw new UsageError(`new-user recommendations need a dot-product model (${bundle.model.kind} has no factor tables)${popularity ? '' : ', or --data for the popularity fallback'}`);
    }
    const top = topK(popularity, opts.k);
    print(bundle, Array.from(top.indices, (item, i) => ({ item, score: top.scores[i] })), out, { new_user: true, ratings: 0, source: 'popularity' });
    return;
  }
  const fold = ratings.length > 0 ? foldInUser(factors, ratings, { yRange: factors.yRange }) : null;
  const res = recommendForNewUser(factors, fold, { k: opts.k, exclude: Int32Array.from(ratings, (r) => r.item), popularity });
  out.log(`new user with ${ratings.length} ratings: ranked by ${res.source}`);
  print(bundle, res.items, out, { new_user: true, ratings: ratings.length, source: res.source });
}

function parseRatings(spec: string, bundle: ModelBundle): { item: number; rating: number }[] {
  if (spec.trim() === '') return [];
  return spec.split(',').map((part) => {
    const eq = part.lastIndexOf('=');
    if (eq < 1) throw new UsageError(`--ratings: expected item=rating, got ${JSON.stringify(part)}`);
    const rating = Number(part.slice(eq + 1));
    if (!Number.isFinite(rating)) throw new UsageError(`--ratings: rating of ${JSON.stringify(part.slice(0, eq))} is not a number`);
    return { item: findItem(bundle.items, part.slice(0, eq).trim()), rating };
  });
}

function recommendEveryone(bundle: ModelBundle, opts: RecommendOpts, seen: RatingColumns | null, out: Output): void {
  const train = seen ?? { users: new Int32Array(0), items: new Int32Array(0), ratings: new Float32Array(0), timestamps: null };
  const t0 = performance.now();
  const rows = recommendAll(bundle.model, train, opts.k);
  out.log(`${rows.length} recommendations for ${bundle.users.size} users in ${((performance.now() - t0) / 1000).toFixed(2)}s`);
  const named = rows.map((r) => ({ user: bundle.users.decode(r.user), rank: r.rank, item: bundle.items.decode(r.item), title: bundle.items.title(r.item), score: r.score }));
  if (opts.output) {
    const text = opts.output.endsWith('.json') ? JSON.stringify(named, null, 1) : toCsv(rows, { users: bundle.users, items: bundle.items });
    writeFileSync(opts.output, text);
    out.log(`wrote ${opts.output}`);
    if (out.jsonMode) out.json({ output: opts.output, rows: rows.length });
  } else if (out.jsonMode) {
    out.json(named);
  } else {
    out.result(toCsv(rows, { users: bundle.users, items: bundle.items }));
  }
}
