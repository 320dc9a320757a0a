import { checkWritable, writeFileAtomic } from '@collab-ts/core/node';
import { Command } from 'commander';
import { UsageError } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';
import { recommendationRows, tableToCsv, tableToCsvBytes } from '@collab-ts/eval';
import type { ModelBundle } from '@collab-ts/models';
import { createOutput } from '../io/output.js';
import type { Output } from '../io/output.js';
import { findItem, historyCounts, openModel, popularItems, ratingsForModel, seenItems } from '../model-source.js';
import { recommendEveryUser } from '../recommend-all.js';
import { threadsOption, withPool } from '../threads.js';
import type { ThreadsFlag } from '../threads.js';
import { positiveInt } from '../parse.js';

interface RecommendOpts extends ThreadsFlag {
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
    .description('recommend items with a model of any family: for a known user, for a new user from a few ratings (fold-in), or for every user')
    .requiredOption('--model <dir>', 'a model directory saved by collab train')
    .option('--user <id>', 'raw id of a user the model knows')
    .option('--ratings <list>', 'a new user\'s ratings as "item=rating,item=rating" (item ids or titles); "" for none (popularity)')
    .option('--all', 'recommend for every user (batch mode)')
    .option('--output <file>', 'with --all: write the recommendations to a .csv or .json file')
    .option('-k, --k <n>', 'how many items', positiveInt, 10)
    .option('--data <dir|file|name>', 'also hide the items users rated in these ratings (the model hides its own training history already)')
    .option('--include-seen', 'do not hide items the user has rated')
    .addOption(threadsOption())
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
      if (!bundle.model.history && !opts.data && !opts.includeSeen) out.log('note: the model has no saved training history, so items users rated may be recommended (pass --data)');
      const extra = opts.data && !opts.includeSeen ? (await ratingsForModel(bundle, opts.data, out)).cols : null;
      if (opts.all) return recommendEveryone(bundle, opts, extra, out);
      if (opts.ratings !== undefined) return recommendNewUser(bundle, opts, out);
      const user = bundle.users.encode(opts.user!);
      const fromData = extra ? seenItems(extra, user) : new Int32Array(0);
      const h = bundle.model.history;
      const own = h ? h.offsets[user + 1] - h.offsets[user] : 0;
      if (h && own === 0) {
        // no history: the model knows nothing of this user, so rank by popularity
        const recs = popularItems(historyCounts(bundle.model)!, opts.k, fromData);
        out.log(`user ${opts.user} has no training history: ranked by popularity`);
        print(bundle, recs, out, { user: opts.user, excluded: fromData.length, source: 'popularity' });
        return;
      }
      const recs = bundle.model.recommend(user, { k: opts.k, exclude: fromData, includeSeen: Boolean(opts.includeSeen) });
      print(bundle, recs, out, { user: opts.user, excluded: opts.includeSeen ? 0 : own + fromData.length, source: 'model' });
    });
}

function print(bundle: ModelBundle, recs: readonly { item: number; score: number }[], out: Output, extra: Record<string, unknown>): void {
  const rows = recs.map((r, i) => ({ rank: i + 1, item: bundle.items.decode(r.item), title: bundle.items.title(r.item), score: r.score }));
  if (out.jsonMode) {
    out.json({ ...extra, recommendations: rows });
    return;
  }
  const w = Math.max(5, ...rows.map((r) => r.title.length));
  out.result(`${'rank'.padStart(4)}  ${'score'.padStart(6)}  ${'title'.padEnd(w)}  item`);
  for (const r of rows) out.result(`${String(r.rank).padStart(4)}  ${r.score.toFixed(3).padStart(6)}  ${r.title.padEnd(w)}  ${r.item}`);
}

/**
 * A new user's recommendations: the family's fold-in from their ratings (turned into interactions the way the
 * model's training data was: `--min-rating`, `--strength`), or popularity from the training history when
 * they gave none.
 */
function recommendNewUser(bundle: ModelBundle, opts: RecommendOpts, out: Output): void {
  const { model } = bundle;
  let ratings = parseRatings(opts.ratings!, bundle);
  const given = ratings.length;
  const interactions = bundle.meta.interactions as { minRating?: number; strength?: 'binary' | 'rating' } | null | undefined;
  if (interactions) {
    if (interactions.minRating !== undefined) ratings = ratings.filter((r) => r.rating >= interactions.minRating!);
    if (interactions.strength !== 'rating') ratings = ratings.map((r) => ({ ...r, rating: 1 }));
    if (ratings.length < given) out.log(`${given - ratings.length} of the ratings are below the model's --min-rating ${interactions.minRating} and do not count`);
  }
  const items = Int32Array.from(ratings, (r) => r.item);
  if (ratings.length === 0) {
    const counts = historyCounts(model);
    if (!counts) throw new UsageError('the model has no saved training history to rank a new user by popularity');
    print(bundle, popularItems(counts, opts.k, Int32Array.from(parseRatings(opts.ratings!, bundle), (r) => r.item)), out, { new_user: true, ratings: given, source: 'popularity' });
    return;
  }
  if (!model.canFoldIn) {
    throw new UsageError(`${model.kind} cannot fold in a new user from ratings without retraining; --ratings "" ranks by popularity`);
  }
  const recs = model.recommendNew(items, Float32Array.from(ratings, (r) => r.rating), { k: opts.k });
  out.log(`new user with ${ratings.length} ratings: ranked by ${model.kind}'s fold-in`);
  print(bundle, recs, out, { new_user: true, ratings: ratings.length, source: 'fold-in' });
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

/**
 * Every user's top k: blocked scoring over users x item tiles on `--threads` threads (eval's top-k over the
 * model's history and `--data`), popularity for users with no history; written as CSV or JSON.
 */
async function recommendEveryone(bundle: ModelBundle, opts: RecommendOpts, extra: RatingColumns | null, out: Output): Promise<void> {
  if (opts.output) checkWritable(opts.output, 'file');
  const t0 = performance.now();
  const { table, cold } = await withPool(opts, (pool) => recommendEveryUser(bundle, opts.k, { includeSeen: Boolean(opts.includeSeen), extra }, pool));
  if (cold > 0) out.log(`${cold} users with no training history get the most popular items`);
  let rows = 0;
  for (let j = 0; j < table.counts.length; j++) rows += table.counts[j];
  out.log(`${rows} recommendations for ${bundle.users.size} users in ${((performance.now() - t0) / 1000).toFixed(2)}s`);
  const vocabularies = { users: bundle.users, items: bundle.items };
  const named = () => recommendationRows(table).map((r) => ({ user: bundle.users.decode(r.user), rank: r.rank, item: bundle.items.decode(r.item), title: bundle.items.title(r.item), score: r.score }));
  if (opts.output) {
    const text = opts.output.endsWith('.json') ? JSON.stringify(named(), null, 1) : tableToCsvBytes(table, vocabularies);
    writeFileAtomic(opts.output, text);
    out.log(`wrote ${opts.output}`);
    if (out.jsonMode) out.json({ output: opts.output, rows });
  } else if (out.jsonMode) {
    out.json(named());
  } else {
    out.result(tableToCsv(table, vocabularies));
  }
}
